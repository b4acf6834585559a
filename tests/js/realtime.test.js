import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RealtimeClient } from '../../static/js/lib/realtime.js';

class FakeSocket {
  /** @type {FakeSocket[]} */
  static all = [];

  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    /** @type {string[]} */
    this.sent = [];
    /** @type {any} */ this.onopen = null;
    /** @type {any} */ this.onmessage = null;
    /** @type {any} */ this.onclose = null;
    FakeSocket.all.push(this);
  }

  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  /** @param {any} frame */
  frame(frame) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  /** @param {string} text */
  send(text) {
    this.sent.push(text);
  }

  /** @param {number} code */
  close(code = 1000) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

function fakeTimers() {
  /** @type {Map<number, {fn: () => void, ms: number}>} */
  const pending = new Map();
  let next = 1;
  return {
    pending,
    set: /** @type {any} */ ((/** @type {() => void} */ fn, /** @type {number} */ ms) => {
      pending.set(next, { fn, ms });
      return next++;
    }),
    clear: /** @type {any} */ ((/** @type {number} */ id) => pending.delete(id)),
    /** Runs the pending timer with the given delay. @param {number} ms */
    fire(ms) {
      for (const [id, timer] of pending) {
        if (timer.ms === ms) {
          pending.delete(id);
          timer.fn();
          return true;
        }
      }
      return false;
    },
    delays() {
      return [...pending.values()].map((t) => t.ms);
    },
  };
}

function client() {
  FakeSocket.all = [];
  const timers = fakeTimers();
  /** @type {any[]} */
  const frames = [];
  /** @type {any[]} */
  const statuses = [];
  const rt = new RealtimeClient({
    url: 'ws://x/ws/events',
    onFrame: (type, data) => frames.push([type, data]),
    onStatus: (status) => statuses.push(status),
    WebSocketImpl: FakeSocket,
    timers,
    random: () => 1,
  });
  return { rt, timers, frames, statuses };
}

test('frames are handed over; keepalives and garbage are not', () => {
  const { rt, frames } = client();
  rt.start();
  const socket = FakeSocket.all[0];
  socket.open();
  socket.frame({ type: 'hello', data: { me: { id: 1 } } });
  socket.frame({ type: 'ping' });
  socket.frame('not json');
  socket.frame({ nope: true });
  assert.deepEqual(frames, [['hello', { me: { id: 1 } }]]);
  assert.deepEqual(socket.sent, []);
});

test('the page pings every 8 s however busy the line, as its heartbeat', () => {
  const { rt, timers } = client();
  rt.start();
  const socket = FakeSocket.all[0];
  socket.open();
  assert.ok(timers.fire(8000));
  socket.frame({ type: 'user:online', data: {} });
  assert.ok(timers.fire(8000));
  assert.deepEqual(socket.sent.map((s) => JSON.parse(s)), [{ type: 'ping' }, { type: 'ping' }]);
});

test('the hello names this connection, forgotten when the socket goes', () => {
  const { rt, timers } = client();
  rt.start();
  FakeSocket.all[0].open();
  FakeSocket.all[0].frame({ type: 'hello', data: { connection: 'c-1' } });
  assert.equal(rt.connectionId, 'c-1');
  FakeSocket.all[0].close(1006);
  assert.equal(rt.connectionId, null);
  assert.ok(timers.fire(500));
  FakeSocket.all[1].open();
  FakeSocket.all[1].frame({ type: 'hello', data: { connection: 'c-2' } });
  assert.equal(rt.connectionId, 'c-2');
});

test('a dropped connection is retried with growing delays, reset by a snapshot', () => {
  const { rt, timers, statuses } = client();
  rt.start();
  FakeSocket.all[0].close(1006);
  assert.deepEqual(statuses.at(-1), { state: 'reconnecting', retryInMs: 500 });
  timers.fire(500);
  FakeSocket.all[1].close(1006);
  assert.deepEqual(statuses.at(-1), { state: 'reconnecting', retryInMs: 1000 });
  timers.fire(1000);
  const third = FakeSocket.all[2];
  third.open();
  third.frame({ type: 'hello', data: {} });
  third.close(1011);
  assert.deepEqual(statuses.at(-1), { state: 'reconnecting', retryInMs: 500 });
});

test('4401 stops and reports the session gone', () => {
  const { rt, timers, statuses } = client();
  rt.start();
  FakeSocket.all[0].close(4401);
  assert.deepEqual(statuses.at(-1), { state: 'unauthenticated' });
  assert.deepEqual(timers.delays(), []);
});

test('4429 (too many tabs) retries later on its own, or at once on request', () => {
  const { rt, timers, statuses } = client();
  rt.start();
  FakeSocket.all[0].close(4429);
  assert.deepEqual(statuses.at(-1), { state: 'refused', reason: 'too-many-tabs', retryInMs: 5000 });
  assert.deepEqual(timers.delays(), [5000]);
  rt.retryNow();
  assert.equal(FakeSocket.all.length, 2);
  // Still refused: it keeps trying by itself (a retry by hand starts the backoff afresh).
  FakeSocket.all[1].close(4429);
  assert.ok(timers.fire(5000));
  assert.equal(FakeSocket.all.length, 3);
});

test('4503 (server full) retries later on its own', () => {
  const { rt, timers, statuses } = client();
  rt.start();
  FakeSocket.all[0].close(4503);
  assert.deepEqual(statuses.at(-1), { state: 'refused', reason: 'server-full', retryInMs: 5000 });
  assert.ok(timers.fire(5000));
  assert.equal(FakeSocket.all.length, 2);
});

test('a silent connection is closed and replaced', () => {
  const { rt, timers } = client();
  rt.start();
  FakeSocket.all[0].open();
  assert.ok(timers.fire(75000));
  assert.equal(FakeSocket.all[0].readyState, 3);
  assert.ok(timers.delays().length > 0, 'a reconnect is scheduled');
});

test('stop closes for good, saying so with 1000', () => {
  const { rt, timers, statuses } = client();
  rt.start();
  FakeSocket.all[0].open();
  /** @type {number[]} */
  const codes = [];
  const close = FakeSocket.all[0].close.bind(FakeSocket.all[0]);
  FakeSocket.all[0].close = (/** @type {number} */ code) => {
    codes.push(code);
    close(code);
  };
  rt.stop();
  assert.deepEqual(codes, [1000]);
  assert.deepEqual(statuses.at(-1), { state: 'stopped' });
  assert.deepEqual(timers.delays(), []);
  rt.retryNow();
  assert.equal(FakeSocket.all.length, 1);
});
