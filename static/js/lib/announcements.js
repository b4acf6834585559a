// What the page tells people about changes others made, and in which words: who did it, and
// "you" when it is about me. No DOM, so every sentence is unit-tested.
//
// `announce` reads the state *before* the event is applied (which room I was in, whose
// punishment it was), so it is called first and the notice shown after.

import { releaseTarget } from './landing.js';

/**
 * @typedef {import('./state.js').State} State
 * @typedef {{id: number, username?: string, displayName?: string}} Actor
 * @typedef {{kind: import('./notices.js').NoticeKind, text: string, roomId: number|null}} Announcement
 */

/** "You" for me, else their display name. @param {State} state @param {Actor|null|undefined} actor */
function who(state, actor) {
  if (!actor) return null;
  if (actor.id === state.me.id) return 'You';
  return actor.displayName || actor.username || 'Someone';
}

/** @param {State} state @param {number|null|undefined} roomId */
function roomName(state, roomId) {
  return (roomId !== null && roomId !== undefined && state.rooms.get(roomId)?.name) || 'the room';
}

/**
 * The notice an event deserves, if any.
 * @param {State} state @param {string} type @param {any} data
 * @returns {Announcement|null}
 */
export function announce(state, type, data) {
  const handler = ANNOUNCERS[type];
  return handler && data ? handler(state, data) : null;
}

/** @type {Record<string, (state: State, data: any) => Announcement|null>} */
const ANNOUNCERS = {
  'whispers:activated': (state, { roomId, by }) => {
    if (roomId !== state.currentRoomId || state.chains.has(roomId)) return null;
    const actor = who(state, by);
    const text = `${actor ? `${actor} turned whispers on` : 'Whispers is on'}: each person now hears only the one before them.`;
    return { kind: 'info', text, roomId };
  },
  'whispers:deactivated': (state, { roomId, by }) => {
    if (roomId !== state.currentRoomId || !(state.chains.has(roomId) || state.rooms.get(roomId)?.mode === 'whispers')) return null;
    const actor = who(state, by);
    const text = actor ? `${actor} turned whispers off: everyone hears everyone again.` : 'Whispers ended: too few people were left in it. Everyone hears everyone again.';
    return { kind: 'info', text, roomId };
  },
  'room:deleted': (state, { room, deletedBy }) => {
    if (!room || !state.rooms.has(room.id)) return null;
    const mine = state.currentRoomId === room.id || state.joinedRoomId === room.id
      || (state.currentRoomId === null && state.previousRoomId === room.id);
    if (!mine && deletedBy?.id !== state.me.id) return null;
    const actor = who(state, deletedBy);
    if (actor === 'You') return { kind: 'info', text: `You deleted ${room.name}.`, roomId: null };
    return { kind: 'info', text: actor ? `${room.name} was deleted by ${actor}.` : `${room.name} was deleted.`, roomId: null };
  },
  'punishment:lifted': (state, data) => punishmentEnded(state, data, true),
  'punishment:expired': (state, data) => punishmentEnded(state, data, false),
};

/** @param {State} state @param {any} data @param {boolean} lifted @returns {Announcement|null} */
function punishmentEnded(state, data, lifted) {
  const punishment = state.punishments.get(data.punishmentId);
  if (!punishment && data.targetUserId !== state.me.id) return null;
  const targetId = data.targetUserId ?? punishment?.targetUserId;
  const source = data.sourceRoomName ?? punishment?.sourceRoomName ?? roomName(state, data.sourceRoomId);
  const actor = lifted ? who(state, data.liftedBy) ?? 'Someone' : null;
  if (targetId === state.me.id) {
    const stillJailed = [...state.punishments.values()].some((p) => p.targetUserId === state.me.id && p.id !== data.punishmentId);
    const ended = lifted ? `${actor} lifted your punishment from ${source}.` : `Your punishment from ${source} is over.`;
    if (stillJailed) return { kind: 'success', text: ended, roomId: null };
    const back = roomName(state, releaseTarget(state, data.sourceRoomId ?? punishment?.sourceRoomId ?? null));
    return { kind: 'success', text: `${ended} You have been moved back to ${back}.`, roomId: null };
  }
  if (!lifted || (data.sourceRoomId ?? punishment?.sourceRoomId) !== state.currentRoomId) return null;
  const name = punishment?.targetDisplayName ?? punishment?.targetUsername ?? 'someone';
  return { kind: 'info', text: `${actor} lifted ${name}'s punishment.`, roomId: state.currentRoomId };
}

