// Every remembered media setting: its stored name, default, validation, and how to adopt what a
// 1.x client left in the same browser (so an upgrade keeps people's volumes, keys and pack).
//
// Fixes W-B1/W-B2/W-B15: local mutes, deafen and device choices are remembered too.

import { normaliseBindings } from '../rules/hotkeys.js';
import { noiseEngine } from '../rules/noise.js';
import { DEFAULT_PRESET, isPresetKey } from '../rules/share-presets.js';
import { DEFAULT_SOUND_PACK, soundPackKey } from '../rules/sound-packs.js';
import { clampVolume, normaliseVolumes } from '../rules/volume.js';
import { createStore, safeParse } from './local-store.js';

/** @typedef {import('./local-store.js').Store} Store */

/**
 * @typedef {object} SavedDevice
 * @property {string} deviceId
 * @property {string} label   matched when a browser rotates device ids
 */

/**
 * @typedef {object} MediaSettings
 * @property {Record<string, number>} volumes       identity → 0..2
 * @property {string[]} localMutes                   identities I muted for myself
 * @property {boolean} deafened
 * @property {import('../rules/mic-controls.js').MicMode} micMode
 * @property {import('../rules/hotkeys.js').HotkeyBindings} hotkeys
 * @property {import('../rules/sound-packs.js').SoundPackKey} soundPack
 * @property {number} notificationVolume            0..1
 * @property {import('../rules/share-presets.js').PresetKey} shareQuality
 * @property {boolean} shareAudio
 * @property {{ audioinput: SavedDevice | null, audiooutput: SavedDevice | null, videoinput: SavedDevice | null }} devices
 * @property {number} inputGain                      0..2
 * @property {boolean} noiseSuppression
 * @property {boolean} echoCancellation
 * @property {boolean} autoGainControl
 * @property {number} soundboardVolume              0..1, the clips I play (room, monitor, preview)
 * @property {number} soundboardHearing             0..1, others' clips as I hear them
 * @property {boolean} noiseCancellation           RNNoise/Speex on the published mic (2.x)
 * @property {import('../rules/noise.js').NoiseEngine} noiseEngine
 */

/** @typedef {keyof MediaSettings} SettingName */

/**
 * @template T
 * @typedef {object} SettingDefinition
 * @property {T} fallback
 * @property {(value: unknown) => T | undefined} validate
 * @property {string} [legacyKey]  the key a 1.x client used in localStorage
 * @property {(raw: string) => T | undefined} [fromLegacy]
 */

/** @param {unknown} v */
const bool = (v) => (typeof v === 'boolean' ? v : undefined);

/**
 * @param {number} min
 * @param {number} max
 * @returns {(v: unknown) => number | undefined}
 */
const numberIn = (min, max) => (v) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : undefined;

/** @param {unknown} v */
const savedDevice = (v) => {
  if (v === null) return null;
  if (!v || typeof v !== 'object') return undefined;
  const { deviceId, label } = /** @type {Record<string, unknown>} */ (v);
  if (typeof deviceId !== 'string' || !deviceId) return undefined;
  return { deviceId, label: typeof label === 'string' ? label : '' };
};

/** @param {unknown} v */
const devices = (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const raw = /** @type {Record<string, unknown>} */ (v);
  /** @param {string} kind */
  const one = (kind) => savedDevice(raw[kind] ?? null) ?? null;
  return { audioinput: one('audioinput'), audiooutput: one('audiooutput'), videoinput: one('videoinput') };
};

/** @param {unknown} v */
const identities = (v) => (Array.isArray(v) ? [...new Set(v.filter((x) => typeof x === 'string' && x))] : undefined);

/** @param {string} raw  1.x stored some values bare and some as JSON */
const bareOrJson = (raw) => {
  const parsed = safeParse(raw);
  return parsed.ok ? parsed.value : raw;
};

