import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  barVisible,
  cameraButton,
  controlBarModel,
  deafenButton,
  micButton,
  pushToTalkButton,
  shareButton,
  shareMenu,
  volumeRows,
} from '../../../static/js/media/models/control-bar-model.js';
import { DEFAULT_HOTKEYS } from '../../../static/js/media/rules/hotkeys.js';
import { createMediaLayer } from '../../../static/js/media/media-layer.js';
import { createMediaSettings } from '../../../static/js/media/adapters/saved-settings.js';
import { createStore, memoryBackend } from '../../../static/js/media/adapters/local-store.js';
import { FakeAudioContext } from './fake-audio.js';
import { FakeSdk, manualTimers } from './fake-livekit.js';

const KEYS = { ...DEFAULT_HOTKEYS };
const NO_KEYS = { toggleMute: null, toggleDeafen: null, pushToTalk: null };

/** @param {Partial<import('../../../static/js/media/models/control-bar-model.js').MicState>} [over] */
function mic(over = {}) {
  const base = { mode: 'toggle', muted: true, deafened: false, pttHeld: false, live: false, problem: null };
  const state = { ...base, ...over };
  return { ...state, showsMuted: state.muted || state.deafened };
}

describe('the mic button', () => {
  test('muted: pressed, red mic-off, offers Unmute with the hotkey', () => {
    const view = micButton(mic(), KEYS, false);
    assert.equal(view.pressed, true);
    assert.equal(view.icon, 'mic-off');
    assert.equal(view.tone, 'danger');
    assert.equal(view.tooltip, 'Unmute (M)');
    assert.equal(view.description, '');
  });

  test('live: not pressed, offers Mute; an unbound key is not shown', () => {
    const view = micButton(mic({ muted: false, live: true }), NO_KEYS, false);
    assert.equal(view.pressed, false);
    assert.equal(view.icon, 'mic');
    assert.equal(view.tone, null);
    assert.equal(view.tooltip, 'Mute');
    assert.equal(view.live, false, 'the glow is push-to-talk only');
  });

  test('deafened: unmuting also undeafens, and the tooltip says so', () => {
    assert.equal(micButton(mic({ muted: false, deafened: true }), KEYS, false).tooltip, 'Unmute and undeafen (M)');
  });

  test('a mic problem is the description, the tooltip and a warning mark', () => {
    const problem = 'No microphone was found. Plug one in, then press Unmute.';
    const view = micButton(mic({ problem }), KEYS, false);
    assert.equal(view.description, problem);
    assert.equal(view.tooltip, `Unmute (M)\n${problem}`);
    assert.equal(view.problem, true);
  });

  test('push-to-talk: "Hold V to talk", glowing while the key is held', () => {
    const idle = micButton(mic({ mode: 'ptt', muted: false }), KEYS, false);
    assert.equal(idle.tooltip, 'Hold V to talk\nClick to mute (M)');
    assert.equal(idle.description, 'Hold V to talk');
    assert.equal(idle.pressed, false);
    assert.equal(idle.live, false);
    assert.equal(micButton(mic({ mode: 'ptt', muted: false, live: true }), KEYS, false).live, true);
  });

  test('push-to-talk while muted explains that the key is blocked', () => {
    const view = micButton(mic({ mode: 'ptt', muted: true }), KEYS, false);
    assert.equal(view.pressed, true);
    assert.equal(view.tooltip, 'Unmute (M)\nPush to talk: unmute, then hold V to talk');
  });

  test('push-to-talk without a key says where to set one', () => {
    const view = micButton(mic({ mode: 'ptt', muted: false }), { ...KEYS, pushToTalk: null }, false);
    assert.match(view.tooltip, /^Push to talk has no key: set one in Settings/);
  });

  test('busy while its action runs', () => {
    assert.equal(micButton(mic(), KEYS, true).disabled, true);
  });
});

describe('the push-to-talk switch', () => {
  test('shows the bound key and its mode', () => {
    const off = pushToTalkButton(mic(), { ...KEYS, pushToTalk: 'Space' }, false);
    assert.equal(off.caption, 'Space');
    assert.equal(off.pressed, false);
    assert.equal(off.tooltip, 'Push to talk is off\nClick to talk only while holding Space');
    const on = pushToTalkButton(mic({ mode: 'ptt', muted: false }), KEYS, false);
    assert.equal(on.pressed, true);
    assert.equal(on.tooltip, 'Push to talk is on: hold V to talk\nClick for an open mic');
  });

  test('cannot turn on without a key, but can always turn off', () => {
    const noKey = { ...KEYS, pushToTalk: null };
    const off = pushToTalkButton(mic(), noKey, false);
    assert.equal(off.disabled, true);
    assert.equal(off.caption, 'PTT');
    assert.match(off.tooltip, /Set a push-to-talk key in Settings first/);
    assert.equal(pushToTalkButton(mic({ mode: 'ptt' }), noKey, false).disabled, false);
  });
});

