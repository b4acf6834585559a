import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MediaSession } from '../lib/media.js';

const JOIN = { token: 't', e2eeKey: 'k', wsUrl: '/livekit/', room: { id: 4, name: 'Lounge' } };

test('without a media layer a join is recorded and reported as not connected', async () => {
  const media = new MediaSession();
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
  const media = new MediaSession();
  /** @type {string[]} */
  const calls = [];
  const layer = {
    connect: async (/** @type {any} */ join) => { calls.push(`connect ${join.room.id}`); },
    disconnect: async () => { calls.push('disconnect'); },
  };
  await media.connect(JOIN);
  await media.attach(layer);
  await media.connect({ ...JOIN, room: { id: 5, name: 'Den' } });
  await media.disconnect();
  await media.disconnect();
  assert.deepEqual(calls, ['connect 4', 'connect 5', 'disconnect']);
});
