// Derived views of the state: what each part of the page lists, and who may do what.
// No DOM; the rules 1.x got wrong (who sees Lift, which rooms are listed) live here, tested.

import { byLocale, parseServerTime } from './format.js';
import { myPunishment, roomIsJail } from './state.js';

/** @typedef {import('./state.js').State} State */

/** @param {any} value */
const isJail = (value) => value === true || value === 1;

/**
 * Rooms for the sidebar, by name: jails only when they are where I am.
 * @param {State} state
 */
export function visibleRooms(state) {
  return [...state.rooms.values()]
    .filter((room) => !isJail(room.is_jail) || room.id === state.currentRoomId)
    .sort((a, b) => byLocale(a.name, b.name) || a.id - b.id);
}

/** @param {State} state @param {number} roomId */
export function roomMembers(state, roomId) {
  return state.members.get(roomId) ?? [];
}

/**
 * Everyone but me: online first, then offline, each by display name.
 * @param {State} state
 */
export function people(state) {
  const others = [...state.users.values()].filter((user) => user.id !== state.me.id);
  const byName = (/** @type {any} */ a, /** @type {any} */ b) => byLocale(a.display_name, b.display_name) || a.id - b.id;
  return {
    online: others.filter((user) => user.is_online).sort(byName),
    offline: others
      .filter((user) => !user.is_online)
      .sort(byName)
      .map((user) => ({ ...user, lastSeenMs: parseServerTime(user.last_seen) })),
  };
}

/** The open vote in a room, if any. @param {State} state @param {number|null} roomId */
export function activeVote(state, roomId) {
  if (roomId === null) return null;
  return [...state.votes.values()].find((vote) => vote.sourceRoomId === roomId) ?? null;
}

/** Punishments whose source is this room (the "jailed from this room" panel). @param {State} state @param {number|null} roomId */
export function jailedFrom(state, roomId) {
  if (roomId === null) return [];
  return [...state.punishments.values()]
    .filter((punishment) => punishment.sourceRoomId === roomId)
    .sort((a, b) => byLocale(a.targetDisplayName ?? '', b.targetDisplayName ?? ''));
}

/**
 * Lift is offered only to those the server lets lift: the source room's creator, or staff.
 * @param {State} state @param {{sourceRoomId: number}} punishment
 */
export function canLift(state, punishment) {
  if (state.me.is_staff) return true;
  const room = state.rooms.get(punishment.sourceRoomId);
  return room !== undefined && room.created_by === state.me.id;
}

/**
 * Delete is offered as the server allows it: the creator or staff, and never for General, where
 * newcomers land (rooms/services/rooms.py).
 * @param {State} state @param {{name: string, is_jail: any, created_by: number|null}} room
 */
export function canDelete(state, room) {
  if (room.name === 'General' && !isJail(room.is_jail)) return false;
  return room.created_by === state.me.id || state.me.is_staff === true;
}

/**
 * Whether I can start a vote against `userId` in my current room.
 * @param {State} state @param {number} userId
 */
export function canVoteAgainst(state, userId) {
  const roomId = state.currentRoomId;
  if (roomId === null || userId === state.me.id) return false;
  if (roomIsJail(state, roomId) || myPunishment(state) !== null) return false;
  if (activeVote(state, roomId) !== null) return false;
  if (state.joinedRoomId !== roomId) return false;
  return roomMembers(state, roomId).some((member) => member.id === userId);
}

/**
 * Who I hear in whispers mode: the member before me in the circular chain.
 * @param {import('./state.js').ChainEntry[]} chain
 * @param {number} myId
 */
export function whisperSource(chain, myId) {
  const ordered = [...chain].sort((a, b) => a.position - b.position);
  const index = ordered.findIndex((entry) => entry.userId === myId);
  if (index === -1) return null;
  return ordered[(index - 1 + ordered.length) % ordered.length];
}

/** @param {State} state */
export function whispersOn(state) {
  const roomId = state.currentRoomId;
  if (roomId === null) return false;
  return state.rooms.get(roomId)?.mode === 'whispers' || state.chains.has(roomId);
}

/** The chain of my current room in position order. @param {State} state */
export function currentChain(state) {
  const roomId = state.currentRoomId;
  return roomId === null ? [] : state.chains.get(roomId) ?? [];
}

/** The room new people land in: "General", else the first ordinary room. @param {State} state */
export function defaultRoom(state) {
  const rooms = [...state.rooms.values()].filter((room) => !isJail(room.is_jail));
  const general = rooms.find((room) => room.name === 'General');
  if (general) return general;
  rooms.sort((a, b) => a.id - b.id);
  return rooms[0] ?? null;
}
