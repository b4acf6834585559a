// Noise cancellation with @sapphi-red/web-noise-suppressor (RNNoise or Speex, as WASM
// AudioWorklets), served from our own origin like livekit-client. The library, its worklets and
// the WASM are fetched only when someone turns it on. The WASM is compiled inside the worklet,
// which is why the page's CSP allows 'wasm-unsafe-eval' (and nothing else) beyond 'self'.

import { withDeadline } from './soundbite-recorder.js';

/**
 * @typedef {object} NoiseSuppressorUrls
 * @property {string} module           the library's ES module
 * @property {string} rnnoise          the RNNoise worklet
 * @property {string} rnnoiseWasm
 * @property {string} rnnoiseSimdWasm  used where the browser has WASM SIMD
 * @property {string} speex            the Speex worklet
 * @property {string} speexWasm
 */

/** RNNoise works on 48 kHz frames; Speex is set up for the same rate here. */
export const NOISE_SAMPLE_RATE = 48000;

/**
 * @param {NoiseSuppressorUrls | null} urls  null where AudioWorklet (or the files) are missing
 * @param {(url: string) => Promise<any>} [load]  dynamic import, replaceable in tests
 */
export function createNoiseSuppressor(urls, load = (url) => import(url)) {
  /** @type {Promise<any> | null} */
  let library = null;
  /** @type {Map<string, Promise<ArrayBuffer>>} */
  const binaries = new Map();
  /** @type {WeakMap<BaseAudioContext, Map<string, Promise<void>>>} */
  const modules = new WeakMap();

  /** @param {BaseAudioContext} context @param {string} url */
  function addModule(context, url) {
    const loaded = modules.get(context) ?? new Map();
    modules.set(context, loaded);
    // A module that never loads must not hold the microphone: the processor then fails and
    // the plain capture is sent.
    if (!loaded.has(url)) loaded.set(url, withDeadline(context.audioWorklet.addModule(url)));
    return /** @type {Promise<void>} */ (loaded.get(url));
  }

  return {
    supported: Boolean(urls),
    /**
     * A worklet node that cleans a mono voice, in `context` (which must run at 48 kHz).
     * @param {AudioContext} context
     * @param {import('../rules/noise.js').NoiseEngine} engine
     * @returns {Promise<AudioWorkletNode & { destroy?: () => void }>}
     */
    async node(context, engine) {
      if (!urls) throw new Error('Noise cancellation is not available in this browser');
      library ??= load(urls.module);
      const lib = await library;
      if (!binaries.has(engine)) {
        binaries.set(
          engine,
          engine === 'speex'
            ? lib.loadSpeex({ url: urls.speexWasm })
            : lib.loadRnnoise({ url: urls.rnnoiseWasm, simdUrl: urls.rnnoiseSimdWasm }),
        );
      }
      const [wasmBinary] = await Promise.all([
        binaries.get(engine),
        addModule(context, engine === 'speex' ? urls.speex : urls.rnnoise),
      ]);
      const Node = engine === 'speex' ? lib.SpeexWorkletNode : lib.RnnoiseWorkletNode;
      return new Node(context, { wasmBinary, maxChannels: 1 });
    },
  };
}

/** @typedef {ReturnType<typeof createNoiseSuppressor>} NoiseSuppressor */
