// Soundbites: whom a page may record, and the WAV a saved one becomes. No DOM, no Web Audio.
//
// A page keeps the last SOUNDBITE_SECONDS of each remote microphone, except bots' and except
// anyone who opted out (2.x's `soundbiteOptOut`, in their LiveKit metadata or, from this
// server, in the presence snapshot and its events). Opting out must mean no recording at all,
// not a recording nobody can save.

export const SOUNDBITE_SECONDS = 10;

/** Bytes a page holds per recorded participant: the mono Float32 ring. @param {number} sampleRate */
export function ringBytes(sampleRate, seconds = SOUNDBITE_SECONDS) {
  return Math.round(seconds * sampleRate) * Float32Array.BYTES_PER_ELEMENT;
}

/** 2.x's bots (the music bot and piped streams) are never recorded. @param {string} identity */
export function isBot(identity) {
  return identity === '__music-bot__' || identity.startsWith('__pipe-');
}

/**
 * Whether LiveKit participant metadata says "no soundbites of me" (2.x's `{"soundbiteOptOut":true}`).
 * @param {string | undefined | null} metadata
 */
export function metadataOptsOut(metadata) {
  if (!metadata) return false;
  try {
    const parsed = JSON.parse(metadata);
    return Boolean(parsed && typeof parsed === 'object' && parsed.soundbiteOptOut === true);
  } catch {
    return false;
  }
}

/**
 * Whether this page may record `identity`: not me, not a bot, not opted out by either source.
 * @param {{ identity: string, metadata?: string | null }} participant
 * @param {{ me: string, optedOut: ReadonlySet<string> }} context  optedOut: usernames from the server
 */
export function mayRecord(participant, { me, optedOut }) {
  const { identity } = participant;
  if (identity === me || isBot(identity)) return false;
  return !optedOut.has(identity) && !metadataOptsOut(participant.metadata);
}

/**
 * A soundbite's file name, as 2.x names it: `<displayName>_soundbite_<epochMs>.wav`, with the
 * characters no file system takes replaced.
 * @param {string} displayName @param {number} epochMs
 */
export function soundbiteFileName(displayName, epochMs) {
  const safe = displayName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || 'someone';
  return `${safe}_soundbite_${epochMs}.wav`;
}

/**
 * Mono 16-bit PCM WAV of `samples` (-1..1, clipped).
 * @param {Float32Array} samples @param {number} sampleRate
 * @returns {ArrayBuffer}
 */
export function encodeWav(samples, sampleRate) {
  const dataBytes = samples.length * 2;
  const buffer = new ArrayBuffer(44 + dataBytes);
  const view = new DataView(buffer);
  const text = (/** @type {number} */ at, /** @type {string} */ s) => {
    for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return buffer;
}
