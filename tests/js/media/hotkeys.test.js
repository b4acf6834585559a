import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  DEFAULT_HOTKEYS,
  captureBinding,
  createPushToTalk,
  findConflicts,
  isTypingTarget,
  keyLabel,
  matchHotkey,
  normaliseBindings,
  rebind,
} from '../../../static/js/media/rules/hotkeys.js';

const key = (code, extra = {}) => ({ code, target: { tagName: 'BODY' }, ...extra });

describe('matchHotkey', () => {
  test('M toggles mute and D toggles deafen by default', () => {
    assert.equal(matchHotkey(key('KeyM'), DEFAULT_HOTKEYS), 'toggleMute');
    assert.equal(matchHotkey(key('KeyD'), DEFAULT_HOTKEYS), 'toggleDeafen');
    assert.equal(matchHotkey(key('KeyX'), DEFAULT_HOTKEYS), null);
  });

  test('never hijacks Ctrl, Cmd or Alt shortcuts (Ctrl+D stays the bookmark key)', () => {
    for (const modifier of ['ctrlKey', 'metaKey', 'altKey']) {
      assert.equal(matchHotkey(key('KeyD', { [modifier]: true }), DEFAULT_HOTKEYS), null, modifier);
    }
  });

  test('Shift does not block a hotkey', () => {
    assert.equal(matchHotkey(key('KeyM', { shiftKey: true }), DEFAULT_HOTKEYS), 'toggleMute');
  });

  test('ignores keys typed into fields, and IME composition', () => {
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'input' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      assert.equal(matchHotkey(key('KeyM', { target }), DEFAULT_HOTKEYS), null, JSON.stringify(target));
    }
    assert.equal(matchHotkey(key('KeyM', { isComposing: true }), DEFAULT_HOTKEYS), null);
  });

  test('a focused checkbox, button or slider is not a typing field', () => {
    for (const type of ['checkbox', 'range', 'button']) {
      assert.equal(
        matchHotkey(key('KeyM', { target: { tagName: 'INPUT', type } }), DEFAULT_HOTKEYS),
        'toggleMute',
        type,
      );
    }
  });

  test('push-to-talk only matches in push-to-talk mode', () => {
    assert.equal(matchHotkey(key('KeyV'), DEFAULT_HOTKEYS), null);
    assert.equal(matchHotkey(key('KeyV'), DEFAULT_HOTKEYS, { pushToTalk: true }), 'pushToTalk');
  });

  test('an unbound action never matches', () => {
    assert.equal(matchHotkey(key('KeyM'), { ...DEFAULT_HOTKEYS, toggleMute: null }), null);
  });
});

test('isTypingTarget handles nulls, role=textbox and non-objects', () => {
  assert.equal(isTypingTarget(null), false);
  assert.equal(isTypingTarget('INPUT'), false);
  assert.equal(isTypingTarget({ tagName: 'DIV', getAttribute: (n) => (n === 'role' ? 'textbox' : null) }), true);
  assert.equal(isTypingTarget({ tagName: 'INPUT', type: 'search' }), true);
});

test('keyLabel shows keys as 1.x did', () => {
  assert.deepEqual(
    [
      'KeyM',
      'Digit7',
      'Backquote',
      'Minus',
      'Equal',
      'BracketLeft',
      'BracketRight',
      'Backslash',
      'Semicolon',
      'Quote',
      'Comma',
      'Period',
      'Slash',
      'Space',
      'F5',
      'Numpad3',
      null,
    ].map(keyLabel),
    ['M', '7', '`', '-', '=', '[', ']', '\\', ';', "'", ',', '.', '/', 'Space', 'F5', 'Num 3', 'Not set'],
  );
});

