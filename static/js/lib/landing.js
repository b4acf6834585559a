// "No lurkers": where this page must be after a load, a reconnect or a release from jail.
// A pure decision, so every case is unit-tested; the controller carries it out.

import { defaultRoom } from './selectors.js';
import { myPunishment, roomOfUser } from './state.js';

/** @typedef {import('./state.js').State} State */
/** @typedef {{action: 'none'} | {action: 'join', roomId: number} | {action: 'follow', roomId: number|null}} Decision */

/** @param {any} value */
const isJail = (value) => value === true || value === 1;

/**
 * Decides after each snapshot (and room list refresh) what to do.
 * @param {State} state
 * @returns {Decision}
 */
export function decideLanding(state) {
  if (!state.synced || state.pendingJoinRoomId !== null) return { action: 'none' };
  const jail = myPunishment(state);
  if (jail && jail.jailRoomId) {
    return state.joinedRoomId === jail.jailRoomId ? { action: 'none' } : { action: 'join', roomId: jail.jailRoomId };
  }
  const serverRoom = roomOfUser(state, state.me.id);
  if (!state.landed) {
    const last = state.me.last_room_id === null ? undefined : state.rooms.get(state.me.last_room_id);
    // A stale jail as "last room" (the punishment ended while offline) is never a landing place.
    const target = last && !isJail(last.is_jail) ? last : defaultRoom(state);
    return target ? { action: 'join', roomId: target.id } : { action: 'none' };
  }
  if (state.joinedRoomId !== null) {
    if (serverRoom === state.joinedRoomId) return { action: 'none' };
    // Another tab moved me while this one was offline: show where I am, do not fight it.
    if (serverRoom !== null) return { action: 'follow', roomId: serverRoom };
    // The server let my membership lapse during a long drop: take my place again.
    const room = state.rooms.get(state.joinedRoomId);
    if (room && !isJail(room.is_jail)) return { action: 'join', roomId: room.id };
    const fallback = defaultRoom(state);
    return fallback ? { action: 'join', roomId: fallback.id } : { action: 'none' };
  }
  if (serverRoom !== state.currentRoomId) return { action: 'follow', roomId: serverRoom };
  return { action: 'none' };
}

/**
 * Where to go when my punishment ends: back to the source room, or General if it is gone.
 * @param {State} state @param {number|null} sourceRoomId
 */
export function releaseTarget(state, sourceRoomId) {
  if (sourceRoomId !== null && state.rooms.has(sourceRoomId)) return sourceRoomId;
  return defaultRoom(state)?.id ?? null;
}
