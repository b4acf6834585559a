// Which remote audio plays, and how loud: connects a Room's audio tracks to the audio graph and
// applies the layered gains (volume, local mute, deafen, whispers source, stream-audio mute).

import { participantGain, sourceGain, volumeOf } from '../rules/volume.js';
import { isAudible } from '../rules/whispers.js';

/**
 * @typedef {object} PlaybackPolicy
 * @property {string} me
 * @property {Record<string, number>} volumes
 * @property {ReadonlySet<string>} localMutes
 * @property {ReadonlySet<string>} streamMutes   identities whose screen-share audio I muted
 * @property {boolean} deafened
 * @property {import('../rules/whispers.js').WhisperState} whispers
 * @property {number} [soundboardHearing]        0..1, others' soundboard clips
 */

const SCREEN_SHARE_AUDIO = 'screen_share_audio';
// A soundboard track is ScreenShareAudio too (2.x): keyed apart, so a screen share's sound does
// not replace it and each has its own gain.
const SOUNDBOARD = 'soundboard';

/** @param {any} publication */
const sourceOf = (publication) => (publication.trackName === SOUNDBOARD ? SOUNDBOARD : publication.source);

/**
 * @param {object} deps
 * @param {import('./audio-graph.js').AudioGraph} deps.graph
 * @param {Record<string, string>} deps.RoomEvent
 * @param {() => PlaybackPolicy} deps.policy
 */
export function createPlayback({ graph, RoomEvent, policy }) {
  /** @type {Set<string>} */
  const identities = new Set();

  /**
   * Plays the room's audio until the returned function is called.
   * @param {any} room
   */
  function bind(room) {
    /** @type {Array<[string, (...args: any[]) => void]>} */
    const handlers = [
      [
        RoomEvent.TrackSubscribed,
        (track, publication, participant) => add(participant.identity, sourceOf(publication), track),
      ],
      [
        RoomEvent.TrackUnsubscribed,
        (_track, publication, participant) => graph.detach(participant.identity, sourceOf(publication)),
      ],
      [RoomEvent.ParticipantDisconnected, (participant) => remove(participant.identity)],
    ];
    for (const [name, fn] of handlers) room.on(name, fn);
    // Tracks subscribed before we were listening.
    for (const participant of room.remoteParticipants.values()) {
      for (const publication of participant.trackPublications.values()) {
        if (publication.kind === 'audio' && publication.track)
          add(participant.identity, sourceOf(publication), publication.track);
      }
    }
    return () => {
      for (const [name, fn] of handlers) room.off(name, fn);
      for (const identity of [...identities]) remove(identity);
    };
  }

  /**
   * @param {string} identity
   * @param {string} source
   * @param {any} track
   */
  function add(identity, source, track) {
    if (track?.kind !== 'audio') return;
    identities.add(identity);
    graph.attach(identity, source, track.mediaStreamTrack);
    applyTo(identity, policy());
  }

  /** @param {string} identity */
  function remove(identity) {
    identities.delete(identity);
    graph.detachAll(identity);
  }

  /**
   * @param {string} identity
   * @param {PlaybackPolicy} p
   */
  function applyTo(identity, p) {
    graph.setParticipantGain(identity, participantGain(layersFor(identity, p)));
    const streamGain = sourceGain({ sourceMuted: p.streamMutes.has(identity) });
    graph.setSourceGain(identity, SCREEN_SHARE_AUDIO, streamGain);
    graph.setSourceGain(identity, SOUNDBOARD, streamGain * (p.soundboardHearing ?? 1));
  }

  /** Re-applies every gain after a policy change (a slider, a mute, deafen, the chain). */
  function apply() {
    const p = policy();
    for (const identity of identities) applyTo(identity, p);
  }

  return { bind, apply };
}

/**
 * The gain layers of one participant under a policy.
 * @param {string} identity
 * @param {PlaybackPolicy} p
 */
export function layersFor(identity, p) {
  return {
    volume: volumeOf(p.volumes, identity),
    localMuted: p.localMutes.has(identity),
    deafened: p.deafened,
    audible: isAudible(identity, p.whispers, p.me),
  };
}