describe('rebinding', () => {
  test('captureBinding: Escape cancels; Tab and modified keys are ignored; anything else binds', () => {
    assert.deepEqual(captureBinding({ code: 'Escape' }), { kind: 'cancel' });
    assert.deepEqual(captureBinding({ code: 'Tab' }), { kind: 'ignore' });
    assert.deepEqual(captureBinding({ code: 'KeyK', ctrlKey: true }), { kind: 'ignore' });
    // A chord is taken only where the action allows one (not push-to-talk).
    assert.deepEqual(captureBinding({ code: 'KeyK', ctrlKey: true, shiftKey: true }, { chords: true }), {
      kind: 'bind',
      code: 'Ctrl+Shift+KeyK',
    });
    assert.deepEqual(captureBinding({ code: 'ControlLeft', ctrlKey: true }, { chords: true }), { kind: 'ignore' });
    assert.deepEqual(captureBinding({ code: 'KeyK', shiftKey: true }, { chords: true }), { kind: 'bind', code: 'KeyK' });
    assert.deepEqual(captureBinding({ code: 'KeyK' }), { kind: 'bind', code: 'KeyK' });
    assert.deepEqual(captureBinding({ code: 'ShiftLeft' }), { kind: 'bind', code: 'ShiftLeft' });
  });

  test('a free key is bound', () => {
    const result = rebind(DEFAULT_HOTKEYS, 'toggleMute', 'KeyK');
    assert.deepEqual(result, { ok: true, bindings: { ...DEFAULT_HOTKEYS, toggleMute: 'KeyK' } });
  });

  test('a key used by another action is refused, naming that action', () => {
    assert.deepEqual(rebind(DEFAULT_HOTKEYS, 'toggleMute', 'KeyD'), { ok: false, conflict: 'toggleDeafen' });
  });

  test('with swap, the other action takes the old key', () => {
    const result = rebind(DEFAULT_HOTKEYS, 'toggleMute', 'KeyD', { swap: true });
    assert.ok(result.ok);
    assert.deepEqual(result.bindings, { toggleMute: 'KeyD', toggleDeafen: 'KeyM', pushToTalk: 'KeyV', captureSoundbites: 'Ctrl+Shift+KeyS' });
    assert.deepEqual(findConflicts(result.bindings), []);
  });

  test('rebinding to its own key is not a conflict; unbinding is allowed', () => {
    assert.equal(rebind(DEFAULT_HOTKEYS, 'toggleMute', 'KeyM').ok, true);
    assert.deepEqual(rebind(DEFAULT_HOTKEYS, 'pushToTalk', null), {
      ok: true,
      bindings: { ...DEFAULT_HOTKEYS, pushToTalk: null },
    });
  });

  test('Escape and Tab cannot be bound', () => {
    assert.deepEqual(rebind(DEFAULT_HOTKEYS, 'toggleMute', 'Escape'), { ok: false, reserved: 'Escape' });
  });
});

describe('normaliseBindings', () => {
  test('1.x data (two actions) gains the push-to-talk and soundbite defaults', () => {
    assert.deepEqual(normaliseBindings({ toggleMute: 'KeyQ', toggleDeafen: 'KeyW' }), {
      toggleMute: 'KeyQ',
      toggleDeafen: 'KeyW',
      pushToTalk: 'KeyV',
      captureSoundbites: 'Ctrl+Shift+KeyS',
    });
  });

  test('a shared key keeps only the earlier action (1.x let both share one; mute won)', () => {
    const bindings = normaliseBindings({ toggleMute: 'KeyM', toggleDeafen: 'KeyM' });
    assert.deepEqual(bindings, { toggleMute: 'KeyM', toggleDeafen: null, pushToTalk: 'KeyV', captureSoundbites: 'Ctrl+Shift+KeyS' });
    assert.deepEqual(findConflicts({ toggleMute: 'KeyM', toggleDeafen: 'KeyM', pushToTalk: null }), [
      ['toggleMute', 'toggleDeafen'],
    ]);
  });

  test('garbage becomes defaults or unbound; explicit null stays unbound', () => {
    assert.deepEqual(normaliseBindings('nope'), DEFAULT_HOTKEYS);
    assert.deepEqual(normaliseBindings({ toggleMute: 42, toggleDeafen: 'Escape', pushToTalk: null, extra: 'KeyZ' }), {
      toggleMute: null,
      toggleDeafen: null,
      pushToTalk: null,
      captureSoundbites: 'Ctrl+Shift+KeyS',
    });
  });
});

