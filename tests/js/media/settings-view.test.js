import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DEFAULT_HOTKEYS, rebind } from '../../../static/js/media/rules/hotkeys.js';
import {
  deviceChoices,
  hotkeyRows,
  keyCapView,
  micStatus,
  popoverPlacement,
  rebindMessage,
  receivingHold,
  soundPackChoices,
  toPercent,
} from '../../../static/js/media/models/settings-model.js';

describe('device pickers', () => {
  const mics = [
    { deviceId: 'default', label: 'Default - USB Mic', kind: 'audioinput' },
    { deviceId: 'usb-1', label: 'USB Mic', kind: 'audioinput' },
    { deviceId: 'abcdef0123456789', label: '', kind: 'audioinput' },
  ];

  test('the active device is selected, not the first one (W-B2)', () => {
    assert.equal(deviceChoices(mics, 'usb-1').value, 'usb-1');
  });

  test('with nothing active, the default alias; without one, the first device', () => {
    assert.equal(deviceChoices(mics, null).value, 'default');
    assert.equal(deviceChoices(mics.slice(1), null).value, 'usb-1');
    assert.equal(deviceChoices(mics, 'unplugged').value, 'default');
    assert.deepEqual(deviceChoices([], null), { options: [], value: '' });
  });

  test('unlabelled devices are named like 1.x: "Microphone <first 8 of id>"', () => {
    assert.deepEqual(deviceChoices(mics, null).options, [
      { value: 'default', label: 'Default - USB Mic' },
      { value: 'usb-1', label: 'USB Mic' },
      { value: 'abcdef0123456789', label: 'Microphone abcdef01' },
    ]);
  });
});

describe('mic status line', () => {
  const mic = { live: false, muted: true, deafened: false, mode: 'toggle', problem: null };
  const status = (over, connected = true) =>
    micStatus({ connected, mic: { ...mic, ...over }, pushToTalkKey: 'KeyV' });

  test('live, muted, deafened', () => {
    assert.deepEqual(status({ live: true, muted: false }), { tone: 'live', text: 'Mic is live' });
    assert.deepEqual(status({}), { tone: 'muted', text: 'Muted — press Unmute' });
    assert.deepEqual(status({ deafened: true }), { tone: 'muted', text: 'Deafened — press Undeafen' });
  });

  test('a mic problem is explained before anything else, even outside a call', () => {
    const problem = 'No microphone was found. Plug one in, then press Unmute.';
    assert.deepEqual(status({ problem }, false), { tone: 'problem', text: problem });
    assert.deepEqual(status({}, false), { tone: 'idle', text: 'Not in a call' });
  });

  test('push-to-talk names its key', () => {
    assert.equal(status({ muted: false, mode: 'ptt' }).text, 'Push to talk — hold V to talk');
    const unbound = micStatus({ connected: true, mic: { ...mic, muted: false, mode: 'ptt' }, pushToTalkKey: null });
    assert.equal(unbound.text, 'Push to talk — set a key below to talk');
  });
});

describe('hotkey rows and rebind messages', () => {
  test('one row per action with its key cap text', () => {
    assert.deepEqual(hotkeyRows({ ...DEFAULT_HOTKEYS, pushToTalk: null }), [
      { action: 'toggleMute', label: 'Toggle Mute', code: 'KeyM', keyText: 'M' },
      { action: 'toggleDeafen', label: 'Toggle Deafen', code: 'KeyD', keyText: 'D' },
      { action: 'pushToTalk', label: 'Push to Talk', code: null, keyText: 'Not set' },
      { action: 'captureSoundbites', label: 'Save Soundbites', code: 'Ctrl+Shift+KeyS', keyText: 'Ctrl + Shift + S' },
    ]);
  });

  test('a key cap shows its key, or that it listens; only a bound key can be cleared', () => {
    const [mute, , talk] = hotkeyRows({ ...DEFAULT_HOTKEYS, pushToTalk: null });
    assert.deepEqual(keyCapView(mute, false), { text: 'M', name: 'Toggle Mute key: M. Change', clearable: true });
    assert.deepEqual(keyCapView(talk, false), {
      text: 'Not set',
      name: 'Push to Talk key: Not set. Change',
      clearable: false,
    });
    assert.deepEqual(keyCapView(mute, true), {
      text: 'Press a key…',
      name: 'Toggle Mute key: press a key, or Escape to cancel',
      clearable: false,
    });
  });

  test('success, clearing, a conflict naming the other action, a reserved key', () => {
    const say = (action, code, options) => rebindMessage(action, code, rebind(DEFAULT_HOTKEYS, action, code, options));
    assert.deepEqual(say('toggleMute', 'KeyK'), { text: 'Toggle Mute is now K.', conflict: null });
    assert.deepEqual(say('toggleMute', null), { text: 'Toggle Mute has no key now.', conflict: null });
    assert.deepEqual(say('toggleMute', 'KeyD'), {
      text: "D is already Toggle Deafen's key.",
      conflict: 'toggleDeafen',
    });
    assert.deepEqual(say('toggleMute', 'KeyD', { swap: true }), { text: 'Toggle Mute is now D.', conflict: null });
    assert.deepEqual(say('pushToTalk', 'Tab'), { text: 'Tab cannot be a shortcut.', conflict: null });
  });
});

describe('receiving audio', () => {
  test('shown from the first sound above 0.01 until a quiet second has passed', () => {
    const receiving = receivingHold(1000);
    assert.equal(receiving(0.005, 0), false);
    assert.equal(receiving(0.2, 100), true);
    assert.equal(receiving(0, 600), true);
    assert.equal(receiving(0, 1099), true);
    assert.equal(receiving(0, 1100), false);
    assert.equal(receiving(0.02, 1200), true);
  });
});

describe('sounds and sliders', () => {
  test('the five packs, None last', () => {
    assert.deepEqual(
      soundPackChoices().map((c) => c.label),
      ['Mystical Chimes', 'Mischievous Pops', 'Retro Arcade', 'Digital Whispers', 'None'],
    );
  });

  test('percent of a 0..2 gain or 0..1 volume', () => {
    assert.equal(toPercent(1.5), 150);
    assert.equal(toPercent(0.333), 33);
    assert.equal(toPercent(Number.NaN), 0);
  });
});

describe('popover placement', () => {
  const viewport = { width: 1280, height: 800 };

  test('above the gear, right edges aligned', () => {
    const spot = popoverPlacement({ top: 740, right: 900 }, viewport, 340);
    assert.deepEqual(spot, { left: 560, bottom: 68, maxHeight: 724 });
  });

  test('kept inside the window near either edge', () => {
    assert.equal(popoverPlacement({ top: 740, right: 100 }, viewport, 340).left, 8);
    assert.equal(popoverPlacement({ top: 740, right: 1300 }, viewport, 340).left, 1280 - 340 - 8);
  });

  test('never shorter than a usable panel, even with the gear near the top', () => {
    assert.equal(popoverPlacement({ top: 40, right: 900 }, viewport, 340).maxHeight, 160);
  });
});
