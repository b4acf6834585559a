import assert from 'node:assert/strict';
import { test } from 'node:test';

import { otherTheme, resolveTheme } from '../../static/js/lib/theme.js';

test('a saved choice wins over the system preference', () => {
  assert.equal(resolveTheme('light', false), 'light');
  assert.equal(resolveTheme('dark', true), 'dark');
});

test('without a choice the system decides, and dark is the default', () => {
  assert.equal(resolveTheme(null, true), 'light');
  assert.equal(resolveTheme(null, false), 'dark');
  assert.equal(resolveTheme(null, null), 'dark');
  assert.equal(resolveTheme('purple', null), 'dark');
});

test('the toggle flips between the two', () => {
  assert.equal(otherTheme('dark'), 'light');
  assert.equal(otherTheme('light'), 'dark');
});
