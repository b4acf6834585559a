// Which video codec a screen share is published with.
//
// The rules (issue 6, fixing W-B16):
//  - E2EE on: VP9, because LiveKit cannot encrypt AV1 frames yet; VP8 on Safari-class engines,
//    whose VP9 encoder with an encoded-frame transform is unreliable.
//  - E2EE off: AV1 wherever the browser can encode it, else VP9, else VP8.
// "Can encode" is feature detection (RTCRtpSender.getCapabilities('video'), passed in as data),
// narrowed by what livekit-client itself will accept: it silently replaces AV1 on Safari and
// Firefox and VP9 on Firefox with VP8 (no SVC publishing there), and we would rather say so than
// pretend. The engine class comes from livekit-client's own browser detection for that reason:
// our choice must agree with the SDK's, not with a second guess.

/** @typedef {'vp8' | 'vp9' | 'av1' | 'h264'} VideoCodecName */
/** @typedef {'chromium' | 'firefox' | 'safari' | 'other'} EngineClass */

/**
 * @typedef {object} CodecChoice
 * @property {VideoCodecName} videoCodec
 * @property {false | { codec: 'vp8' }} backupCodec
 *   VP8 for subscribers that cannot decode an SVC codec; false with E2EE, where LiveKit ignores
 *   backup codecs anyway, and for VP8 itself.
 * @property {string} reason  one line explaining the choice (settings panel / logs)
 */

/**
 * Maps livekit-client's `getBrowser()` result to an engine class.
 * Every browser on iOS is WebKit, whatever its name.
 * @param {{ name?: string, os?: string } | undefined | null} browser
 * @returns {EngineClass}
 */
export function engineFromBrowser(browser) {
  if (!browser) return 'other';
  if (browser.name === 'Safari' || browser.os === 'iOS') return 'safari';
  if (browser.name === 'Firefox') return 'firefox';
  if (browser.name === 'Chrome') return 'chromium';
  return 'other';
}

/**
 * The codec names an `RTCRtpSender.getCapabilities('video')` result lists.
 * @param {{ codecs?: Array<{ mimeType?: string }> } | null | undefined} capabilities
 * @returns {Set<string>}
 */
export function encodableCodecs(capabilities) {
  /** @type {Set<string>} */
  const names = new Set();
  for (const codec of capabilities?.codecs ?? []) {
    const mime = String(codec?.mimeType ?? '').toLowerCase();
    if (mime.startsWith('video/')) names.add(mime.slice('video/'.length));
  }
  return names;
}

/**
 * Whether livekit-client will publish `codec` on this engine (it downgrades otherwise).
 * @param {VideoCodecName} codec
 * @param {EngineClass} engine
 */
export function sdkPublishes(codec, engine) {
  if (codec === 'av1') return engine === 'chromium' || engine === 'other';
  if (codec === 'vp9') return engine !== 'firefox';
  return true;
}

/**
 * @param {{ e2ee: boolean, engine: EngineClass, encodable: Set<string> }} input
 * @returns {CodecChoice}
 */
export function chooseScreenShareCodec({ e2ee, engine, encodable }) {
  /** @param {VideoCodecName} codec */
  const usable = (codec) => encodable.has(codec) && sdkPublishes(codec, engine);
  if (e2ee) {
    if (engine === 'safari') {
      return vp8('E2EE on a WebKit engine: VP8, the codec it encrypts reliably');
    }
    if (usable('vp9')) {
      return { videoCodec: 'vp9', backupCodec: false, reason: 'E2EE: VP9 (AV1 cannot be encrypted yet)' };
    }
    return vp8('E2EE: VP8, this browser cannot publish VP9');
  }
  if (usable('av1')) {
    return { videoCodec: 'av1', backupCodec: { codec: 'vp8' }, reason: 'AV1, with a VP8 fallback for older viewers' };
  }
  if (usable('vp9')) {
    return { videoCodec: 'vp9', backupCodec: { codec: 'vp8' }, reason: 'VP9 (no AV1 encoder), with a VP8 fallback' };
  }
  return vp8('VP8, the only codec this browser can publish here');
}

/**
 * @param {string} reason
 * @returns {CodecChoice}
 */
function vp8(reason) {
  return { videoCodec: 'vp8', backupCodec: false, reason };
}
