// Starting and stopping my screen share: the chosen preset, the codec policy, optional audio.
// Failures other than the user closing the picker are reported (W-B13).

import { chooseScreenShareCodec, encodableCodecs, engineFromBrowser } from '../rules/codecs.js';
import { presetFor, screenShareOptions } from '../rules/share-presets.js';

/**
 * @typedef {object} ShareEnvironment
 * @property {() => ({ name?: string, os?: string } | undefined)} browser      livekit-client's getBrowser
 * @property {() => ({ codecs?: Array<{ mimeType?: string }> } | null)} capabilities  RTCRtpSender.getCapabilities('video')
 */

/**
 * @typedef {{ ok: true, codec: import('../rules/codecs.js').CodecChoice }
 *   | { ok: false, cancelled: true }
 *   | { ok: false, cancelled: false, message: string }} ShareResult
 */

/**
 * The options a share would be published with, given this browser and room.
 * @param {ShareEnvironment} env
 * @param {{ preset: unknown, audio: boolean, e2ee: boolean }} choice
 */
export function planScreenShare(env, { preset, audio, e2ee }) {
  const codec = chooseScreenShareCodec({
    e2ee,
    engine: engineFromBrowser(env.browser()),
    encodable: encodableCodecs(env.capabilities()),
  });
  return { codec, ...screenShareOptions(presetFor(preset), codec, { audio }) };
}

/**
 * Starts sharing.
 * @param {any} room
 * @param {ShareEnvironment} env
 * @param {{ preset: unknown, audio: boolean }} choice
 * @returns {Promise<ShareResult>}
 */
export async function startScreenShare(room, env, { preset, audio }) {
  const plan = planScreenShare(env, { preset, audio, e2ee: Boolean(room.isE2EEEnabled) });
  try {
    await room.localParticipant.setScreenShareEnabled(true, plan.capture, plan.publish);
    return { ok: true, codec: plan.codec };
  } catch (error) {
    const name = /** @type {{ name?: string }} */ (error)?.name;
    // Closing the browser's picker is a choice, not a failure.
    if (name === 'NotAllowedError' || name === 'AbortError') return { ok: false, cancelled: true };
    return { ok: false, cancelled: false, message: shareErrorText(error) };
  }
}

/** @param {any} room */
export async function stopScreenShare(room) {
  await room.localParticipant.setScreenShareEnabled(false);
}

/** @param {unknown} error */
function shareErrorText(error) {
  const name = /** @type {{ name?: string }} */ (error)?.name;
  if (name === 'NotSupportedError' || name === 'DeviceUnsupportedError') return 'This browser cannot share the screen.';
  if (name === 'NotReadableError') return 'The screen could not be captured (another application may be blocking it).';
  return 'Screen sharing failed to start.';
}
