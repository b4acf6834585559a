import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  clockText,
  lastSeenText,
  membersText,
  parseServerTime,
  personInitial,
  roomInitials,
  secondsLeft,
} from '../../static/js/lib/format.js';

test('1.x timestamps without a zone are read as UTC', () => {
  assert.equal(parseServerTime('2026-01-02 03:04:05'), Date.UTC(2026, 0, 2, 3, 4, 5));
});

test('ISO timestamps keep their offset, and zone-less ISO is UTC', () => {
  assert.equal(parseServerTime('2026-01-02T03:04:05+02:00'), Date.UTC(2026, 0, 2, 1, 4, 5));
  assert.equal(parseServerTime('2026-01-02T03:04:05.250Z'), Date.UTC(2026, 0, 2, 3, 4, 5, 250));
  assert.equal(parseServerTime('2026-01-02T03:04:05'), Date.UTC(2026, 0, 2, 3, 4, 5));
});

test('missing or garbage timestamps give null, never NaN', () => {
  assert.equal(parseServerTime(null), null);
  assert.equal(parseServerTime(''), null);
  assert.equal(parseServerTime('soon'), null);
});

test('countdowns read m:ss and round up', () => {
  assert.equal(clockText(0), '0:00');
  assert.equal(clockText(65), '1:05');
  assert.equal(clockText(-3), '0:00');
  assert.equal(secondsLeft(30000, 0), 30);
  assert.equal(secondsLeft(29001, 0), 30);
  assert.equal(secondsLeft(1000, 5000), 0);
  assert.equal(secondsLeft(null, 0), 0);
});

test('room initials follow 1.x: one letter, two words two letters, jail "!"', () => {
  assert.equal(roomInitials('general', false), 'G');
  assert.equal(roomInitials('late night gaming', false), 'LN');
  assert.equal(roomInitials('Anything', true), '!');
  assert.equal(roomInitials('  ', false), '?');
  assert.equal(roomInitials('😀 party', false), '😀P');
});

test('person initial is the first code point, upper-cased', () => {
  assert.equal(personInitial('bob'), 'B');
  assert.equal(personInitial('𝒜lice'), '𝒜');
});

test('last seen reads like 1.x', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);
  assert.equal(lastSeenText(null, now), 'Never');
  assert.equal(lastSeenText(now - 30_000, now), 'Just now');
  assert.equal(lastSeenText(now - 5 * 60_000, now), '5m ago');
  assert.equal(lastSeenText(now - 3 * 3600_000, now), '3h ago');
  assert.equal(lastSeenText(now - 2 * 86400_000, now), '2d ago');
  assert.equal(lastSeenText(now - 9 * 86400_000, now, () => 'a date'), 'a date');
});

test('member counts are singular for one', () => {
  assert.equal(membersText(1), '1 member');
  assert.equal(membersText(3), '3 members');
});
