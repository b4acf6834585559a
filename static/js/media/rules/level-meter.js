// Microphone level meter maths (the audio comes from the live mic track: no second capture).

/**
 * The RMS level (0..1) of time-domain samples in -1..1 (AnalyserNode.getFloatTimeDomainData).
 * @param {ArrayLike<number>} samples
 */
export function rmsLevel(samples) {
  if (!samples.length) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += samples[i] * samples[i];
  return Math.min(1, Math.sqrt(sum / samples.length));
}

/**
 * The meter bar's width in percent: 1.x doubled the level so speech fills most of the bar.
 * @param {number} level
 */
export function meterPercent(level) {
  return Math.min(100, Math.max(0, level * 200));
}

/**
 * @param {number} level
 * @returns {'green' | 'yellow' | 'red'}
 */
export function meterColour(level) {
  if (level > 0.6) return 'red';
  if (level > 0.3) return 'yellow';
  return 'green';
}

/**
 * Whether the meter says "Receiving audio".
 * @param {number} level
 */
export function receivingAudio(level) {
  return level > 0.01;
}
