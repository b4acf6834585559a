// Whispers enforcement in the SFU (W-S7): my audio tracks may be subscribed only by my chain
// successor, and I do not even subscribe to audio other than my source's. Re-applied whenever the
// chain, the participants or my tracks change, because LiveKit's permissions name participants
// and tracks explicitly.

import { isAudible, permissionsKey, subscriptionPermissions } from '../rules/whispers.js';

/**
 * @param {object} deps
 * @param {Record<string, string>} deps.RoomEvent
 * @param {() => { me: string, whispers: import('../rules/whispers.js').WhisperState }} deps.state
 */
export function createWhisperGuard({ RoomEvent, state }) {
  /** @type {any} */
  let room = null;
  let sentKey = '';
  /** Publications we unsubscribed from, to subscribe again when whispers ends. */
  const declined = new Set();

  /** @param {any} next */
  function bind(next) {
    room = next;
    sentKey = '';
    const refresh = () => apply();
    // Whatever was set before the signal connection existed is sent again once it does.
    const resend = () => {
      sentKey = '';
      apply();
    };
    const names = [
      RoomEvent.ParticipantConnected,
      RoomEvent.ParticipantDisconnected,
      RoomEvent.LocalTrackPublished,
      RoomEvent.LocalTrackUnpublished,
      RoomEvent.TrackPublished,
    ];
    for (const name of names) next.on(name, refresh);
    next.on(RoomEvent.Connected, resend);
    apply();
    return () => {
      for (const name of names) next.off(name, refresh);
      next.off(RoomEvent.Connected, resend);
      if (room === next) room = null;
      declined.clear();
    };
  }

  /** Brings permissions and subscriptions in line with the current chain. */
  function apply() {
    if (!room) return;
    const { me, whispers } = state();
    const permissions = subscriptionPermissions({
      whispers,
      me,
      remoteIdentities: room.remoteParticipants.keys(),
      localTracks: [...room.localParticipant.trackPublications.values()].map((p) => ({
        sid: p.trackSid,
        kind: p.kind,
      })),
    });
    const key = permissionsKey(permissions);
    // Before the signal connection exists the SDK can only complain; `Connected` sends them.
    if (key !== sentKey && room.state === 'connected') {
      room.localParticipant.setTrackSubscriptionPermissions(
        permissions.allParticipantsAllowed,
        permissions.participantTrackPermissions,
      );
      sentKey = key;
    }
    for (const participant of room.remoteParticipants.values()) {
      const wanted = isAudible(participant.identity, whispers, me);
      for (const publication of participant.trackPublications.values()) {
        if (publication.kind !== 'audio') continue;
        if (!wanted && publication.isSubscribed !== false) {
          publication.setSubscribed(false);
          declined.add(publication);
        } else if (wanted && declined.has(publication)) {
          publication.setSubscribed(true);
          declined.delete(publication);
        }
      }
    }
  }

  return { bind, apply };
}
