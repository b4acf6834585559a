// An AudioWorklet that keeps the last few seconds of one remote microphone, for soundbites.
//
// It runs on the audio thread, so recording costs the page's main thread nothing. The ring is
// one Float32Array of `seconds × sampleRate` mono samples, allocated once (10 s at 48 kHz is
// 1.92 MB); the node's input is down-mixed to mono by the node itself (channelCount 1). A
// `snapshot` message answers with the filled part of the ring in time order, as a transferred
// copy, and `stats` with what the ring holds, for the memory figure.

class SoundbiteRecorder extends AudioWorkletProcessor {
  /** @param {{ processorOptions?: { seconds?: number } }} options */
  constructor(options) {
    super();
    const seconds = options.processorOptions?.seconds ?? 10;
    this.ring = new Float32Array(Math.round(seconds * sampleRate));
    this.write = 0;
    this.filled = 0;
    this.port.onmessage = (event) => this.answer(event.data);
  }

  /** @param {{ type: string, id: number }} message */
  answer(message) {
    if (message.type === 'stats') {
      this.port.postMessage({ id: message.id, bytes: this.ring.byteLength, filled: this.filled, sampleRate });
      return;
    }
    if (message.type !== 'snapshot') return;
    const out = new Float32Array(this.filled);
    const start = (this.write - this.filled + this.ring.length) % this.ring.length;
    const head = Math.min(this.filled, this.ring.length - start);
    out.set(this.ring.subarray(start, start + head), 0);
    out.set(this.ring.subarray(0, this.filled - head), head);
    this.port.postMessage({ id: message.id, samples: out, sampleRate }, [out.buffer]);
  }

  /** @param {Float32Array[][]} inputs */
  process(inputs) {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    const ring = this.ring;
    let write = this.write;
    for (let i = 0; i < channel.length; i++) {
      ring[write] = channel[i];
      write = write + 1 === ring.length ? 0 : write + 1;
    }
    this.write = write;
    this.filled = Math.min(ring.length, this.filled + channel.length);
    return true;
  }
}

registerProcessor('soundbite-recorder', SoundbiteRecorder);
