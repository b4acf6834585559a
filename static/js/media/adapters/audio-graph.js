// The playback graph: every remote audio track goes through Web Audio so volume can exceed 100 %
// (W-B1) and the speaker choice applies to calls and notification sounds alike (W-B15).
//
//   track ─▶ source gain (stream-audio mute) ─▶ participant gain (volume × mutes) ─▶ master ─▶ output
//   notification sounds ─────────────────────────────────────────────────────────────────────▶ output
//
// Output is the context's destination, routed with AudioContext.setSinkId where the browser has
// it; where only media elements can pick a speaker (Firefox) the mix plays through one <audio>
// element; elsewhere (Safari) the system default is used. Each remote track also sits in a muted,
// playing <audio> element: Chromium has long fed a remote WebRTC stream to Web Audio only while a
// media element consumes it (livekit-client's own webAudioMix does the same). The elements are
// ours, not track.attach()'s, so room.startAudio() never unmutes them into double playback.

/**
 * @typedef {object} AudioGraphDeps
 * @property {() => AudioContext} createContext
 * @property {(tag: 'audio') => HTMLAudioElement} createElement
 * @property {(tracks: MediaStreamTrack[]) => MediaStream} createStream
 * @property {boolean} elementSinkSupported  HTMLMediaElement.prototype.setSinkId exists
 */

/** Seconds for gain changes to settle: fast, but without clicks. */
const RAMP = 0.015;

/** @param {AudioGraphDeps} deps */
export function createAudioGraph(deps) {
  const ctx = deps.createContext();
  const contextSink = typeof (/** @type {any} */ (ctx).setSinkId) === 'function';
  const master = ctx.createGain();
  /** @type {AudioNode} */
  let output = ctx.destination;
  /** @type {HTMLAudioElement | null} */
  let sinkElement = null;
  let sinkElementBlocked = false;
  if (!contextSink && deps.elementSinkSupported) {
    const streamOut = ctx.createMediaStreamDestination();
    output = streamOut;
    sinkElement = deps.createElement('audio');
    sinkElement.srcObject = streamOut.stream;
    playSinkElement();
  }
  master.connect(output);

  /** @type {Map<string, { bus: GainNode, gain: number, sources: Map<string, TrackEntry> }>} */
  const participants = new Map();
  /** @type {Map<string, number>} key identity\u0000source → gain */
  const sourceGains = new Map();
  /** @type {Set<() => void>} */
  const listeners = new Set();
  ctx.addEventListener?.('statechange', notify);

  /**
   * @typedef {object} TrackEntry
   * @property {MediaStreamTrack} track
   * @property {HTMLAudioElement} element
   * @property {AudioNode} node
   * @property {GainNode} gain
   */

  /** @param {string} identity */
  function participant(identity) {
    let entry = participants.get(identity);
    if (!entry) {
      const bus = ctx.createGain();
      bus.gain.value = 1;
      bus.connect(master);
      entry = { bus, gain: 1, sources: new Map() };
      participants.set(identity, entry);
    }
    return entry;
  }

  /**
   * Starts playing a remote audio track (replacing one already attached for that source).
   * @param {string} identity
   * @param {string} source  'microphone' or 'screen_share_audio'
   * @param {MediaStreamTrack} track
   */
  function attach(identity, source, track) {
    const owner = participant(identity);
    if (owner.sources.get(source)?.track === track) return;
    detach(identity, source);
    const element = deps.createElement('audio');
    element.muted = true;
    element.srcObject = deps.createStream([track]);
    element.play()?.catch?.(() => {});
    const node = ctx.createMediaStreamSource(/** @type {MediaStream} */ (element.srcObject));
    const gain = ctx.createGain();
    gain.gain.value = sourceGains.get(sourceKey(identity, source)) ?? 1;
    node.connect(gain);
    gain.connect(owner.bus);
    owner.sources.set(source, { track, element, node, gain });
  }

  /**
   * @param {string} identity
   * @param {string} source
   */
  function detach(identity, source) {
    const owner = participants.get(identity);
    const entry = owner?.sources.get(source);
    if (!owner || !entry) return;
    entry.node.disconnect();
    entry.gain.disconnect();
    entry.element.pause?.();
    entry.element.srcObject = null;
    owner.sources.delete(source);
  }

  /** @param {string} identity */
  function detachAll(identity) {
    const owner = participants.get(identity);
    if (!owner) return;
    for (const source of [...owner.sources.keys()]) detach(identity, source);
    owner.bus.disconnect();
    participants.delete(identity);
  }

  /**
   * @param {string} identity
   * @param {number} value
   */
  function setParticipantGain(identity, value) {
    const owner = participant(identity);
    if (owner.gain === value) return;
    owner.gain = value;
    owner.bus.gain.setTargetAtTime(value, ctx.currentTime, RAMP);
  }

  /**
   * @param {string} identity
   * @param {string} source
   * @param {number} value
   */
  function setSourceGain(identity, source, value) {
    sourceGains.set(sourceKey(identity, source), value);
    participants.get(identity)?.sources.get(source)?.gain.gain.setTargetAtTime(value, ctx.currentTime, RAMP);
  }

  /**
   * Routes everything to an output device ('' or 'default' = the system default).
   * @param {string} deviceId
   * @returns {Promise<boolean>} false when this browser cannot choose a speaker
   */
  async function setOutputDevice(deviceId) {
    const id = deviceId === 'default' ? '' : deviceId;
    if (contextSink) {
      await /** @type {any} */ (ctx).setSinkId(id);
      return true;
    }
    if (sinkElement) {
      await /** @type {any} */ (sinkElement).setSinkId(id);
      return true;
    }
    return false;
  }

  /** Unblocks playback; must run inside a user gesture (the "enable audio" click). */
  async function resume() {
    await Promise.all([ctx.state === 'running' ? undefined : ctx.resume(), playSinkElement()]);
    notify();
  }

  async function playSinkElement() {
    if (!sinkElement) return;
    try {
      await sinkElement.play();
      sinkElementBlocked = false;
    } catch {
      sinkElementBlocked = true;
    }
    notify();
  }

  function notify() {
    for (const listener of [...listeners]) listener();
  }

  async function close() {
    for (const identity of [...participants.keys()]) detachAll(identity);
    ctx.removeEventListener?.('statechange', notify);
    if (sinkElement) sinkElement.srcObject = null;
    await ctx.close();
  }

  return {
    context: ctx,
    /** Where notification sounds go: the same speaker as the call, not affected by call volumes. */
    output,
    attach,
    detach,
    detachAll,
    setParticipantGain,
    setSourceGain,
    setOutputDevice,
    resume,
    close,
    /** Whether a speaker can be chosen in this browser. */
    outputSelectable: contextSink || Boolean(sinkElement),
    /** Whether the browser is holding playback back until a user gesture. */
    get blocked() {
      return ctx.state !== 'running' || sinkElementBlocked;
    },
    /**
     * @param {string} identity
     * @param {string} [source]
     */
    isAttached(identity, source) {
      const owner = participants.get(identity);
      return Boolean(owner && (source ? owner.sources.has(source) : owner.sources.size));
    },
    /** @param {() => void} listener */
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** @typedef {ReturnType<typeof createAudioGraph>} AudioGraph */

/**
 * @param {string} identity
 * @param {string} source
 */
function sourceKey(identity, source) {
  return `${identity}\u0000${source}`;
}
