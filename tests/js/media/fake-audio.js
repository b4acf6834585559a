// A recording stand-in for the Web Audio API: nodes remember their connections and every
// AudioParam remembers its automation calls, so tests can check what a listener would hear.

export class FakeParam {
  constructor(value = 0) {
    this.value = value;
    /** @type {Array<[string, ...number[]]>} */
    this.calls = [];
  }
  setValueAtTime(v, t) {
    this.calls.push(['set', v, t]);
    this.value = v;
  }
  linearRampToValueAtTime(v, t) {
    this.calls.push(['linear', v, t]);
    this.value = v;
  }
  exponentialRampToValueAtTime(v, t) {
    if (v <= 0) throw new RangeError('exponential ramp target must be positive');
    this.calls.push(['exp', v, t]);
    this.value = v;
  }
  setTargetAtTime(v, t, c) {
    this.calls.push(['target', v, t, c]);
    this.value = v;
  }
  cancelScheduledValues(t) {
    this.calls.push(['cancel', t]);
  }
}

export class FakeNode {
  constructor(ctx, kind) {
    this.context = ctx;
    this.kind = kind;
    /** @type {Set<FakeNode>} */
    this.outputs = new Set();
    this.disconnected = false;
    ctx.nodes.push(this);
  }
  connect(node) {
    this.outputs.add(node);
    this.disconnected = false;
    return node;
  }
  disconnect(node) {
    if (node) this.outputs.delete(node);
    else {
      this.outputs.clear();
      this.disconnected = true;
    }
  }
}

export class FakeAudioContext {
  constructor({ state = 'running', currentTime = 0, sinkSupport = true } = {}) {
    this.state = state;
    this.currentTime = currentTime;
    /** @type {FakeNode[]} */
    this.nodes = [];
    this.destination = new FakeNode(this, 'destination');
    this.listeners = new Map();
    this.sinkId = '';
    this.closed = false;
    if (!sinkSupport) this.setSinkId = undefined;
  }
  createOscillator() {
    const node = new FakeNode(this, 'oscillator');
    node.type = 'sine';
    node.frequency = new FakeParam(440);
    node.start = (t) => (node.startedAt = t);
    node.stop = (t) => (node.stoppedAt = t);
    node.onended = null;
    return node;
  }
  createGain() {
    const node = new FakeNode(this, 'gain');
    node.gain = new FakeParam(1);
    return node;
  }
  createBiquadFilter() {
    const node = new FakeNode(this, 'biquad');
    node.type = 'lowpass';
    node.frequency = new FakeParam(350);
    node.Q = new FakeParam(1);
    return node;
  }
  createAnalyser() {
    const node = new FakeNode(this, 'analyser');
    node.fftSize = 2048;
    node.samples = new Float32Array(0);
    node.getFloatTimeDomainData = (array) => array.set(node.samples.subarray(0, array.length));
    return node;
  }
  createMediaStreamSource(stream) {
    const node = new FakeNode(this, 'stream-source');
    node.mediaStream = stream;
    return node;
  }
  createBufferSource() {
    const node = new FakeNode(this, 'buffer-source');
    node.buffer = null;
    node.onended = null;
    node.start = () => (node.started = true);
    // Stopping ends it, as in a browser (and so does `end()`, the clip running out).
    node.stop = () => node.end();
    node.end = () => node.onended?.();
    return node;
  }
  async decodeAudioData(bytes) {
    return { duration: bytes.byteLength / 1000, bytes };
  }
    createMediaStreamDestination() {
    const node = new FakeNode(this, 'stream-destination');
    node.stream = { id: 'mixed', getAudioTracks: () => [{ id: 'mixed-track' }] };
    return node;
  }
  async resume() {
    this.state = 'running';
    this.dispatch('statechange');
  }
  async close() {
    this.state = 'closed';
    this.closed = true;
  }
  async setSinkId(id) {
    this.sinkId = id;
  }
  addEventListener(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
  }
  removeEventListener(name, fn) {
    this.listeners.get(name)?.delete(fn);
  }
  dispatch(name) {
    for (const fn of this.listeners.get(name) ?? []) fn();
  }
  /** Nodes of one kind. */
  ofKind(kind) {
    return this.nodes.filter((n) => n.kind === kind);
  }
  /** Whether `from` reaches `to` through connections. */
  reaches(from, to, seen = new Set()) {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return [...from.outputs].some((next) => this.reaches(next, to, seen));
  }
}
