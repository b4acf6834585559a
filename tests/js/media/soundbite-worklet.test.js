// The soundbite worklet's ring, run in node with the three globals an AudioWorkletGlobalScope
// gives it (AudioWorkletProcessor, registerProcessor, sampleRate); also measures what one
// recorded participant costs in memory.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

async function loadRecorder(rate) {
  const source = await readFile(new URL('../../../static/worklets/soundbite-recorder.js', import.meta.url), 'utf8');
  const registered = {};
  class AudioWorkletProcessor {
    constructor() {
      this.sent = [];
      this.port = { postMessage: (data) => this.sent.push(data), onmessage: null };
    }
  }
  new Function('AudioWorkletProcessor', 'registerProcessor', 'sampleRate', source)(
    AudioWorkletProcessor,
    (name, cls) => (registered[name] = cls),
    rate,
  );
  return registered['soundbite-recorder'];
}

const block = (start, length = 128) => Float32Array.from({ length }, (_, i) => start + i);

describe('soundbite worklet', () => {
  test('before the ring is full, a snapshot is everything so far, in order', async () => {
    const Recorder = await loadRecorder(1000);
    const node = new Recorder({ processorOptions: { seconds: 1 } });
    node.process([[block(0)]]);
    node.process([[block(128)]]);
    node.port.onmessage({ data: { type: 'snapshot', id: 1 } });
    const [{ id, samples, sampleRate }] = node.sent;
    assert.deepEqual([id, sampleRate, samples.length], [1, 1000, 256]);
    assert.deepEqual([samples[0], samples[255]], [0, 255]);
  });

  test('once full, it is exactly the last N seconds, oldest first, across the wrap', async () => {
    const Recorder = await loadRecorder(1000);
    const node = new Recorder({ processorOptions: { seconds: 1 } });
    for (let start = 0; start < 2560; start += 128) node.process([[block(start)]]);
    node.port.onmessage({ data: { type: 'snapshot', id: 2 } });
    const { samples } = node.sent[0];
    assert.equal(samples.length, 1000);
    assert.deepEqual([samples[0], samples[999]], [1560, 2559]);
    assert.ok(samples.every((value, i) => value === 1560 + i));
  });

  test('a silent moment with no input does not move the ring', async () => {
    const Recorder = await loadRecorder(1000);
    const node = new Recorder({ processorOptions: { seconds: 1 } });
    assert.equal(node.process([[]]), true);
    node.port.onmessage({ data: { type: 'stats', id: 3 } });
    assert.deepEqual(node.sent[0], { id: 3, bytes: 4000, filled: 0, sampleRate: 1000 });
  });

  test('memory: one participant at 48 kHz holds a 1.92 MB ring', async () => {
    const Recorder = await loadRecorder(48000);
    const input = [[block(0)]];
    // Read right around the construction: nothing else allocates or frees in between.
    const before = process.memoryUsage().arrayBuffers;
    const node = new Recorder({ processorOptions: { seconds: 10 } });
    const grown = process.memoryUsage().arrayBuffers - before;
    // Filling it (12 s of audio) allocates nothing more.
    const filled = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < (48000 * 12) / 128; i++) node.process(input);
    assert.ok(process.memoryUsage().arrayBuffers - filled < 64 * 1024);
    node.port.onmessage({ data: { type: 'stats', id: 4 } });
    assert.equal(node.sent[0].bytes, 1_920_000);
    console.log(`soundbite ring at 48 kHz: ${node.sent[0].bytes} bytes allocated; array buffers grew ${grown} bytes`);
    assert.ok(grown >= 1_920_000 && grown < 2_100_000, `array buffers grew ${grown} bytes`);
  });
});
