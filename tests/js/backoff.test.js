import assert from 'node:assert/strict';
import { test } from 'node:test';

import { backoffDelay } from '../../static/js/lib/backoff.js';

test('delays double per attempt and stay within [half, full] of the ceiling', () => {
  assert.equal(backoffDelay(0, { random: () => 0 }), 250);
  assert.equal(backoffDelay(0, { random: () => 1 }), 500);
  assert.equal(backoffDelay(3, { random: () => 0 }), 2000);
  assert.equal(backoffDelay(3, { random: () => 1 }), 4000);
});

test('delays never exceed the cap', () => {
  assert.equal(backoffDelay(50, { random: () => 1 }), 30000);
  assert.equal(backoffDelay(50, { random: () => 0, maxMs: 1000 }), 500);
});
