// What the menu on a person's tile offers: a vote to jail them (only where the server would
// let one start), their volume and muting them for me (only while they are in my call).
// No DOM, so the rules are unit-tested.

import { canVoteAgainst, roomMembers } from './selectors.js';

/**
 * @typedef {{identity: string, volume: number, localMuted: boolean}} CallPerson
 * @typedef {{
 *   name: string,
 *   vote: {offered: boolean, label: string},
 *   volume: {offered: boolean, percent: number, label: string},
 *   mute: {offered: boolean, muted: boolean, label: string},
 *   any: boolean,
 *   opener: string,
 * }} PersonMenuView
 */

/**
 * Whether a vote against `userId` can start in my room: the usual rules, and enough people in
 * the room (`minPeople`, the server's own minimum, handed to the page in its config).
 * @param {import('./state.js').State} state @param {number} userId @param {number} minPeople
 */
export function voteOffered(state, userId, minPeople) {
  if (!canVoteAgainst(state, userId)) return false;
  const roomId = state.currentRoomId ?? -1;
  return roomMembers(state, roomId).length >= minPeople;
}

/**
 * @param {import('./state.js').State} state
 * @param {{id: number, display_name: string}} user
 * @param {{minPeople: number, participant: CallPerson|null}} context
 * @returns {PersonMenuView}
 */
export function personMenu(state, user, { minPeople, participant }) {
  const name = user.display_name;
  const inCall = participant !== null && user.id !== state.me.id;
  const vote = { offered: voteOffered(state, user.id, minPeople), label: `Vote to jail ${name}` };
  const volume = {
    offered: inCall,
    percent: participant ? Math.round(participant.volume * 100) : 100,
    label: `Volume for ${name}`,
  };
  const muted = Boolean(participant?.localMuted);
  const mute = { offered: inCall, muted, label: muted ? `Unmute ${name} for me` : `Mute ${name} for me` };
  const any = vote.offered || volume.offered;
  return { name, vote, volume, mute, any, opener: `Options for ${name}` };
}
