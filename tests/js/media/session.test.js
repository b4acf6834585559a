import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CONNECT_DEADLINE_MS, ConnectionErrorReason, DisconnectReason } from '../../../static/js/media/rules/sfu-connection.js';
import { createConnection } from '../../../static/js/media/adapters/sfu-session.js';
import { FakeSdk, connectionError, flush, manualTimers } from './fake-livekit.js';

const JOIN = { token: 'tok-1', e2eeKey: 'c2VjcmV0LWtleQ==', room: { id: 7, name: 'General' }, wsUrl: '/livekit/' };
const OTHER = { token: 'tok-2', e2eeKey: 'b3RoZXI=', room: { id: 8, name: 'Gaming' }, wsUrl: '/livekit/' };

function setup({ sdkOptions, refreshJoin, createWorker } = {}) {
  const sdk = new FakeSdk(sdkOptions);
  const timers = manualTimers();
  const states = [];
  const events = [];
  const workers = [];
  const connection = createConnection({
    sdk,
    pageUrl: () => 'https://talk.example.org/',
    createWorker:
      createWorker ??
      (() => {
        const worker = {
          terminated: false,
          terminate() {
            this.terminated = true;
          },
        };
        workers.push(worker);
        return worker;
      }),
    roomOptions: () => ({ adaptiveStream: true, dynacast: true }),
    onRoom: (room, info) => events.push(['room', room, info.e2ee]),
    onConnected: (room) => events.push(['connected', room]),
    onRoomGone: (room) => events.push(['gone', room]),
    onState: (state) => states.push(state),
    refreshJoin,
    timers,
    random: () => 0,
    log: { warn: () => {} },
  });
  return { sdk, timers, states, events, connection, workers, last: () => states[states.length - 1] };
}

describe('connecting', () => {
  test('a relative wsUrl is resolved against the page with wss for https, and the token is used', async () => {
    const { sdk, connection, last } = setup();
    assert.equal(await connection.connect(JOIN), true);
    const [, url, token, options] = sdk.room.calls.find((c) => c[0] === 'connect');
    assert.deepEqual([url, token, options], ['wss://talk.example.org/livekit/', 'tok-1', { autoSubscribe: true }]);
    assert.equal(last().state, 'connected');
    assert.equal(last().roomId, 7);
  });

  test('E2EE: the base64 key is set as a passphrase, as-is, before connecting, with the current option name', async () => {
    const { sdk, connection, workers } = setup();
    await connection.connect(JOIN);
    const room = sdk.room;
    assert.ok(room.options.encryption, 'uses `encryption`');
    assert.equal('e2ee' in room.options, false, 'not the deprecated `e2ee`');
    assert.equal(room.options.encryption.worker, workers[0]);
    assert.deepEqual(room.options.encryption.keyProvider.keys, ['c2VjcmV0LWtleQ==']);
    const order = room.calls.map((c) => c[0]);
    assert.ok(order.indexOf('setE2EEEnabled') < order.indexOf('connect'), order.join());
    assert.equal(connection.state.e2ee, 'on');
    assert.equal(room.options.adaptiveStream, true);
  });

  test('a browser without E2EE support connects with transport encryption and says so', async () => {
    const { sdk, connection, workers } = setup({ sdkOptions: { e2eeSupported: false } });
    await connection.connect(JOIN);
    assert.equal(sdk.room.options.encryption, undefined);
    assert.equal(workers.length, 0);
    assert.equal(connection.state.e2ee, 'unsupported');
    assert.equal(connection.state.state, 'connected');
  });

  test('a worker that cannot be created falls back to transport encryption', async () => {
    const { sdk, connection } = setup({
      createWorker: () => {
        throw new Error('blocked by CSP');
      },
    });
    await connection.connect(JOIN);
    assert.equal(sdk.room.options.encryption, undefined);
    assert.equal(connection.state.e2ee, 'worker-failed');
    assert.equal(connection.state.state, 'connected');
  });

  test('setE2EEEnabled failing is reported, not fatal', async () => {
    const { sdk, connection } = setup();
    sdk.e2eeEnableError = new Error('nope');
    await connection.connect(JOIN);
    assert.equal(connection.state.e2ee, 'enable-failed');
    assert.equal(connection.state.state, 'connected');
  });

  test('the room modules get the Room before connect (so no early event is missed), then "connected"', async () => {
    const { sdk, connection, events } = setup();
    await connection.connect(JOIN);
    assert.deepEqual(
      events.map(([kind, room]) => [kind, room === sdk.room]),
      [
        ['room', true],
        ['connected', true],
      ],
    );
  });

  test('a new join replaces the old room: it is disconnected first and a new Room is made', async () => {
    const { sdk, connection, events, workers } = setup();
    await connection.connect(JOIN);
    const first = sdk.room;
    await connection.connect(OTHER);
    assert.notEqual(sdk.room, first);
    assert.ok(first.calls.some((c) => c[0] === 'disconnect'));
    assert.deepEqual(
      events.map(([kind]) => kind),
      ['room', 'connected', 'gone', 'room', 'connected'],
    );
    assert.equal(workers[0].terminated, true);
    assert.equal(connection.state.roomId, 8);
  });

  test('a connect superseded while in flight is abandoned and disconnected', async () => {
    const { sdk, connection } = setup();
    let release;
    sdk.nextConnect.push(new Promise((resolve) => (release = resolve)));
    const first = connection.connect(JOIN);
    await flush();
    const stale = sdk.room;
    const second = connection.connect(OTHER);
    release();
    assert.equal(await first, false);
    assert.equal(await second, true);
    assert.ok(stale.calls.some((c) => c[0] === 'disconnect'));
    assert.equal(connection.state.roomId, 8);
  });

  test('disconnect leaves for good: idle state and no rejoin', async () => {
    const { sdk, connection, timers, last } = setup();
    await connection.connect(JOIN);
    await connection.disconnect();
    assert.deepEqual([last().state, last().roomId], ['idle', null]);
    await timers.advance(60_000);
    assert.equal(sdk.rooms.length, 1);
  });
});