describe('camera and deafen', () => {
  test('camera: green and pressed when on, says what is happening while busy', () => {
    const on = cameraButton({ on: true }, false);
    assert.deepEqual([on.pressed, on.tone, on.icon, on.tooltip], [true, 'success', 'camera', 'Turn off camera']);
    const off = cameraButton({ on: false }, false);
    assert.deepEqual([off.pressed, off.tone, off.icon, off.tooltip], [false, null, 'camera-off', 'Turn on camera']);
    assert.equal(cameraButton({ on: false }, true).tooltip, 'Starting the camera…');
    assert.equal(cameraButton({ on: false }, true).disabled, true);
  });

  test('deafen: red headphones-off when deafened; warns that it mutes the mic', () => {
    const off = deafenButton(mic(), KEYS, false);
    assert.deepEqual([off.pressed, off.icon, off.tooltip], [false, 'headphones', 'Deafen (D)\nAlso mutes your microphone']);
    const on = deafenButton(mic({ deafened: true }), KEYS, false);
    assert.deepEqual([on.pressed, on.tone, on.icon, on.tooltip], [true, 'danger', 'headphones-off', 'Undeafen (D)']);
  });
});

describe('screen share', () => {
  const idle = { active: false, preset: 'high', audio: true };

  test('not sharing: a menu of the four presets with the remembered one checked', () => {
    const view = shareButton(idle, false);
    assert.deepEqual([view.pressed, view.tooltip, view.popup], [false, 'Share your screen', 'menu']);
    const menu = shareMenu(idle, null);
    assert.deepEqual(
      menu.presets.map((p) => [p.label, p.checked]),
      [
        ['Low (720p 30fps)', false],
        ['Medium (1080p 30fps)', false],
        ['High (1080p 60fps)', true],
        ['Ultra (Native 120fps)', false],
      ],
    );
    assert.equal(menu.audio, true);
    assert.equal(shareMenu(idle, false).audio, false, 'a tick in the open menu wins');
  });

  test('sharing: green, "Stop sharing (<label>)", a confirmation', () => {
    const view = shareButton({ ...idle, active: true }, false);
    assert.deepEqual(
      [view.pressed, view.tone, view.tooltip, view.popup, view.description],
      [true, 'success', 'Stop sharing (High (1080p 60fps))', 'dialog', 'Sharing at High (1080p 60fps)'],
    );
  });

  test('busy while the picker is open', () => {
    const view = shareButton(idle, true);
    assert.equal(view.disabled, true);
    assert.equal(view.tooltip, 'Choose what to share…');
  });
});

describe('volume rows', () => {
  test('one per other participant, as percent, with local mute wording', () => {
    const rows = volumeRows([
      { identity: 'me', name: 'Me', isLocal: true, volume: 1, localMuted: false },
      { identity: 'bob', name: 'Bob', isLocal: false, volume: 1.5, localMuted: false },
      { identity: 'dave', name: 'Dave', isLocal: false, volume: 0.333, localMuted: true },
    ]);
    assert.deepEqual(
      rows.map((r) => [r.identity, r.percent, r.sliderLabel, r.muteLabel, r.muteTooltip]),
      [
        ['bob', 150, 'Volume for Bob', 'Mute Bob for me', 'Mute (local)'],
        ['dave', 33, 'Volume for Dave', 'Mute Dave for me', 'Unmute (local)'],
      ],
    );
  });

  test('none when alone', () => {
    assert.deepEqual(volumeRows([{ identity: 'me', name: 'Me', isLocal: true, volume: 1, localMuted: false }]), []);
  });
});

describe('against the real media layer', () => {
  function layer() {
    const sdk = new FakeSdk();
    const settings = createMediaSettings(createStore(memoryBackend()));
    const media = createMediaLayer({
      sdk,
      settings,
      me: 'carol',
      pageUrl: () => 'http://127.0.0.1:8000/',
      createWorker: () => ({ terminate() {} }),
      audio: {
        createContext: () => new FakeAudioContext({ state: 'running' }),
        createElement: () => ({ play: async () => {}, pause() {} }),
        createStream: (tracks) => ({ tracks, getAudioTracks: () => tracks }),
        elementSinkSupported: false,
      },
      mediaDevices: { enumerateDevices: async () => [], addEventListener() {}, removeEventListener() {} },
      capabilities: () => ({ codecs: [{ mimeType: 'video/VP8' }, { mimeType: 'video/VP9' }] }),
      timers: manualTimers(),
      requestFrame: () => 0,
      cancelFrame() {},
      random: () => 0,
      log: { warn() {} },
    });
    return { media, sdk, settings };
  }

  test('hidden until connected; then muted, with bob in the volumes', async () => {
    const { media, sdk, settings } = layer();
    const hotkeys = settings.get('hotkeys');
    assert.equal(controlBarModel(media.getState(), { hotkeys, busy: new Set() }).visible, false);
    await media.connect({ token: 't', e2eeKey: 'a2V5', room: { id: 3, name: 'General' }, wsUrl: '/livekit/' });
    sdk.room.addRemote('bob', 'Bob');
    media.setVolume('bob', 2);
    const snapshot = media.getState();
    const model = controlBarModel(snapshot, { hotkeys, busy: new Set(['camera']) });
    assert.equal(barVisible(snapshot), true);
    assert.equal(model.mic.pressed, true);
    assert.equal(model.mic.tooltip, 'Unmute (M)');
    assert.equal(model.camera.disabled, true);
    assert.equal(model.share.tooltip, 'Share your screen');
    assert.deepEqual(
      volumeRows(snapshot.participants).map((r) => [r.name, r.percent]),
      [['Bob', 200]],
    );
    await media.toggleDeafen();
    const deafened = controlBarModel(media.getState(), { hotkeys, busy: new Set() });
    assert.deepEqual([deafened.deafen.pressed, deafened.mic.pressed], [true, true]);
  });
});
