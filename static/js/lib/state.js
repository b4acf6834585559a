// The page's picture of the world, and how the server's snapshot and events change it.
// Pure data in, effects out: no DOM and no network, so every rule here is unit-tested.

import { parseServerTime } from './format.js';

/**
 * @typedef {{id: number, username: string, display_name: string}} UserRef
 * @typedef {{id: number, username: string, display_name: string, last_seen: string|null,
 *   is_online: boolean}} Person
 * @typedef {{id: number, name: string, type: string, created_by: number|null, mode: string,
 *   is_jail: number|boolean, jail_source_room_id?: number|null}} Room
 * @typedef {{userId: number, username: string, displayName: string, position: number}} ChainEntry
 * @typedef {{id: number, sourceRoomId: number, targetUserId: number, targetUsername: string,
 *   targetDisplayName: string, initiatedBy?: {id: number}, durationSecs: number,
 *   eligibleCount: number, expiresAt: string, yesCount: number, noCount: number}} Vote
 * @typedef {{id: number, targetUserId: number, targetUsername?: string, targetDisplayName: string,
 *   sourceRoomId: number, sourceRoomName?: string, jailRoomId?: number, jailRoomName?: string,
 *   durationSecs: number, expiresAt: string}} Punishment
 * @typedef {{id: number, username: string, display_name: string, last_room_id: number|null,
 *   is_staff?: boolean}} Me
 * @typedef {{kind: string, [key: string]: any}} Effect
 */

/** @param {Me} me */
export function createState(me) {
  return {
    me,
    /** @type {Map<number, Room>} */
    rooms: new Map(),
    /** @type {Map<number, Person>} */
    users: new Map(),
    /** @type {Map<number, UserRef[]>} room id → members in join order */
    members: new Map(),
    /** @type {Map<number, Vote>} */
    votes: new Map(),
    /** @type {Map<number, 'yes'|'no'>} my ballots by vote id */
    ballots: new Map(),
    /** @type {Map<number, Punishment>} */
    punishments: new Map(),
    /** @type {Map<number, ChainEntry[]>} */
    chains: new Map(),
    /** The room this page shows (where the server has me). */
    currentRoomId: /** @type {number|null} */ (null),
    /** The room whose join response this tab holds (what media connects to). */
    joinedRoomId: /** @type {number|null} */ (null),
    /** A join this tab has asked for and not yet heard back about. */
    pendingJoinRoomId: /** @type {number|null} */ (null),
    /** The last room this page showed, to notice when it is deleted just after we left it. */
    previousRoomId: /** @type {number|null} */ (null),
    /** Server clock minus ours, so countdowns agree with the server's deadlines. */
    clockOffsetMs: 0,
    /** Whether the initial "no lurkers" landing has been done. */
    landed: false,
    /** Whether the first snapshot has arrived. */
    synced: false,
  };
}

/** @typedef {ReturnType<typeof createState>} State */

/** @param {any} value */
const isJail = (value) => value === true || value === 1;

/** @param {State} state @param {number|null} roomId */
export function roomIsJail(state, roomId) {
  const room = roomId === null ? undefined : state.rooms.get(roomId);
  return room ? isJail(room.is_jail) : false;
}

/** @param {State} state */
export function myPunishment(state) {
  const mine = [...state.punishments.values()].filter((p) => p.targetUserId === state.me.id);
  mine.sort((a, b) => (parseServerTime(b.expiresAt) ?? 0) - (parseServerTime(a.expiresAt) ?? 0));
  return mine[0] ?? null;
}

/** The room the server has a user in, from the members map. @param {State} state @param {number} userId */
export function roomOfUser(state, userId) {
  for (const [roomId, list] of state.members) {
    if (list.some((user) => user.id === userId)) return roomId;
  }
  return null;
}

/** @param {State} state @param {UserRef} user @param {number} roomId */
function putMember(state, user, roomId) {
  removeMember(state, user.id, null);
  const list = state.members.get(roomId) ?? [];
  state.members.set(roomId, [...list, { id: user.id, username: user.username, display_name: user.display_name }]);
  rememberUser(state, user);
}

/** @param {State} state @param {number} userId @param {number|null} roomId null: every room */
function removeMember(state, userId, roomId) {
  for (const [id, list] of state.members) {
    if (roomId !== null && id !== roomId) continue;
    const rest = list.filter((user) => user.id !== userId);
    if (rest.length === 0) state.members.delete(id);
    else if (rest.length !== list.length) state.members.set(id, rest);
  }
}

