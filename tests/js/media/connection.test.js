import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  ConnectionErrorReason,
  DisconnectReason,
  MAX_REJOIN_ATTEMPTS,
  classifyConnectError,
  failureMessage,
  rejoinDelay,
  removedByServer,
  resolveWsUrl,
  shouldRejoin,
} from '../../../static/js/media/rules/sfu-connection.js';

describe('resolveWsUrl', () => {
  test("1.x's relative /livekit/ follows the page: ws for http, wss for https", () => {
    assert.equal(resolveWsUrl('/livekit/', 'http://127.0.0.1:8000/'), 'ws://127.0.0.1:8000/livekit/');
    assert.equal(resolveWsUrl('/livekit/', 'https://talk.example.org/rooms?x=1'), 'wss://talk.example.org/livekit/');
  });

  test('an absolute ws(s) URL is used as given', () => {
    assert.equal(resolveWsUrl('ws://localhost:7880', 'https://talk.example.org/'), 'ws://localhost:7880/');
    assert.equal(resolveWsUrl('wss://sfu.example.org/rtc', 'http://localhost/'), 'wss://sfu.example.org/rtc');
  });

  test('an absolute http(s) URL gets the matching ws scheme', () => {
    assert.equal(resolveWsUrl('https://sfu.example.org/', 'http://x/'), 'wss://sfu.example.org/');
  });

  test('other schemes are refused', () => {
    assert.throws(() => resolveWsUrl('javascript:alert(1)', 'http://x/'), TypeError);
  });
});

describe('rejoin policy', () => {
  test('network-type drops rejoin', () => {
    for (const reason of [
      undefined,
      DisconnectReason.UNKNOWN_REASON,
      DisconnectReason.SIGNAL_CLOSE,
      DisconnectReason.SERVER_SHUTDOWN,
      DisconnectReason.STATE_MISMATCH,
      DisconnectReason.JOIN_FAILURE,
      DisconnectReason.CONNECTION_TIMEOUT,
      DisconnectReason.MEDIA_FAILURE,
    ]) {
      assert.equal(shouldRejoin(reason), true, String(reason));
    }
  });

  test('never after I left, another tab took over, the server removed me, or the room went away', () => {
    for (const reason of [
      DisconnectReason.CLIENT_INITIATED,
      DisconnectReason.DUPLICATE_IDENTITY,
      DisconnectReason.PARTICIPANT_REMOVED,
      DisconnectReason.ROOM_DELETED,
      DisconnectReason.ROOM_CLOSED,
    ]) {
      assert.equal(shouldRejoin(reason), false, String(reason));
    }
  });

  test('removedByServer distinguishes a kick from my own leaving', () => {
    assert.equal(removedByServer(DisconnectReason.PARTICIPANT_REMOVED), true);
    assert.equal(removedByServer(DisconnectReason.CLIENT_INITIATED), false);
  });

  test('at most three attempts, backing off 1 s, 2 s, 4 s with up to 25 % jitter', () => {
    assert.equal(MAX_REJOIN_ATTEMPTS, 3);
    assert.deepEqual(
      [1, 2, 3].map((n) => rejoinDelay(n, () => 0)),
      [1000, 2000, 4000],
    );
    assert.deepEqual(
      [1, 2, 3].map((n) => rejoinDelay(n, () => 1)),
      [1250, 2500, 5000],
    );
  });
});

describe('classifyConnectError', () => {
  const err = (reason, context) => Object.assign(new Error('x'), { name: 'ConnectionError', reason, context });

  test('an unreachable, timed-out or broken server is "unreachable"', () => {
    for (const reason of [
      ConnectionErrorReason.ServerUnreachable,
      ConnectionErrorReason.Timeout,
      ConnectionErrorReason.WebSocket,
      ConnectionErrorReason.InternalError,
      ConnectionErrorReason.ServiceNotFound,
    ]) {
      assert.equal(classifyConnectError(err(reason)), 'unreachable');
    }
    assert.equal(failureMessage('unreachable'), 'Media server unreachable');
  });

  test('a refused token, our own cancel and a server-sent leave are told apart', () => {
    assert.equal(classifyConnectError(err(ConnectionErrorReason.NotAllowed)), 'refused');
    assert.equal(classifyConnectError(err(ConnectionErrorReason.Cancelled)), 'cancelled');
    assert.equal(
      classifyConnectError(err(ConnectionErrorReason.LeaveRequest, DisconnectReason.PARTICIPANT_REMOVED)),
      'removed',
    );
    assert.equal(
      classifyConnectError(err(ConnectionErrorReason.LeaveRequest, DisconnectReason.SERVER_SHUTDOWN)),
      'unreachable',
    );
    assert.equal(failureMessage('cancelled'), null);
  });

  test('anything else is a plain failure', () => {
    assert.equal(classifyConnectError(new TypeError('boom')), 'failed');
    assert.equal(classifyConnectError(null), 'failed');
    assert.equal(failureMessage('failed'), 'Could not connect to the call');
  });
});
