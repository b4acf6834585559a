import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ApiError } from '../../static/js/lib/api.js';
import { RoomController } from '../../static/js/lib/controller.js';
import { ALICE, BOB, DAVE, GENERAL, JAIL, LOUNGE, NOW, davePunishment, sqlAt } from './fixtures.js';

function fakeApi(overrides = {}) {
  /** @type {any[]} */
  const calls = [];
  /** @param {string} name @param {any} fn */
  const record = (name, fn) => async (/** @type {any[]} */ ...args) => {
    calls.push([name, ...args]);
    return fn(...args);
  };
  const defaults = {
    rooms: () => ({ rooms: [GENERAL, LOUNGE, JAIL] }),
    users: () => ({ users: [] }),
    joinRoom: (/** @type {number} */ id) => ({ token: 't', e2eeKey: 'k', wsUrl: '/livekit/', room: [GENERAL, LOUNGE, JAIL].find((r) => r.id === id) }),
    leaveRoom: () => ({}),
    syncRoom: () => ({ synced: true }),
    chain: () => ({ chain: [] }),
    roomPunishments: () => ({ punishments: [] }),
    activePunishments: () => ({ punishments: [] }),
    setMode: () => ({ mode: 'normal' }),
    ...overrides,
  };
  const api = Object.fromEntries(Object.entries(defaults).map(([name, fn]) => [name, record(name, fn)]));
  return { api: /** @type {any} */ (api), calls };
}

/** @param {any[]} moments */
function fakeMedia(moments) {
  return {
    /** @type {any} */ target: null,
    /** @type {string[]} */ log: [],
    /** @param {string} name @param {any} payload */
    moment(name, payload) {
      moments.push([name, payload]);
    },
    /** @param {any} join */
    async connect(join) {
      this.target = join;
      this.log.push(`connect ${join.room.id}`);
    },
    async disconnect() {
      this.target = null;
      this.log.push('disconnect');
    },
  };
}

/** @param {any} me @param {any} [apiOverrides] */
function controller(me, apiOverrides) {
  const { api, calls } = fakeApi(apiOverrides);
  /** @type {any[]} */
  const hooks = [];
  const media = fakeMedia(hooks);
  /** @type {string[]} */
  const went = [];
  const c = new RoomController({
    me: { ...me, last_room_id: null, is_staff: false },
    api,
    media,
    navigate: (url) => went.push(url),
    now: () => NOW,
    timers: { set: /** @type {any} */ (() => 0), clear: () => {} },
  });
  return { c, calls, media, hooks, went };
}

/** @param {any} overrides */
const hello = (overrides = {}) => ({ me: ALICE, online: [ALICE], members: {}, votes: [], punishments: [], chains: {}, serverTime: new Date(NOW).toISOString(), ...overrides });

test('the first snapshot lands a new user in General and hands the join to media', async () => {
  const { c, media, hooks } = controller(ALICE);
  await c.handleFrame('hello', hello());
  assert.equal(c.state.currentRoomId, GENERAL.id);
  assert.deepEqual(media.log, ['disconnect', 'connect 1']);
  assert.deepEqual(hooks.map(([name]) => name), ['room-connected']);
});

test('a refused join leaves me where I was, with the error and room name in the banner', async () => {
  const { c, media } = controller(ALICE, {
    joinRoom: (/** @type {number} */ id) => {
      if (id === LOUNGE.id) throw new ApiError('You are currently punished from this room', 403);
      return { token: 't', e2eeKey: 'k', wsUrl: '/livekit/', room: GENERAL };
    },
  });
  await c.handleFrame('hello', hello());
  media.log.length = 0;
  assert.equal(await c.joinRoom(LOUNGE.id), false);
  assert.equal(c.state.currentRoomId, GENERAL.id);
  assert.deepEqual(media.log, [], 'media was never touched');
  assert.equal(c.ui.error?.message, 'You are currently punished from this room (Lounge)');
});

test('rapid clicks: only the last room is joined, superseded clicks are never sent', async () => {
  const { c, calls } = controller(ALICE);
  await c.handleFrame('hello', hello());
  const first = c.joinRoom(LOUNGE.id);
  const second = c.joinRoom(GENERAL.id);
  const third = c.joinRoom(LOUNGE.id);
  await Promise.all([first, second, third]);
  assert.deepEqual(calls.filter(([name]) => name === 'joinRoom').map(([, id]) => id), [1, 2]);
  assert.equal(c.state.currentRoomId, LOUNGE.id);
});

test('a jailed user cannot switch rooms', async () => {
  const { c, calls } = controller(DAVE);
  await c.handleFrame('hello', hello({ me: DAVE, punishments: [davePunishment()] }));
  assert.equal(c.state.currentRoomId, JAIL.id);
  assert.equal(await c.joinRoom(GENERAL.id), false);
  assert.equal(c.ui.error?.message, 'You are currently jailed and cannot switch rooms');
  assert.equal(calls.filter(([name]) => name === 'joinRoom').length, 1);
});

