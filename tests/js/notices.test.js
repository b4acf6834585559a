import assert from 'node:assert/strict';
import { test } from 'node:test';

import { NOTICE_MS, Notices } from '../../static/js/lib/notices.js';

function clocked() {
  const clock = { now: 1000 };
  return { clock, notices: new Notices({ now: () => clock.now }) };
}

test('notices show newest first', () => {
  const { notices } = clocked();
  notices.add('info', 'first');
  notices.add('error', 'second');
  notices.add('success', 'third');
  assert.deepEqual(notices.current().map((n) => n.text), ['third', 'second', 'first']);
});

test('information leaves by itself; an error stays until dismissed', () => {
  const { clock, notices } = clocked();
  const error = notices.add('error', 'Room not found (Attic)');
  notices.add('info', 'Game Night was deleted.');
  notices.add('warning', 'Vote passed: you have been sent to jail.');
  clock.now += NOTICE_MS - 1;
  assert.equal(notices.current().length, 3);
  clock.now += 1;
  assert.deepEqual(notices.current().map((n) => n.kind), ['error']);
  clock.now += 60 * 60 * 1000;
  assert.equal(notices.current().length, 1, 'an hour later the error is still there');
  assert.equal(notices.dismiss(error), true);
  assert.deepEqual(notices.current(), []);
});

test('the same words again move to the top instead of piling up', () => {
  const { notices } = clocked();
  notices.add('error', 'Need at least 3 people in the room to start a vote');
  notices.add('info', 'other');
  notices.add('error', 'Need at least 3 people in the room to start a vote');
  assert.deepEqual(notices.current().map((n) => n.text), ['Need at least 3 people in the room to start a vote', 'other']);
});

test('a pile loses its oldest passing notice, never an unread error', () => {
  const { notices } = clocked();
  notices.add('error', 'e1');
  for (const text of ['i1', 'i2', 'i3', 'i4']) notices.add('info', text);
  assert.deepEqual(notices.current().map((n) => n.text), ['i4', 'i3', 'i2', 'e1']);
});

test('notices about a room go when I am no longer there; general ones stay', () => {
  const { notices } = clocked();
  notices.add('info', 'Bob turned whispers on', { roomId: 2 });
  notices.add('info', 'Lounge was deleted.');
  notices.roomChanged(1);
  assert.deepEqual(notices.current().map((n) => n.text), ['Lounge was deleted.']);
});