describe('a media server that cannot be reached', () => {
  test('shows "Media server unreachable" with a retry that works once the server is back', async () => {
    const { sdk, connection, last } = setup();
    sdk.nextConnect.push(connectionError(ConnectionErrorReason.ServerUnreachable));
    assert.equal(await connection.connect(JOIN), false);
    assert.deepEqual(
      [last().state, last().failure, last().detail, last().canRetry],
      ['failed', 'unreachable', 'Media server unreachable', true],
    );
    assert.equal(await connection.retry(), true);
    assert.equal(last().state, 'connected');
  });

  test('retry asks the server for a fresh token first', async () => {
    const calls = [];
    const { sdk, connection } = setup({ refreshJoin: async (id) => (calls.push(id), { ...JOIN, token: 'fresh' }) });
    sdk.nextConnect.push(connectionError(ConnectionErrorReason.Timeout));
    await connection.connect(JOIN);
    await connection.retry();
    assert.deepEqual(calls, [7]);
    assert.equal(sdk.room.calls.find((c) => c[0] === 'connect')[2], 'fresh');
  });

  test('a refused token is "refused", and cancelling ourselves shows nothing', async () => {
    const { sdk, connection, last, states } = setup();
    sdk.nextConnect.push(connectionError(ConnectionErrorReason.NotAllowed));
    await connection.connect(JOIN);
    assert.equal(last().failure, 'refused');
    sdk.nextConnect.push(connectionError(ConnectionErrorReason.Cancelled));
    const before = states.length;
    await connection.retry();
    assert.deepEqual(
      states.slice(before).map((s) => s.state),
      ['connecting'],
    );
  });

  test('a server that keeps the connect hanging counts as unreachable after the deadline', async () => {
    const { sdk, connection, timers, last } = setup();
    sdk.nextConnect.push(new Promise(() => {}));
    const result = connection.connect(JOIN);
    await flush();
    assert.equal(last().state, 'connecting');
    await timers.advance(CONNECT_DEADLINE_MS - 1);
    assert.equal(last().state, 'connecting');
    await timers.advance(1);
    assert.equal(await result, false);
    assert.deepEqual([last().state, last().failure, last().canRetry], ['failed', 'unreachable', true]);
    assert.ok(
      sdk.room.calls.some((c) => c[0] === 'disconnect'),
      'the hanging attempt is aborted',
    );
  });

  test('the SDK reporting "disconnected" for a failed first connect does not start rejoining', async () => {
    const { sdk, connection, timers } = setup();
    const failure = connectionError(ConnectionErrorReason.ServerUnreachable);
    let reject;
    sdk.nextConnect.push(new Promise((_, r) => (reject = r)));
    const result = connection.connect(JOIN);
    await flush();
    sdk.room.drop(DisconnectReason.UNKNOWN_REASON);
    reject(failure);
    await result;
    await timers.advance(60_000);
    assert.equal(sdk.rooms.length, 1);
    assert.equal(connection.state.failure, 'unreachable');
  });

  test('an invalid wsUrl fails clearly without building a Room', async () => {
    const { sdk, connection, last } = setup();
    await connection.connect({ ...JOIN, wsUrl: 'ftp://nope' });
    assert.equal(last().state, 'failed');
    assert.equal(sdk.rooms.length, 0);
  });
});

