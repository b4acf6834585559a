// Shared sample data for the unit tests: the personas and rooms the Python tests speak of.

import { applyHello, createState, setRooms, setUsers } from '../../static/js/lib/state.js';

export const ALICE = { id: 1, username: 'alice', display_name: 'Alice' };
export const BOB = { id: 2, username: 'bob', display_name: 'Bob' };
export const CAROL = { id: 3, username: 'carol', display_name: 'Carol' };
export const DAVE = { id: 4, username: 'dave', display_name: 'Dave' };

export const GENERAL = { id: 1, name: 'General', type: 'voice', created_by: null, mode: 'normal', is_jail: 0, jail_source_room_id: null };
export const LOUNGE = { id: 2, name: 'Lounge', type: 'voice', created_by: 1, mode: 'normal', is_jail: 0, jail_source_room_id: null };
export const JAIL = { id: 9, name: 'Jail: Lounge', type: 'voice', created_by: null, mode: 'normal', is_jail: 1, jail_source_room_id: 2 };

export const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

/** @param {number} secondsFromNow */
export function sqlAt(secondsFromNow) {
  return new Date(NOW + secondsFromNow * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** A punishment of dave, jailed from the Lounge. */
export function davePunishment(overrides = {}) {
  return {
    id: 7,
    targetUserId: DAVE.id,
    targetUsername: 'dave',
    targetDisplayName: 'Dave',
    sourceRoomId: LOUNGE.id,
    sourceRoomName: 'Lounge',
    jailRoomId: JAIL.id,
    jailRoomName: JAIL.name,
    durationSecs: 60,
    expiresAt: sqlAt(60),
    ...overrides,
  };
}

/**
 * A state for `me` after a snapshot and the room/user lists.
 * @param {any} me @param {any} [hello]
 */
export function syncedState(me, hello = {}) {
  const state = createState({ ...me, last_room_id: null, is_staff: false });
  setRooms(state, [GENERAL, LOUNGE, JAIL]);
  setUsers(state, [ALICE, BOB, CAROL, DAVE].map((u) => ({ ...u, last_seen: null, is_online: false })));
  applyHello(state, { me, online: [me], members: {}, votes: [], punishments: [], chains: {}, serverTime: new Date(NOW).toISOString(), ...hello }, NOW);
  return state;
}