/** @type {{ [K in SettingName]: SettingDefinition<MediaSettings[K]> }} */
export const SETTINGS = {
  volumes: {
    fallback: {},
    validate: (v) => (v && typeof v === 'object' && !Array.isArray(v) ? normaliseVolumes(v) : undefined),
    // 1.x stored 0..1 with 1 = 100 %, the same scale as ours.
    legacyKey: 'distokoloshe_volumes',
    fromLegacy: (raw) => {
      const parsed = safeParse(raw);
      return parsed.ok && parsed.value && typeof parsed.value === 'object' ? normaliseVolumes(parsed.value) : undefined;
    },
  },
  localMutes: { fallback: [], validate: identities },
  deafened: { fallback: false, validate: bool },
  micMode: { fallback: 'toggle', validate: (v) => (v === 'toggle' || v === 'ptt' ? v : undefined) },
  hotkeys: {
    fallback: normaliseBindings({}),
    validate: (v) => (v && typeof v === 'object' ? normaliseBindings(v) : undefined),
    legacyKey: 'distokoloshe_hotkeys',
    fromLegacy: (raw) => {
      const parsed = safeParse(raw);
      return parsed.ok && parsed.value && typeof parsed.value === 'object'
        ? normaliseBindings(parsed.value)
        : undefined;
    },
  },
  soundPack: {
    fallback: DEFAULT_SOUND_PACK,
    validate: soundPackKey,
    legacyKey: 'distokoloshe_sound_pack',
    fromLegacy: (raw) => soundPackKey(bareOrJson(raw)),
  },
  notificationVolume: { fallback: 1, validate: numberIn(0, 1) },
  shareQuality: {
    fallback: DEFAULT_PRESET,
    validate: (v) => (isPresetKey(v) ? v : undefined),
    legacyKey: 'distokoloshe_share_quality',
    fromLegacy: (raw) => {
      const value = bareOrJson(raw);
      return isPresetKey(value) ? value : undefined;
    },
  },
  shareAudio: { fallback: true, validate: bool },
  devices: { fallback: { audioinput: null, audiooutput: null, videoinput: null }, validate: devices },
  inputGain: {
    fallback: 1,
    validate: (v) => (typeof v === 'number' && Number.isFinite(v) ? clampVolume(v) : undefined),
  },
  noiseSuppression: { fallback: true, validate: bool },
  echoCancellation: { fallback: true, validate: bool },
  autoGainControl: { fallback: true, validate: bool },
  soundboardVolume: {
    fallback: 0.5,
    validate: numberIn(0, 1),
    // 2.x's key, the same 0..1 scale.
    legacyKey: 'distokoloshe_soundboard_volume',
    fromLegacy: (raw) => numberIn(0, 1)(Number(raw)),
  },
  soundboardHearing: { fallback: 1, validate: numberIn(0, 1) },
  // 2.x's keys and values ('true'/'false'; 'rnnoise'/'speex'), adopted from a 2.x client.
  noiseCancellation: {
    fallback: false,
    validate: bool,
    legacyKey: 'distokoloshe_noise_cancellation',
    fromLegacy: (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined),
  },
  noiseEngine: {
    fallback: 'rnnoise',
    validate: noiseEngine,
    legacyKey: 'distokoloshe_noise_engine',
    fromLegacy: noiseEngine,
  },
};

/**
 * The media settings over a store. Reads validate every time (another tab may have written);
 * writes validate too, so nothing invalid is ever stored.
 * @param {Store} [store]
 */
export function createMediaSettings(store = createStore()) {
  /**
   * @template {SettingName} K
   * @param {K} name
   * @returns {MediaSettings[K]}
   */
  function get(name) {
    const def = /** @type {SettingDefinition<MediaSettings[K]>} */ (SETTINGS[name]);
    if (!store.has(name) && def.legacyKey && def.fromLegacy) {
      const raw = store.getRaw(def.legacyKey);
      const adopted = raw === null ? undefined : def.fromLegacy(raw);
      if (adopted !== undefined) {
        store.write(name, adopted);
        return adopted;
      }
    }
    return store.read(name, clone(def.fallback), def.validate);
  }

  /**
   * Stores a value after validating it; returns what was stored (normalised), or the current
   * value when `value` is invalid.
   * @template {SettingName} K
   * @param {K} name
   * @param {MediaSettings[K]} value
   * @returns {MediaSettings[K]}
   */
  function set(name, value) {
    const def = /** @type {SettingDefinition<MediaSettings[K]>} */ (SETTINGS[name]);
    const valid = def.validate(value);
    if (valid === undefined) return get(name);
    store.write(name, valid);
    return valid;
  }

  /**
   * @template {SettingName} K
   * @param {K} name
   * @param {(current: MediaSettings[K]) => MediaSettings[K]} change
   */
  function update(name, change) {
    return set(name, change(get(name)));
  }

  /** @returns {MediaSettings} */
  function all() {
    return /** @type {MediaSettings} */ (
      Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, get(/** @type {SettingName} */ (name))]))
    );
  }

  return { get, set, update, all };
}

/** @typedef {ReturnType<typeof createMediaSettings>} MediaSettingsStore */

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function clone(value) {
  return value && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value;
}
