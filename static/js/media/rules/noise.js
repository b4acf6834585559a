// Noise cancellation (2.x's "Audio Processing"): the engines offered and what each one is.
// The WASM worklets themselves are wired in adapters/noise-suppressor.js.

/** @typedef {'rnnoise' | 'speex'} NoiseEngine */

export const NOISE_ENGINES = Object.freeze({
  rnnoise: { label: 'RNNoise', hint: 'RNNoise — ML-based, best voice isolation, slightly higher CPU' },
  speex: { label: 'Speex', hint: 'Speex DSP — classic filter, lower CPU, less aggressive' },
});

/** @param {unknown} value @returns {NoiseEngine | undefined} */
export function noiseEngine(value) {
  return value === 'rnnoise' || value === 'speex' ? value : undefined;
}

/**
 * What the microphone's processor must do: scale by `gain`, and clean with `noise` first.
 * Nothing at all (the plain capture path) when neither is asked for.
 * @param {{ gain: number, noiseCancellation: boolean, noiseEngine: NoiseEngine, supported: boolean }} wanted
 * @returns {{ gain: number, noise: NoiseEngine | null } | null}
 */
export function micChain({ gain, noiseCancellation, noiseEngine: engine, supported }) {
  const noise = noiseCancellation && supported ? engine : null;
  if (gain === 1 && !noise) return null;
  return { gain, noise };
}
