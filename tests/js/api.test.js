import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ApiError, createApi, readCookie } from '../../static/js/lib/api.js';

/** @param {number} status @param {string} body */
function fakeFetch(status, body) {
  /** @type {any[]} */
  const calls = [];
  const fetchImpl = async (/** @type {string} */ url, /** @type {any} */ init) => {
    calls.push({ url, init });
    return { ok: status >= 200 && status < 300, status, text: async () => body };
  };
  return { calls, fetchImpl };
}

test('unsafe requests send JSON, the session cookie and the CSRF header', async () => {
  const { calls, fetchImpl } = fakeFetch(201, '{"room":{"id":3}}');
  const api = createApi({ fetchImpl: /** @type {any} */ (fetchImpl), csrfToken: () => 'tok' });
  assert.deepEqual(await api.createRoom('Lounge', 'video'), { room: { id: 3 } });
  const [{ url, init }] = calls;
  assert.equal(url, '/api/rooms');
  assert.equal(init.method, 'POST');
  assert.equal(init.credentials, 'same-origin');
  assert.equal(init.headers['X-CSRFToken'], 'tok');
  assert.equal(init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(init.body), { name: 'Lounge', type: 'video' });
});

test('safe requests carry no CSRF header and no body', async () => {
  const { calls, fetchImpl } = fakeFetch(200, '{"rooms":[]}');
  const api = createApi({ fetchImpl: /** @type {any} */ (fetchImpl), csrfToken: () => 'tok' });
  await api.rooms();
  assert.equal(calls[0].init.headers['X-CSRFToken'], undefined);
  assert.equal(calls[0].init.body, undefined);
});

test('the server error string is the message, verbatim', async () => {
  const { fetchImpl } = fakeFetch(409, '{"error":"Username already taken"}');
  const api = createApi({ fetchImpl: /** @type {any} */ (fetchImpl) });
  await assert.rejects(api.register('bob', 'Bob', 'password1'), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.message, 'Username already taken');
    assert.equal(error.status, 409);
    return true;
  });
});

test('an unparsable body reads "Request failed"; a network failure uses the fallback', async () => {
  const broken = createApi({ fetchImpl: /** @type {any} */ (fakeFetch(502, '<html>').fetchImpl) });
  await assert.rejects(broken.login('a', 'b'), { message: 'Request failed' });
  const offline = createApi({ fetchImpl: async () => { throw new TypeError('offline'); } });
  await assert.rejects(offline.login('a', 'b'), { message: 'Login failed', status: 0 });
  await assert.rejects(offline.register('a', 'A', 'b'), { message: 'Registration failed' });
  await assert.rejects(offline.rooms(), { message: 'Could not reach the server' });
});

test('an error without a message falls back to the action\'s own', async () => {
  const api = createApi({ fetchImpl: /** @type {any} */ (fakeFetch(500, '{}').fetchImpl) });
  await assert.rejects(api.joinRoom(2), { message: 'Failed to join room' });
});

test('a 401 tells the page the session is gone', async () => {
  let told = 0;
  const api = createApi({ fetchImpl: /** @type {any} */ (fakeFetch(401, '{"error":"Missing authorization token"}').fetchImpl), onUnauthorized: () => { told += 1; } });
  await assert.rejects(api.users(), { message: 'Missing authorization token' });
  assert.equal(told, 1);
});

test('cookies are read by exact name', () => {
  assert.equal(readCookie('csrftoken', 'a=1; csrftoken=abc%3D; xcsrftoken=no'), 'abc=');
  assert.equal(readCookie('csrftoken', 'a=1'), '');
});

test('the leave beacon carries the CSRF token and this page connection in a form', () => {
  /** @type {any[]} */
  const sent = [];
  const api = createApi({
    csrfToken: () => 'tok',
    beaconImpl: (url, body) => sent.push([url, body.toString()]) > 0,
  });
  assert.equal(api.leaveBeacon('c-1'), true);
  api.leaveBeacon(null);
  assert.deepEqual(sent, [
    ['/api/events/leave', 'csrfmiddlewaretoken=tok&connection=c-1'],
    ['/api/events/leave', 'csrfmiddlewaretoken=tok'],
  ]);
});

test('sync posts to the room', async () => {
  const { calls, fetchImpl } = fakeFetch(200, '{"synced":true}');
  const api = createApi({ fetchImpl: /** @type {any} */ (fetchImpl), csrfToken: () => 'tok' });
  assert.deepEqual(await api.syncRoom(2), { synced: true });
  assert.equal(calls[0].url, '/api/rooms/2/sync');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers['X-CSRFToken'], 'tok');
});
