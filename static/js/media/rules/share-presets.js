// The four 1.x screen-share presets (original-ui §5.1) and their translation into
// livekit-client capture and publish options.
//
// Fixes W-B16: "Native" now captures the display at its own resolution (livekit-client treats a
// 0×0 resolution as uncapped) at up to 120 fps and 20 Mbps, instead of "ideal 4096×2160 at
// 8 Mbps"; the scalability mode sent is the one LiveKit actually uses (L1T3 for an SVC screen
// share), and the presets' text/motion intent survives the SDK's forced contentHint through an
// explicit degradation preference.

/** @typedef {import('./codecs.js').CodecChoice} CodecChoice */
/** @typedef {'low' | 'medium' | 'high' | 'ultra'} PresetKey */

/**
 * @typedef {object} ScreenSharePreset
 * @property {PresetKey} key
 * @property {string} label
 * @property {number | null} width   null = the display's own resolution
 * @property {number | null} height
 * @property {number} frameRate
 * @property {number} maxBitrate     bits per second
 * @property {'detail' | 'motion'} contentHint
 */

/** @type {readonly ScreenSharePreset[]} */
export const SCREEN_SHARE_PRESETS = Object.freeze([
  preset('low', 'Low (720p 30fps)', 1280, 720, 30, 1_500_000, 'detail'),
  preset('medium', 'Medium (1080p 30fps)', 1920, 1080, 30, 3_000_000, 'detail'),
  preset('high', 'High (1080p 60fps)', 1920, 1080, 60, 5_000_000, 'motion'),
  preset('ultra', 'Ultra (Native 120fps)', null, null, 120, 20_000_000, 'motion'),
]);

/** @type {PresetKey} */
export const DEFAULT_PRESET = 'medium';

/**
 * @param {PresetKey} key
 * @param {string} label
 * @param {number | null} width
 * @param {number | null} height
 * @param {number} frameRate
 * @param {number} maxBitrate
 * @param {'detail' | 'motion'} contentHint
 * @returns {ScreenSharePreset}
 */
function preset(key, label, width, height, frameRate, maxBitrate, contentHint) {
  return Object.freeze({ key, label, width, height, frameRate, maxBitrate, contentHint });
}

/**
 * Whether `key` names a preset.
 * @param {unknown} key
 * @returns {key is PresetKey}
 */
export function isPresetKey(key) {
  return SCREEN_SHARE_PRESETS.some((p) => p.key === key);
}

/**
 * The preset for `key`, or the default one for anything unknown.
 * @param {unknown} key
 * @returns {ScreenSharePreset}
 */
export function presetFor(key) {
  return (
    SCREEN_SHARE_PRESETS.find((p) => p.key === key) ??
    /** @type {ScreenSharePreset} */ (SCREEN_SHARE_PRESETS.find((p) => p.key === DEFAULT_PRESET))
  );
}

/**
 * Capture options for `setScreenShareEnabled(true, capture, publish)`.
 * @param {ScreenSharePreset} preset
 * @param {{ audio: boolean }} options
 */
export function screenShareCaptureOptions(preset, { audio }) {
  const native = preset.width === null || preset.height === null;
  return {
    // Shared audio is content (music, a game), not a voice: the call-oriented processing would
    // duck and gate it.
    audio: audio ? { echoCancellation: false, noiseSuppression: false, autoGainControl: false } : false,
    // 0×0 is livekit-client's "uncapped"; the frame rate then has to travel in `video`, which
    // it passes through to getDisplayMedia unchanged.
    resolution: native
      ? { width: 0, height: 0, frameRate: preset.frameRate }
      : {
          width: /** @type {number} */ (preset.width),
          height: /** @type {number} */ (preset.height),
          frameRate: preset.frameRate,
        },
    video: native ? /** @type {true} */ (/** @type {unknown} */ ({ frameRate: { ideal: preset.frameRate } })) : true,
    contentHint: preset.contentHint,
    systemAudio: audio ? /** @type {const} */ ('include') : /** @type {const} */ ('exclude'),
    // Sharing this very tab shows the call inside itself (W-B17's hall of mirrors).
    selfBrowserSurface: /** @type {const} */ ('exclude'),
    surfaceSwitching: /** @type {const} */ ('include'),
  };
}

/**
 * Publish options for the screen-share track.
 * @param {ScreenSharePreset} preset
 * @param {CodecChoice} codec
 */
export function screenSharePublishOptions(preset, codec) {
  const svc = codec.videoCodec === 'vp9' || codec.videoCodec === 'av1';
  return {
    videoCodec: codec.videoCodec,
    backupCodec: codec.backupCodec,
    screenShareEncoding: { maxBitrate: preset.maxBitrate, maxFramerate: preset.frameRate },
    // LiveKit forces L1T3 on an SVC screen share; VP8 uses simulcast instead.
    ...(svc ? { scalabilityMode: /** @type {const} */ ('L1T3') } : {}),
    // The SDK rewrites an SVC share's contentHint to "motion"; this keeps the preset's intent:
    // text stays sharp under congestion, games stay fluid.
    degradationPreference:
      preset.contentHint === 'detail'
        ? /** @type {RTCDegradationPreference} */ ('maintain-resolution')
        : /** @type {RTCDegradationPreference} */ ('maintain-framerate'),
  };
}

/**
 * Both option objects at once.
 * @param {ScreenSharePreset} preset
 * @param {CodecChoice} codec
 * @param {{ audio: boolean }} options
 */
export function screenShareOptions(preset, codec, options) {
  return {
    capture: screenShareCaptureOptions(preset, options),
    publish: screenSharePublishOptions(preset, codec),
  };
}