test('jailed live: moved to the jail; released: back to the source room', async () => {
  const { c, media, hooks } = controller(DAVE);
  await c.handleFrame('hello', hello({ me: DAVE }));
  await c.joinRoom(LOUNGE.id);
  await c.handleFrame('punishment:started', { punishment: davePunishment(), jailConnection: null });
  assert.equal(c.state.currentRoomId, JAIL.id);
  assert.equal(media.target.room.id, JAIL.id);
  await c.handleFrame('punishment:lifted', { punishmentId: 7, targetUserId: DAVE.id, sourceRoomId: LOUNGE.id, sourceRoomName: 'Lounge', liftedBy: { id: 1 } });
  assert.equal(c.state.currentRoomId, LOUNGE.id);
  assert.equal(media.target.room.id, LOUNGE.id);
  assert.deepEqual(hooks.map(([name]) => name).filter((n) => n !== 'room-connected'), ['jailed', 'released']);
});

test('if the jail join fails, the jail connection from the event is used', async () => {
  const { c, media } = controller(DAVE, {
    joinRoom: (/** @type {number} */ id) => {
      if (id === JAIL.id) throw new ApiError('Internal server error', 500);
      return { token: 't', e2eeKey: 'k', wsUrl: '/livekit/', room: LOUNGE };
    },
  });
  await c.handleFrame('hello', hello({ me: DAVE }));
  await c.joinRoom(LOUNGE.id);
  const jailConnection = { token: 'jt', e2eeKey: 'jk', wsUrl: '/livekit/', room: { id: JAIL.id, name: JAIL.name, type: 'voice' } };
  await c.handleFrame('punishment:started', { punishment: davePunishment(), jailConnection });
  assert.equal(c.state.currentRoomId, JAIL.id);
  assert.equal(media.target.token, 'jt');
});

test('a lost expiry event: after the deadline the page asks and goes home', async () => {
  let now = NOW;
  const { c } = controller(DAVE);
  c.now = () => now;
  await c.handleFrame('hello', hello({ me: DAVE, punishments: [davePunishment({ expiresAt: sqlAt(10) })] }));
  assert.equal(c.state.currentRoomId, JAIL.id);
  await c.tick();
  assert.equal(c.state.currentRoomId, JAIL.id, 'not before the deadline');
  now = NOW + 16000;
  await c.tick();
  assert.equal(c.state.currentRoomId, LOUNGE.id);
});

test('a vote result shows a toast in the source room', async () => {
  const { c } = controller(ALICE);
  await c.handleFrame('hello', hello());
  await c.handleFrame('vote:resolved', { voteId: 3, sourceRoomId: GENERAL.id, passed: false, targetDisplayName: 'Bob' });
  assert.equal(c.ui.toast?.text, 'Vote failed: Bob stays.');
  await c.handleFrame('vote:resolved', { voteId: 4, sourceRoomId: GENERAL.id, passed: true, targetDisplayName: 'Bob' });
  assert.equal(c.ui.toast?.text, 'Vote passed: Bob has been sent to jail.');
  // One notice area, newest first: the pass is a success (green), not an error (red).
  assert.deepEqual(c.notices.current().map((n) => [n.kind, n.text]), [
    ['success', 'Vote passed: Bob has been sent to jail.'],
    ['info', 'Vote failed: Bob stays.'],
  ]);
});

test('the target of a vote reads its result in the second person', async () => {
  const { c } = controller(BOB);
  await c.handleFrame('hello', hello({ me: BOB }));
  await c.handleFrame('vote:resolved', { voteId: 3, sourceRoomId: GENERAL.id, passed: false, targetUserId: BOB.id, targetDisplayName: 'Bob' });
  assert.equal(c.notices.latest('info')?.text, 'Vote failed: you stay.');
});

test('leaving a room asks the server, then disconnects media', async () => {
  const { c, media, calls } = controller(ALICE);
  await c.handleFrame('hello', hello());
  await c.leaveRoom();
  assert.deepEqual(calls.at(-1), ['leaveRoom', GENERAL.id]);
  assert.equal(c.state.currentRoomId, null);
  assert.equal(media.target, null);
});

test('my room deleted under me: I land in General and am told', async () => {
  const { c } = controller(ALICE);
  await c.handleFrame('hello', hello());
  await c.joinRoom(LOUNGE.id);
  await c.handleFrame('user:room_leave', { user: ALICE, roomId: LOUNGE.id });
  await c.handleFrame('room:deleted', { room: LOUNGE });
  assert.equal(c.state.currentRoomId, GENERAL.id);
  assert.equal(c.notices.latest('info')?.text, 'Lounge was deleted.');
});

test('a deleted room names who deleted it, and the notice outlives the move to General', async () => {
  const { c } = controller(ALICE);
  await c.handleFrame('hello', hello());
  await c.joinRoom(LOUNGE.id);
  await c.handleFrame('room:deleted', { room: LOUNGE, deletedBy: { id: BOB.id, username: 'bob', displayName: 'Bob' } });
  assert.equal(c.state.currentRoomId, GENERAL.id);
  assert.deepEqual(c.notices.current().map((n) => n.text), ['Lounge was deleted by Bob.']);
});

