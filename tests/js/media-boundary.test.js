import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MediaBoundary } from '../../static/js/media/boundary.js';

const JOIN = { token: 't', e2eeKey: 'k', wsUrl: '/livekit/', room: { id: 4, name: 'Lounge' } };

test('without a media layer a join is recorded and reported as not connected', async () => {
  const media = new MediaBoundary();
  /** @type {any[]} */
  const seen = [];
  media.onState((state) => seen.push(state));
  await media.connect(JOIN);
  assert.equal(media.target, JOIN);
  assert.deepEqual(seen, [{ state: 'not-connected', roomId: 4, detail: 'media not connected' }]);
  await media.disconnect();
  assert.equal(media.target, null);
  assert.deepEqual(seen.at(-1), { state: 'idle', roomId: null });
});

test('an attached layer gets the current room at once, then every join and leave', async () => {
  const media = new MediaBoundary();
  /** @type {string[]} */
  const calls = [];
  const layer = {
    connect: async (/** @type {any} */ join) => { calls.push(`connect ${join.room.id}`); },
    disconnect: async () => { calls.push('disconnect'); },
    setWhispers: () => {},
  };
  await media.connect(JOIN);
  await media.attach(layer);
  await media.connect({ ...JOIN, room: { id: 5, name: 'Den' } });
  await media.disconnect();
  await media.disconnect();
  assert.deepEqual(calls, ['connect 4', 'connect 5', 'disconnect']);
});

test('page moments reach whoever listens for them, by name', () => {
  const media = new MediaBoundary();
  /** @type {any[]} */
  const heard = [];
  const stop = media.onMoment('peer-joined', (payload) => heard.push(payload));
  media.moment('peer-joined', { user: 1 });
  media.moment('peer-left', { user: 2 });
  stop();
  media.moment('peer-joined', { user: 3 });
  assert.deepEqual(heard, [{ user: 1 }]);
});

test('the whispers chain reaches the layer on attach and then only when it changes', async () => {
  const media = new MediaBoundary();
  /** @type {any[]} */
  const given = [];
  const chain = [{ username: 'a', position: 0 }, { username: 'b', position: 1 }];
  media.setWhispers({ active: true, chain });
  await media.attach({ connect: async () => {}, disconnect: async () => {}, setWhispers: (w) => given.push(w) });
  media.setWhispers({ active: true, chain: [...chain] });
  media.setWhispers({ active: false, chain: [] });
  assert.deepEqual(given, [{ active: true, chain }, { active: false, chain: [] }]);
});

test('a rejoin asks the page for a fresh join', async () => {
  const media = new MediaBoundary({ refreshJoin: async (roomId) => ({ ...JOIN, room: { id: roomId, name: 'x' } }) });
  assert.equal((await media.refreshJoin?.(9))?.room.id, 9);
});
