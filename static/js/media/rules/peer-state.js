// The small state each client shares with the others in the call (today: "I am deafened").
//
// It travels as a reliable LiveKit data message rather than participant attributes: attributes
// need the canUpdateOwnMetadata grant, which would also let any client rename itself in the call,
// and the join token keeps 1.x's four grants. Data messages are attributed by the SFU to the
// sender's identity, so nobody can speak for someone else. New arrivals get the state sent to them
// directly.

export const PEER_STATE_TOPIC = 'distokoloshe.peer-state';
const VERSION = 1;

/**
 * @typedef {object} PeerState
 * @property {boolean} deafened
 */

/**
 * @param {PeerState} state
 * @returns {Uint8Array}
 */
export function encodePeerState(state) {
  return new TextEncoder().encode(JSON.stringify({ v: VERSION, deafened: Boolean(state.deafened) }));
}

/**
 * The state in a received payload, or null for anything malformed or from a future version.
 * @param {Uint8Array} payload
 * @returns {PeerState | null}
 */
export function decodePeerState(payload) {
  try {
    const value = JSON.parse(new TextDecoder().decode(payload));
    if (!value || value.v !== VERSION || typeof value.deafened !== 'boolean') return null;
    return { deafened: value.deafened };
  } catch {
    return null;
  }
}
