// Shares my small state (deafened) with the others in the call and keeps theirs, over reliable
// data messages (see peerstate.js for why not attributes).

import { PEER_STATE_TOPIC, decodePeerState, encodePeerState } from '../rules/peer-state.js';

/**
 * @param {object} deps
 * @param {Record<string, string>} deps.RoomEvent
 * @param {() => import('../rules/peer-state.js').PeerState} deps.mine
 * @param {() => void} deps.onChange
 */
export function createPeerStates({ RoomEvent, mine, onChange }) {
  /** @type {Map<string, import('../rules/peer-state.js').PeerState>} */
  const states = new Map();
  /** @type {any} */
  let room = null;

  /** @param {any} next */
  function bind(next) {
    room = next;
    /** @type {Array<[string, (...args: any[]) => void]>} */
    const handlers = [
      [RoomEvent.Connected, () => void send()],
      [RoomEvent.ParticipantConnected, (participant) => void send([participant.identity])],
      [
        RoomEvent.ParticipantDisconnected,
        (participant) => {
          if (states.delete(participant.identity)) onChange();
        },
      ],
      [
        RoomEvent.DataReceived,
        (payload, participant, _kind, topic) => {
          if (topic !== PEER_STATE_TOPIC || !participant) return;
          const state = decodePeerState(payload);
          if (state) {
            states.set(participant.identity, state);
            onChange();
          }
        },
      ],
    ];
    for (const [name, fn] of handlers) next.on(name, fn);
    return () => {
      for (const [name, fn] of handlers) next.off(name, fn);
      if (room === next) room = null;
      states.clear();
    };
  }

  /**
   * Sends my state to everyone, or to the named participants (a newcomer).
   * @param {string[]} [to]
   */
  async function send(to) {
    if (!room || room.state !== 'connected') return;
    try {
      await room.localParticipant.publishData(encodePeerState(mine()), {
        reliable: true,
        topic: PEER_STATE_TOPIC,
        ...(to ? { destinationIdentities: to } : {}),
      });
    } catch (error) {
      console.warn('could not share call state', error);
    }
  }

  return {
    bind,
    send,
    /** @param {string} identity */
    deafened: (identity) => states.get(identity)?.deafened ?? false,
  };
}