/** @param {State} state @param {UserRef} user @param {{online?: boolean}} [change] */
function rememberUser(state, user, change = {}) {
  if (user.id === state.me.id) {
    state.me = { ...state.me, username: user.username, display_name: user.display_name };
  }
  const known = state.users.get(user.id);
  state.users.set(user.id, {
    last_seen: null,
    is_online: false,
    ...known,
    id: user.id,
    username: user.username ?? known?.username,
    display_name: user.display_name ?? known?.display_name,
    ...change,
  });
}

/** @param {State} state @param {number} nowMs */
export function serverNow(state, nowMs) {
  return nowMs + state.clockOffsetMs;
}

/** @param {number} ms */
function sqlTimestamp(ms) {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Replaces everything the snapshot covers; called on every (re)connect.
 * @param {State} state
 * @param {any} hello
 * @param {number} nowMs
 * @returns {Effect[]}
 */
export function applyHello(state, hello, nowMs) {
  if (hello.me) state.me = { ...state.me, ...hello.me };
  const serverTime = parseServerTime(hello.serverTime);
  state.clockOffsetMs = serverTime === null ? 0 : serverTime - nowMs;
  const online = new Set((hello.online ?? []).map((/** @type {UserRef} */ u) => u.id));
  for (const person of state.users.values()) {
    if (person.is_online && !online.has(person.id)) {
      state.users.set(person.id, { ...person, is_online: false, last_seen: sqlTimestamp(serverNow(state, nowMs)) });
    }
  }
  for (const user of hello.online ?? []) rememberUser(state, user, { is_online: true });
  state.members = new Map();
  for (const [roomId, list] of Object.entries(hello.members ?? {})) {
    state.members.set(Number(roomId), list.map((/** @type {UserRef} */ u) => ({ id: u.id, username: u.username, display_name: u.display_name })));
    for (const user of list) rememberUser(state, user);
  }
  const ballots = new Map();
  state.votes = new Map();
  for (const vote of hello.votes ?? []) {
    state.votes.set(vote.id, { yesCount: 0, noCount: 0, ...vote });
    const mine = vote.myBallot ?? state.ballots.get(vote.id);
    if (mine === 'yes' || mine === 'no') ballots.set(vote.id, mine);
    else if (mine === true || mine === false) ballots.set(vote.id, mine ? 'yes' : 'no');
  }
  state.ballots = ballots;
  state.punishments = new Map((hello.punishments ?? []).map((/** @type {Punishment} */ p) => [p.id, p]));
  state.chains = new Map();
  for (const [roomId, chain] of Object.entries(hello.chains ?? {})) {
    if (Array.isArray(chain) && chain.length > 0) state.chains.set(Number(roomId), sortChain(chain));
  }
  state.synced = true;
  return [{ kind: 'resynced' }];
}

/** @param {ChainEntry[]} chain */
function sortChain(chain) {
  return [...chain].sort((a, b) => a.position - b.position);
}

/**
 * Replaces the room list with a fresh GET /api/rooms.
 * @param {State} state @param {Room[]} rooms
 */
export function setRooms(state, rooms) {
  state.rooms = new Map(rooms.map((room) => [room.id, room]));
}

/**
 * Replaces the people list with a fresh GET /api/users, keeping the snapshot's online flags.
 * @param {State} state @param {Person[]} users
 */
export function setUsers(state, users) {
  const next = new Map();
  for (const user of users) next.set(user.id, { ...user });
  state.users = next;
}

/**
 * Applies one realtime event; returns what the page must do about it.
 * @param {State} state
 * @param {string} type
 * @param {any} data
 * @param {number} nowMs
 * @returns {Effect[]}
 */
export function applyEvent(state, type, data, nowMs) {
  const handler = HANDLERS[type];
  return handler ? handler(state, data ?? {}, nowMs) : [];
}

/** @type {Record<string, (state: State, data: any, nowMs: number) => Effect[]>} */
const HANDLERS = {
  'room:created': (state, { room }) => {
    if (room) state.rooms.set(room.id, { ...state.rooms.get(room.id), ...room });
    return [];
  },
  'room:updated': (state, { room }) => {
    if (room) state.rooms.set(room.id, { ...state.rooms.get(room.id), ...room });
    if (room && room.mode !== 'whispers') state.chains.delete(room.id);
    return [];
  },
  'room:deleted': (state, { room }) => {
    if (!room) return [];
    state.rooms.delete(room.id);
    state.members.delete(room.id);
    state.chains.delete(room.id);
    const mine = state.currentRoomId === room.id || state.joinedRoomId === room.id
      || (state.currentRoomId === null && state.previousRoomId === room.id);
    if (!mine) return [];
    if (state.currentRoomId === room.id) leaveLocally(state);
    if (state.joinedRoomId === room.id) state.joinedRoomId = null;
    return [{ kind: 'room-deleted', room }];
  },
  'user:registered': (state, { user }) => {
    if (user && !state.users.has(user.id)) rememberUser(state, user);
    return [];
  },
  'user:updated': (state, { user }) => {
    if (!user) return [];
    if (state.users.has(user.id) || user.id === state.me.id) rememberUser(state, user);
    renameEverywhere(state, user);
    return [];
  },
  'user:deleted': (state, { user }) => {
    if (!user) return [];
    state.users.delete(user.id);
    removeMember(state, user.id, null);
    return [];
  },
  'user:online': (state, { user }) => {
    if (user) rememberUser(state, user, { is_online: true });
    return [];
  },
  'user:offline': (state, { user }, nowMs) => {
    if (user) rememberUser(state, user, { is_online: false, last_seen: sqlTimestamp(serverNow(state, nowMs)) });
    return [];
  },
  'user:room_join': (state, { user, roomId }) => onRoomJoin(state, user, roomId),
  'user:room_leave': (state, { user, roomId }) => onRoomLeave(state, user, roomId),
  'vote:started': (state, { vote }) => {
    if (!vote) return [];
    state.votes.set(vote.id, { yesCount: 1, noCount: 0, ...vote });
    if (vote.initiatedBy?.id === state.me.id) state.ballots.set(vote.id, 'yes');
    return vote.sourceRoomId === state.currentRoomId ? [{ kind: 'vote-started', vote }] : [];
  },
  'vote:ballot_cast': (state, data) => {
    const vote = state.votes.get(data.voteId);
    if (vote) {
      state.votes.set(vote.id, { ...vote, yesCount: data.yesCount, noCount: data.noCount, eligibleCount: data.eligibleCount ?? vote.eligibleCount });
    }
    return [];
  },
  'vote:resolved': (state, data) => {
    const vote = state.votes.get(data.voteId);
    state.votes.delete(data.voteId);
    state.ballots.delete(data.voteId);
    const roomId = data.sourceRoomId ?? vote?.sourceRoomId;
    if (roomId !== state.currentRoomId) return [];
    return [{
      kind: 'vote-resolved',
      passed: Boolean(data.passed),
      targetDisplayName: data.targetDisplayName ?? vote?.targetDisplayName ?? '',
      targetUserId: data.targetUserId ?? vote?.targetUserId,
    }];
  },
  'punishment:started': (state, { punishment, jailConnection }) => {
    if (!punishment) return [];
    state.punishments.set(punishment.id, punishment);
    if (punishment.jailRoomId && !state.rooms.has(punishment.jailRoomId)) {
      state.rooms.set(punishment.jailRoomId, {
        id: punishment.jailRoomId,
        name: punishment.jailRoomName ?? `Jail: ${punishment.sourceRoomName ?? ''}`,
        type: 'voice',
        created_by: null,
        mode: 'normal',
        is_jail: 1,
        jail_source_room_id: punishment.sourceRoomId,
      });
    }
    if (punishment.targetUserId !== state.me.id) return [];
    for (const [id, vote] of state.votes) {
      if (vote.targetUserId === state.me.id) {
        state.votes.delete(id);
        state.ballots.delete(id);
      }
    }
    return [{ kind: 'jailed', punishment, jailConnection: jailConnection ?? null }];
  },
  'punishment:expired': (state, data) => endPunishment(state, data),
  'punishment:lifted': (state, data) => endPunishment(state, data),
  'whispers:activated': (state, { roomId, chain }) => {
    setChain(state, roomId, chain);
    const room = state.rooms.get(roomId);
    if (room) state.rooms.set(roomId, { ...room, mode: 'whispers' });
    return [];
  },
  'whispers:deactivated': (state, { roomId }) => {
    state.chains.delete(roomId);
    const room = state.rooms.get(roomId);
    if (room) state.rooms.set(roomId, { ...room, mode: 'normal' });
    return [];
  },
  'whispers:chain_updated': (state, { roomId, chain }) => {
    setChain(state, roomId, chain);
    return [];
  },
};

/** @param {State} state @param {number} roomId @param {ChainEntry[]|undefined} chain */
function setChain(state, roomId, chain) {
  if (Array.isArray(chain) && chain.length > 0) state.chains.set(roomId, sortChain(chain));
  else state.chains.delete(roomId);
}

/** A new display name, in the room lists and whispers chains too. @param {State} state @param {UserRef} user */
function renameEverywhere(state, user) {
  for (const [roomId, members] of state.members) {
    if (members.some((member) => member.id === user.id)) {
      state.members.set(roomId, members.map((m) => (m.id === user.id ? { ...m, display_name: user.display_name } : m)));
    }
  }
  for (const [roomId, chain] of state.chains) {
    if (chain.some((entry) => entry.userId === user.id)) {
      state.chains.set(roomId, chain.map((e) => (e.userId === user.id ? { ...e, displayName: user.display_name } : e)));
    }
  }
}

/** @param {State} state */
function leaveLocally(state) {
  state.previousRoomId = state.currentRoomId;
  state.currentRoomId = null;
}

/** @param {State} state @param {UserRef} user @param {number} roomId @returns {Effect[]} */
function onRoomJoin(state, user, roomId) {
  if (!user || typeof roomId !== 'number') return [];
  const before = roomOfUser(state, user.id);
  putMember(state, user, roomId);
  if (user.id !== state.me.id) {
    const peerJoined = roomId === state.currentRoomId && before !== roomId;
    const peerLeft = before === state.currentRoomId && before !== null && before !== roomId;
    if (peerJoined) return [{ kind: 'peer-joined', user, roomId }];
    if (peerLeft) return [{ kind: 'peer-left', user, roomId: before }];
    return [];
  }
  // My own join, asked for by this tab: the join response decides, not the event.
  if (state.pendingJoinRoomId !== null || roomId === state.currentRoomId) return [];
  const fromJail = roomIsJail(state, state.currentRoomId);
  state.previousRoomId = state.currentRoomId;
  state.currentRoomId = roomId;
  if (roomIsJail(state, roomId)) return [{ kind: 'moved-to-jail', roomId }];
  // Leaving a jail is a release; anything else is another tab (or window) of mine joining.
  return [{ kind: fromJail ? 'released-by-move' : 'moved-elsewhere', roomId }];
}

/** @param {State} state @param {UserRef} user @param {number} roomId @returns {Effect[]} */
function onRoomLeave(state, user, roomId) {
  if (!user || typeof roomId !== 'number') return [];
  const wasThere = (state.members.get(roomId) ?? []).some((member) => member.id === user.id);
  removeMember(state, user.id, roomId);
  if (user.id !== state.me.id) {
    return wasThere && roomId === state.currentRoomId ? [{ kind: 'peer-left', user, roomId }] : [];
  }
  if (state.pendingJoinRoomId !== null || roomId !== state.currentRoomId) return [];
  leaveLocally(state);
  return [{ kind: 'removed', roomId }];
}

/** @param {State} state @param {any} data @returns {Effect[]} */
function endPunishment(state, data) {
  const ended = state.punishments.get(data.punishmentId);
  state.punishments.delete(data.punishmentId);
  const targetUserId = data.targetUserId ?? ended?.targetUserId;
  if (targetUserId !== state.me.id) return [];
  // Still jailed for something else (from another room): stay in that jail.
  if (myPunishment(state) !== null) return [];
  return [{ kind: 'released', sourceRoomId: data.sourceRoomId ?? ended?.sourceRoomId ?? null }];
}

/**
 * Rows from GET /api/rooms/{id}/punishments, merged into the active punishments.
 * @param {State} state @param {number} roomId @param {any[]} rows
 */
export function mergeRoomPunishments(state, roomId, rows) {
  const ids = new Set(rows.map((row) => row.id));
  for (const [id, punishment] of state.punishments) {
    if (punishment.sourceRoomId === roomId && !ids.has(id)) state.punishments.delete(id);
  }
  for (const row of rows) {
    state.punishments.set(row.id, { ...state.punishments.get(row.id), ...row, sourceRoomId: roomId });
  }
}

/**
 * Marks a join as done: this tab now holds the room's join response.
 * @param {State} state @param {Room} room
 */
export function joined(state, room) {
  state.rooms.set(room.id, { ...state.rooms.get(room.id), ...room });
  if (state.currentRoomId !== room.id) state.previousRoomId = state.currentRoomId;
  state.currentRoomId = room.id;
  state.joinedRoomId = room.id;
  state.pendingJoinRoomId = null;
  state.landed = true;
  const me = { id: state.me.id, username: state.me.username, display_name: state.me.display_name };
  putMember(state, me, room.id);
  state.me = { ...state.me, last_room_id: room.id };
}

/** A voluntary leave succeeded. @param {State} state */
export function left(state) {
  if (state.currentRoomId !== null) removeMember(state, state.me.id, state.currentRoomId);
  leaveLocally(state);
  state.joinedRoomId = null;
}