test('a failed join says the server is unreachable when it is, not "Failed to join room"', async () => {
  const { c } = controller(ALICE, {
    joinRoom: (/** @type {number} */ id) => {
      if (id === LOUNGE.id) throw new ApiError('Failed to join room', 0);
      return { token: 't', e2eeKey: 'k', wsUrl: '/livekit/', room: GENERAL };
    },
  });
  await c.handleFrame('hello', hello());
  c.realtimeStatus({ state: 'reconnecting', retryInMs: 4000 });
  assert.equal(await c.joinRoom(LOUNGE.id), false);
  assert.equal(
    c.ui.error?.message,
    'The server is unreachable, so Lounge could not be joined. You are still in General. Try again when the connection is back.',
  );
  assert.equal(c.notices.latest('error')?.text, c.ui.error?.message);
});

test('the reconnect countdown has a deadline to count down to', async () => {
  const { c } = controller(ALICE);
  c.realtimeStatus({ state: 'reconnecting', retryInMs: 20000 });
  assert.equal(/** @type {any} */ (c.ui.realtime).retryAt, NOW + 20000);
});

test('another tab joining elsewhere: this one follows without media', async () => {
  const { c, media } = controller(ALICE);
  await c.handleFrame('hello', hello());
  await c.handleFrame('user:room_join', { user: ALICE, roomId: LOUNGE.id });
  assert.equal(c.state.currentRoomId, LOUNGE.id);
  assert.equal(c.state.joinedRoomId, null);
  assert.equal(media.target, null);
  assert.match(c.ui.info?.message ?? '', /another tab/);
});

/** Landed in General with the call up, then the events line came back after a long drop. */
async function backAfterALongDrop(/** @type {any} */ apiOverrides, /** @type {string} */ call) {
  const { c, calls, media } = controller(ALICE, apiOverrides);
  await c.handleFrame('hello', hello({ members: {} }));
  /** @type {any} */ (media).current = { state: call, roomId: GENERAL.id };
  media.log.length = 0;
  calls.length = 0;
  // The server let the membership lapse meanwhile: the new snapshot has me in no room.
  await c.handleFrame('hello', hello({ members: {} }));
  return { c, calls, media };
}

test('a place lost during a long drop is taken back by sync while the call is up', async () => {
  const { c, calls, media } = await backAfterALongDrop({}, 'connected');
  assert.deepEqual(calls.filter(([name]) => name === 'syncRoom' || name === 'joinRoom'), [['syncRoom', GENERAL.id]]);
  assert.deepEqual(media.log, []);
  assert.equal(c.state.joinedRoomId, GENERAL.id);
});

test('a place lost during a long drop is joined again when the call is down too', async () => {
  const { calls, media } = await backAfterALongDrop({}, 'reconnecting');
  assert.deepEqual(calls.filter(([name]) => name === 'syncRoom' || name === 'joinRoom'), [['joinRoom', GENERAL.id]]);
  assert.deepEqual(media.log, ['disconnect', 'connect 1']);
});

test('a refused sync falls back to a join', async () => {
  const refuse = () => {
    throw new ApiError('You are currently punished from this room', 403);
  };
  const { calls } = await backAfterALongDrop({ syncRoom: refuse }, 'connected');
  assert.deepEqual(
    calls.filter(([name]) => name === 'syncRoom' || name === 'joinRoom').map(([name]) => name),
    ['syncRoom', 'joinRoom'],
  );
});

test('others arriving in my room fire the join hook', async () => {
  const { c, hooks } = controller(ALICE);
  await c.handleFrame('hello', hello());
  await c.handleFrame('user:room_join', { user: BOB, roomId: GENERAL.id });
  assert.deepEqual(hooks.at(-1)?.[0], 'peer-joined');
});

test('the session ending on the socket sends me to sign in', () => {
  const { c, went } = controller(ALICE);
  c.realtimeStatus({ state: 'unauthenticated' });
  assert.deepEqual(went, ['/login']);
});

test('list events during a refresh are replayed over the fetched lists', async () => {
  /** @type {(value: any) => void} */
  let release = () => {};
  const slow = new Promise((resolve) => { release = resolve; });
  const { c } = controller(ALICE, { rooms: () => slow });
  const landing = c.handleFrame('hello', hello());
  const extra = { ...LOUNGE, id: 30, name: 'Fresh' };
  await c.handleFrame('room:created', { room: extra });
  release({ rooms: [GENERAL, LOUNGE] });
  await landing;
  assert.equal(c.state.rooms.get(30)?.name, 'Fresh');
});

test('after signing out nothing more is asked of the server', async () => {
  const { c, calls, went } = controller(ALICE, { logout: () => ({ loggedOut: true }) });
  await c.logout();
  assert.deepEqual(went, ['/login']);
  await c.handleFrame('hello', hello());
  assert.deepEqual(calls.map(([name]) => name), ['logout']);
});