/**
 * The words for a finished vote, in the second person for its target.
 * @param {State} state @param {{passed: boolean, targetDisplayName: string, targetUserId?: number}} result
 * @returns {Announcement}
 */
export function voteResult(state, { passed, targetDisplayName, targetUserId }) {
  const me = targetUserId === state.me.id;
  if (passed) {
    const text = me ? 'Vote passed: you have been sent to jail.' : `Vote passed: ${targetDisplayName} has been sent to jail.`;
    return { kind: me ? 'warning' : 'success', text, roomId: null };
  }
  const text = me ? 'Vote failed: you stay.' : `Vote failed: ${targetDisplayName} stays.`;
  return { kind: 'info', text, roomId: state.currentRoomId };
}

/**
 * A join that did not happen: the server's reason with the room's name, or, when the server
 * could not be reached at all, that (and that I am still where I was).
 * @param {State} state @param {{message: string, status?: number}} error @param {number} roomId
 * @param {{offline?: boolean}} [options] the events line is down too
 */
export function joinFailure(state, error, roomId, { offline = false } = {}) {
  const name = roomName(state, roomId);
  const status = error.status ?? -1;
  const unreachable = status === 0 || status === 502 || status === 503 || status === 504 || (offline && status === -1);
  if (!unreachable) return `${error.message} (${name})`;
  const here = state.currentRoomId !== null && state.currentRoomId !== roomId ? ` You are still in ${roomName(state, state.currentRoomId)}.` : '';
  return `The server is unreachable, so ${name} could not be joined.${here} Try again when the connection is back.`;
}

/**
 * The connection line above the room, counting down to the next try.
 * @param {{state: string, reason?: string, retryAt?: number}} status @param {number} nowMs
 */
export function connectionText(status, nowMs) {
  const seconds = status.retryAt ? Math.max(1, Math.ceil((status.retryAt - nowMs) / 1000)) : 0;
  if (status.state === 'connecting') return 'Connecting…';
  if (status.state === 'stopped') return 'Disconnected.';
  if (status.state === 'reconnecting') return seconds ? `Connection lost. Reconnecting in ${seconds} s…` : 'Reconnecting…';
  if (status.state === 'refused' && status.reason === 'too-many-tabs') {
    return `Too many tabs open: disTokoloshe is already open in other tabs or windows. Close one; retrying in ${seconds} s…`;
  }
  if (status.state === 'refused') return `The server is full right now. Retrying in ${seconds} s…`;
  return '';
}

/**
 * What the empty stage says: where to go, or why there is nowhere yet (a tab the server has
 * not taken has no rooms to list).
 * @param {{pending: boolean, rooms: number, realtime: {state: string, reason?: string}}} context
 */
export function placeholderText({ pending, rooms, realtime }) {
  if (pending) return 'Joining…';
  if (realtime.state === 'refused' && realtime.reason === 'too-many-tabs') {
    return 'This tab is not connected: disTokoloshe is open in too many other tabs. Close one and this tab takes its place.';
  }
  if (realtime.state === 'refused') return 'This tab is not connected: the server is full right now. It keeps trying.';
  if (rooms === 0 && realtime.state !== 'open') return 'Waiting for the server: the rooms appear once it answers.';
  if (rooms === 0) return 'There are no rooms yet: create one with the + button.';
  return 'Select a room from the sidebar to get started';
}

/**
 * Whispers changes everyone's audio, so the button asks first.
 * @param {boolean} on turning it on
 */
export function whispersQuestion(on) {
  return on
    ? { title: 'Turn whispers on?', text: 'Everyone in this room will hear only the person before them in a shuffled chain, until someone turns it off.', confirm: 'Turn on', danger: false }
    : { title: 'Turn whispers off?', text: 'Everyone in this room will hear everyone again.', confirm: 'Turn off', danger: false };
}

/** The jail banner, addressed to the one in jail. @param {string} source @param {string} left */
export function jailText(source, left) {
  return `You are in jail: a vote in ${source} sent you here. ${left} remaining`;
}