describe('push-to-talk', () => {
  const setup = () => {
    const changes = [];
    return { ptt: createPushToTalk((held) => changes.push(held)), changes };
  };

  test('holds while the key is down and releases on key up', () => {
    const { ptt, changes } = setup();
    assert.equal(ptt.keydown(key('KeyV'), 'KeyV'), true);
    assert.equal(ptt.held, true);
    assert.equal(ptt.keyup(key('KeyV'), 'KeyV'), true);
    assert.deepEqual(changes, [true, false]);
  });

  test('auto-repeat does not toggle anything', () => {
    const { ptt, changes } = setup();
    ptt.keydown(key('KeyV'), 'KeyV');
    ptt.keydown(key('KeyV', { repeat: true }), 'KeyV');
    ptt.keydown(key('KeyV', { repeat: true }), 'KeyV');
    assert.deepEqual(changes, [true]);
  });

  test('losing focus releases, so the mic cannot stay open', () => {
    const { ptt, changes } = setup();
    ptt.keydown(key('KeyV'), 'KeyV');
    ptt.release();
    ptt.release();
    assert.deepEqual(changes, [true, false]);
  });

  test('does not start while typing or with Ctrl held, but a key up while typing still releases', () => {
    const { ptt, changes } = setup();
    assert.equal(ptt.keydown(key('KeyV', { target: { tagName: 'TEXTAREA' } }), 'KeyV'), false);
    assert.equal(ptt.keydown(key('KeyV', { ctrlKey: true }), 'KeyV'), false);
    ptt.keydown(key('KeyV'), 'KeyV');
    ptt.keyup(key('KeyV', { target: { tagName: 'TEXTAREA' } }), 'KeyV');
    assert.deepEqual(changes, [true, false]);
  });

  test('other keys and an unbound key are not push-to-talk', () => {
    const { ptt, changes } = setup();
    assert.equal(ptt.keydown(key('KeyB'), 'KeyV'), false);
    assert.equal(ptt.keydown(key('KeyV'), null), false);
    assert.deepEqual(changes, []);
  });
});

describe('chords (2.x format, Save Soundbites)', () => {
  test('Ctrl+Shift+S saves soundbites by default, and only with exactly those modifiers', () => {
    const chord = { ctrlKey: true, shiftKey: true };
    assert.equal(matchHotkey(key('KeyS', chord), DEFAULT_HOTKEYS), 'captureSoundbites');
    assert.equal(matchHotkey(key('KeyS', { ctrlKey: true }), DEFAULT_HOTKEYS), null);
    assert.equal(matchHotkey(key('KeyS', { ...chord, altKey: true }), DEFAULT_HOTKEYS), null);
    assert.equal(matchHotkey(key('KeyS'), DEFAULT_HOTKEYS), null);
  });

  test('not while typing', () => {
    const event = { code: 'KeyS', ctrlKey: true, shiftKey: true, target: { tagName: 'INPUT', type: 'text' } };
    assert.equal(matchHotkey(event, DEFAULT_HOTKEYS), null);
  });

  test('a chord reads as 2.x shows it, and can be rebound', () => {
    assert.equal(keyLabel('Ctrl+Shift+KeyS'), 'Ctrl + Shift + S');
    assert.equal(keyLabel('Alt+Digit1'), 'Alt + 1');
    const result = rebind(DEFAULT_HOTKEYS, 'captureSoundbites', 'Ctrl+Alt+KeyB');
    assert.ok(result.ok);
    assert.equal(matchHotkey(key('KeyB', { ctrlKey: true, altKey: true }), result.bindings), 'captureSoundbites');
  });

  test("a 2.x client's stored chord is adopted", () => {
    const bindings = normaliseBindings({ toggleMute: 'KeyM', toggleDeafen: 'KeyD', captureSoundbites: 'Ctrl+Shift+KeyX' });
    assert.equal(bindings.captureSoundbites, 'Ctrl+Shift+KeyX');
    assert.equal(bindings.pushToTalk, 'KeyV');
  });
});
