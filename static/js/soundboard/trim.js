// The clip trimmer's rules, without the DOM: the waveform's peaks, the selection and its limits
// (2.x's: at most 10 s, at least 0.1 s between the handles, the first 10 s chosen at first),
// the readout, and the WAV the browser uploads (mono, channel 0, 16-bit PCM, decoded rate).

export const MAX_SECONDS = 10;
export const MIN_GAP = 0.1;

/**
 * Channel-0 min/max per pixel column.
 * @param {Float32Array} samples @param {number} width
 * @returns {Array<[number, number]>}
 */
export function peaks(samples, width) {
  const columns = Math.max(1, Math.floor(width));
  const per = Math.max(1, Math.floor(samples.length / columns));
  /** @type {Array<[number, number]>} */
  const out = [];
  for (let column = 0; column < columns; column += 1) {
    let low = 0;
    let high = 0;
    const end = Math.min(samples.length, (column + 1) * per);
    for (let i = column * per; i < end; i += 1) {
      const value = samples[i];
      if (value < low) low = value;
      if (value > high) high = value;
    }
    out.push([low, high]);
  }
  return out;
}

/** The whole clip if it is short enough, else its first 10 s. @param {number} duration */
export function initialSelection(duration) {
  return { start: 0, end: Math.min(duration, MAX_SECONDS) };
}

/**
 * Moves one handle (or the whole region) and keeps the selection valid: inside the clip, the
 * handles at least MIN_GAP apart. A region keeps its length.
 * @param {{start: number, end: number}} selection
 * @param {'start'|'end'|'region'} what
 * @param {number} value seconds: the handle's new place, or for a region its new start
 * @param {number} duration
 */
export function moveSelection(selection, what, value, duration) {
  if (what === 'region') {
    const length = selection.end - selection.start;
    const start = Math.min(Math.max(0, value), Math.max(0, duration - length));
    return { start, end: start + length };
  }
  if (what === 'start') {
    return { start: Math.min(Math.max(0, value), selection.end - MIN_GAP), end: selection.end };
  }
  return { start: selection.start, end: Math.max(Math.min(duration, value), selection.start + MIN_GAP) };
}

/** Whether Confirm may upload it (2.x: over 0.05 s, at most 10 s). @param {{start: number, end: number}} s */
export function canConfirm(s) {
  const length = s.end - s.start;
  return length > 0.05 && length <= MAX_SECONDS + 1e-9;
}

/** The readout under the waveform, 2.x's words. @param {{start: number, end: number}} s */
export function readout(s) {
  return `Start: ${s.start.toFixed(1)}s  End: ${s.end.toFixed(1)}s  Duration: ${(s.end - s.start).toFixed(1)}s`;
}

/**
 * A mono 16-bit PCM WAV of `samples` from `start` to `end` seconds.
 * @param {Float32Array} samples @param {number} sampleRate @param {number} start @param {number} end
 * @returns {ArrayBuffer}
 */
export function encodeWav(samples, sampleRate, start, end) {
  const from = Math.max(0, Math.floor(start * sampleRate));
  const to = Math.min(samples.length, Math.floor(end * sampleRate));
  const count = Math.max(0, to - from);
  const buffer = new ArrayBuffer(44 + count * 2);
  const view = new DataView(buffer);
  const text = (/** @type {number} */ at, /** @type {string} */ value) => {
    for (let i = 0; i < value.length; i += 1) view.setUint8(at + i, value.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + count * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, count * 2, true);
  for (let i = 0; i < count; i += 1) {
    const value = Math.max(-1, Math.min(1, samples[from + i]));
    view.setInt16(44 + i * 2, value < 0 ? value * 0x8000 : value * 0x7fff, true);
  }
  return buffer;
}

/** 2.x's re-check of the WAV it made, in its words. @param {number} seconds */
export function tooLong(seconds) {
  return seconds > MAX_SECONDS + 0.05 ? `Clip must be 10 seconds or less (got ${seconds.toFixed(1)}s)` : null;
}
