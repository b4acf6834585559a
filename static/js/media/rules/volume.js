// Per-user playback volume and the mutes layered over it.
//
// Volume is a Web Audio gain from 0 to 2 (0–200 %, W-B1), remembered per LiveKit identity. The
// mutes are separate layers multiplied in, so lifting one never undoes another (W-B6: a muted
// stream audio stays muted when whispers, deafen or a local mute change).

export const MIN_VOLUME = 0;
export const MAX_VOLUME = 2;
export const DEFAULT_VOLUME = 1;
// 2.x: DJ Tokoloshe and every pipe share one volume, stored under the DJ's identity, 5 % unless
// set (music should sit under the voices).
export const BOT_VOLUME_KEY = '__music-bot__';
export const DEFAULT_BOT_VOLUME = 0.05;

/**
 * Whether an identity is a bot (the DJ or a pipe): usernames cannot contain `-` or start `__`.
 * @param {string} identity
 */
export function isBot(identity) {
  return identity === BOT_VOLUME_KEY || (identity.startsWith('__pipe-') && identity.endsWith('__'));
}

/** @param {string} identity the key its volume is stored under */
function volumeKey(identity) {
  return isBot(identity) ? BOT_VOLUME_KEY : identity;
}

/** @param {string} key */
function defaultFor(key) {
  return key === BOT_VOLUME_KEY ? DEFAULT_BOT_VOLUME : DEFAULT_VOLUME;
}

/**
 * A valid volume: a finite number clamped to 0..2; anything else is the default.
 * @param {unknown} value
 */
export function clampVolume(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_VOLUME;
  return Math.min(MAX_VOLUME, Math.max(MIN_VOLUME, value));
}

/**
 * The slider's integer percent for a volume.
 * @param {number} volume
 */
export function volumeToPercent(volume) {
  return Math.round(clampVolume(volume) * 100);
}

/**
 * The volume for a slider percent (0..200; out-of-range input is clamped).
 * @param {number | string} percent
 */
export function percentToVolume(percent) {
  const n = typeof percent === 'string' ? Number.parseFloat(percent) : percent;
  return clampVolume(Number.isFinite(n) ? Math.round(n) / 100 : DEFAULT_VOLUME);
}

/**
 * @typedef {object} PlaybackLayers
 * @property {number} volume        the user's remembered volume (0..2)
 * @property {boolean} localMuted   I muted this user for myself
 * @property {boolean} deafened     I am deafened
 * @property {boolean} audible      whispers allows me to hear this user
 */

/**
 * The gain for all of one participant's audio.
 * @param {PlaybackLayers} layers
 */
export function participantGain({ volume, localMuted, deafened, audible }) {
  if (localMuted || deafened || !audible) return 0;
  return clampVolume(volume);
}

/**
 * The extra gain for one source of a participant (their screen-share audio can be muted alone).
 * @param {{ sourceMuted: boolean }} layer
 */
export function sourceGain({ sourceMuted }) {
  return sourceMuted ? 0 : 1;
}

/**
 * Whether a participant's speaking glow is shown: not for someone I cannot hear anyway.
 * @param {PlaybackLayers} layers
 */
export function showsSpeaking(layers) {
  return !layers.localMuted && layers.audible;
}

/**
 * A remembered-volumes map, cleaned: only finite numbers, clamped; entries at 100 % dropped
 * (they are the default and need not be stored).
 * @param {unknown} stored
 * @returns {Record<string, number>}
 */
export function normaliseVolumes(stored) {
  /** @type {Record<string, number>} */
  const result = {};
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return result;
  for (const [identity, value] of Object.entries(stored)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const volume = clampVolume(value);
    if (volume !== defaultFor(identity)) result[identity] = volume;
  }
  return result;
}

/**
 * The map with one identity's volume changed.
 * @param {Record<string, number>} volumes
 * @param {string} identity
 * @param {number} volume
 * @returns {Record<string, number>}
 */
export function withVolume(volumes, identity, volume) {
  const next = { ...volumes };
  const key = volumeKey(identity);
  const v = clampVolume(volume);
  if (v === defaultFor(key)) delete next[key];
  else next[key] = v;
  return next;
}

/**
 * @param {Record<string, number>} volumes
 * @param {string} identity
 */
export function volumeOf(volumes, identity) {
  const key = volumeKey(identity);
  return Object.hasOwn(volumes, key) ? clampVolume(volumes[key]) : defaultFor(key);
}
