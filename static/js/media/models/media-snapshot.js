// The media layer's state as the views read it: one plain object per change.

import { micLive, showsMuted } from '../rules/mic-controls.js';
import { roomEncryption } from '../rules/encryption.js';
import { micProblemText } from '../adapters/microphone.js';
import { describeParticipants, speakingIdentities } from './participants-model.js';

/**
 * @param {object} parts
 * @param {any} parts.room
 * @param {import('../adapters/sfu-session.js').ConnectionState} parts.connection
 * @param {boolean} parts.e2eeSupported
 * @param {import('../adapters/audio-playback.js').PlaybackPolicy} parts.policy
 * @param {import('../rules/mic-controls.js').ControlState} parts.controls
 * @param {import('../adapters/microphone.js').MicProblem | null} parts.micProblem
 * @param {ReadonlySet<string>} parts.speakers
 * @param {(identity: string) => boolean} parts.peerDeafened
 * @param {import('../adapters/saved-settings.js').MediaSettingsStore} parts.settings
 * @param {import('../rules/codecs.js').CodecChoice | null} parts.shareCodec
 * @param {{ blocked: boolean, outputSelectable: boolean }} parts.audio
 * @param {{ measurements: import('../rules/quality.js').Measurements, tier: import('../rules/quality.js').Tier }} parts.quality
 * @param {{ lists: Record<string, MediaDeviceInfo[]>, active: Record<string, string | null> }} parts.devices
 * @param {import('../layer-support.js').Notice | null} parts.notice
 */
export function buildSnapshot(parts) {
  const { controls, policy } = parts;
  const participants = describeParticipants(parts.room, {
    policy,
    speakers: parts.speakers,
    micLive: micLive(controls),
    selfDeafened: controls.deafened,
    peerDeafened: parts.peerDeafened,
  });
  const local = participants.find((p) => p.isLocal);
  return {
    connection: parts.connection,
    e2ee: {
      supported: parts.e2eeSupported,
      setup: parts.connection.e2ee,
      room: roomEncryption({
        supported: parts.e2eeSupported,
        enabled: parts.connection.e2ee === 'on',
        remotes: participants.filter((p) => !p.isLocal).map((p) => ({ name: p.name, status: p.encryption })),
      }),
    },
    mic: {
      ...controls,
      live: micLive(controls),
      showsMuted: showsMuted(controls),
      problem: parts.micProblem && micProblemText(parts.micProblem),
    },
    camera: { on: Boolean(local?.cameraOn) },
    screenShare: {
      active: Boolean(local?.screenSharing),
      preset: parts.settings.get('shareQuality'),
      audio: parts.settings.get('shareAudio'),
      codec: parts.shareCodec,
    },
    audio: parts.audio,
    quality: parts.quality,
    participants,
    speaking: speakingIdentities(participants),
    whispers: policy.whispers,
    devices: parts.devices,
    notice: parts.notice,
  };
}

/** @typedef {ReturnType<typeof buildSnapshot>} MediaSnapshot */
