// Describes the people in the call for the views: what each tile and room-list row shows.

import { participantEncryption } from '../rules/encryption.js';
import { layersFor } from '../adapters/audio-playback.js';
import { showsSpeaking } from '../rules/volume.js';
import { isDimmed } from '../rules/whispers.js';

/**
 * @typedef {object} CallParticipant
 * @property {string} identity       the username
 * @property {string} name           display name (falls back to the identity)
 * @property {boolean} isLocal
 * @property {boolean} speaking      the glow to show (suppressed for people I cannot hear)
 * @property {boolean} micOn
 * @property {boolean} cameraOn
 * @property {boolean} screenSharing
 * @property {boolean} hasScreenAudio
 * @property {boolean} deafened
 * @property {boolean} audible       whispers lets me hear them
 * @property {boolean} dimmed        whispers: not my source
 * @property {number} volume         0..2
 * @property {boolean} localMuted
 * @property {boolean} streamAudioMuted
 * @property {import('../rules/encryption.js').ParticipantEncryption} encryption
 * @property {string} quality        livekit-client ConnectionQuality
 * @property {string} metadata       the participant's own metadata (a pipe's `pipeTitle`)
 */

/**
 * @param {any} room
 * @param {object} context
 * @param {import('../adapters/audio-playback.js').PlaybackPolicy} context.policy
 * @param {ReadonlySet<string>} context.speakers   identities LiveKit reports as speaking
 * @param {boolean} context.micLive               my mic is live (for my own glow)
 * @param {boolean} context.selfDeafened
 * @param {(identity: string) => boolean} context.peerDeafened
 * @returns {CallParticipant[]}
 */
export function describeParticipants(room, { policy, speakers, micLive, selfDeafened, peerDeafened }) {
  if (!room) return [];
  const local = room.localParticipant;
  const me = describe(local, true);
  me.speaking = micLive && speakers.has(local.identity);
  me.deafened = selfDeafened;
  const others = [...room.remoteParticipants.values()].map((p) => {
    const d = describe(p, false);
    const layers = layersFor(p.identity, policy);
    d.audible = layers.audible;
    d.dimmed = isDimmed(p.identity, policy.whispers, policy.me);
    d.volume = layers.volume;
    d.localMuted = layers.localMuted;
    d.streamAudioMuted = policy.streamMutes.has(p.identity);
    d.speaking = speakers.has(p.identity) && showsSpeaking(layers);
    d.deafened = peerDeafened(p.identity);
    return d;
  });
  return [me, ...others];
}

/**
 * @param {any} p
 * @param {boolean} isLocal
 * @returns {CallParticipant}
 */
function describe(p, isLocal) {
  const publications = [...p.trackPublications.values()];
  const has = (/** @type {string} */ source) => publications.some((pub) => pub.source === source && !pub.isMuted);
  return {
    identity: p.identity,
    name: p.name || p.identity,
    isLocal,
    speaking: false,
    micOn: has('microphone'),
    cameraOn: has('camera'),
    screenSharing: publications.some((pub) => pub.source === 'screen_share'),
    hasScreenAudio: publications.some((pub) => pub.source === 'screen_share_audio' && (isLocal || pub.track)),
    deafened: false,
    audible: true,
    dimmed: false,
    volume: 1,
    localMuted: false,
    streamAudioMuted: false,
    encryption: participantEncryption(p),
    quality: String(p.connectionQuality ?? 'unknown'),
    metadata: typeof p.metadata === 'string' ? p.metadata : '',
  };
}

/**
 * The identities whose speaking glow shows, for the room list's dots.
 * @param {CallParticipant[]} participants
 */
export function speakingIdentities(participants) {
  return participants.filter((p) => p.speaking).map((p) => p.identity);
}