describe('rejoin after an unexpected drop', () => {
  test('rejoins with backoff and a fresh token, and reports the attempt', async () => {
    const tokens = ['t-a', 't-b'];
    const { sdk, connection, timers, last } = setup({ refreshJoin: async () => ({ ...JOIN, token: tokens.shift() }) });
    await connection.connect(JOIN);
    sdk.room.drop(DisconnectReason.SIGNAL_CLOSE);
    assert.deepEqual(
      [last().state, last().attempt, last().detail],
      ['reconnecting', 1, 'Reconnecting (attempt 1 of 3)…'],
    );
    await timers.advance(999);
    assert.equal(sdk.rooms.length, 1, 'waits a second before the first attempt');
    await timers.advance(1);
    assert.equal(sdk.rooms.length, 2);
    assert.equal(last().state, 'connected');
    assert.equal(sdk.room.calls.find((c) => c[0] === 'connect')[2], 't-a');
  });

  test('gives up after three attempts with the unreachable state and a retry', async () => {
    const { sdk, connection, timers, last, states } = setup();
    await connection.connect(JOIN);
    for (let i = 0; i < 3; i += 1) sdk.nextConnect.push(connectionError(ConnectionErrorReason.ServerUnreachable));
    sdk.room.drop(DisconnectReason.UNKNOWN_REASON);
    await timers.advance(1000);
    await timers.advance(2000);
    await timers.advance(4000);
    assert.equal(sdk.rooms.length, 4, 'the first room plus three attempts');
    assert.deepEqual(
      states.filter((s) => s.state === 'reconnecting' && s.attempt).map((s) => s.attempt),
      [1, 1, 2, 2, 3, 3],
    );
    assert.deepEqual([last().state, last().failure, last().canRetry], ['failed', 'unreachable', true]);
    await timers.advance(60_000);
    assert.equal(sdk.rooms.length, 4, 'no fourth attempt');
  });

  test('never rejoins after the server removed me (jail kick)', async () => {
    const { sdk, connection, timers, last } = setup();
    await connection.connect(JOIN);
    sdk.room.drop(DisconnectReason.PARTICIPANT_REMOVED);
    await timers.advance(60_000);
    assert.equal(sdk.rooms.length, 1);
    assert.deepEqual([last().state, last().failure, last().canRetry], ['not-connected', 'removed', false]);
  });

  test('never rejoins when another tab of mine took over the identity', async () => {
    const { sdk, connection, timers } = setup();
    await connection.connect(JOIN);
    sdk.room.drop(DisconnectReason.DUPLICATE_IDENTITY);
    await timers.advance(60_000);
    assert.equal(sdk.rooms.length, 1);
  });

  test('a join elsewhere during the backoff cancels the rejoin', async () => {
    const { sdk, connection, timers } = setup();
    await connection.connect(JOIN);
    sdk.room.drop(DisconnectReason.SIGNAL_CLOSE);
    await connection.connect(OTHER);
    await timers.advance(10_000);
    assert.equal(sdk.rooms.length, 2);
    assert.equal(connection.state.roomId, 8);
  });

  test('the server refusing the rejoin (e.g. now jailed) stops the attempts with its message', async () => {
    const refusal = Object.assign(new Error('You are currently punished from this room'), { status: 403 });
    const { sdk, connection, timers, last } = setup({ refreshJoin: async () => Promise.reject(refusal) });
    await connection.connect(JOIN);
    sdk.room.drop(DisconnectReason.SIGNAL_CLOSE);
    await timers.advance(10_000);
    assert.equal(sdk.rooms.length, 1);
    assert.deepEqual([last().state, last().detail], ['failed', 'You are currently punished from this room']);
  });

  test('our own server unreachable during a rejoin: the old token is tried', async () => {
    const { sdk, connection, timers, last } = setup({
      refreshJoin: async () => Promise.reject(Object.assign(new Error('offline'), { status: 0 })),
    });
    await connection.connect(JOIN);
    sdk.room.drop(DisconnectReason.SIGNAL_CLOSE);
    await timers.advance(1000);
    assert.equal(last().state, 'connected');
    assert.equal(sdk.room.calls.find((c) => c[0] === 'connect')[2], 'tok-1');
  });

  test("the SDK's own resume shows as reconnecting, then connected", async () => {
    const { sdk, connection, last } = setup();
    await connection.connect(JOIN);
    sdk.room.emit('reconnecting');
    assert.equal(last().state, 'reconnecting');
    sdk.room.emit('reconnected');
    assert.equal(last().state, 'connected');
  });
});
