import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { KEY_PREFIX, createStore, defaultBackend, memoryBackend, safeParse } from '../../../static/js/media/adapters/local-store.js';
import { SETTINGS, createMediaSettings } from '../../../static/js/media/adapters/saved-settings.js';

const fresh = () => {
  const backend = memoryBackend();
  return { backend, settings: createMediaSettings(createStore(backend)) };
};

describe('storage', () => {
  test('keys are versioned', () => {
    const backend = memoryBackend();
    createStore(backend).write('volumes', { bob: 2 });
    assert.deepEqual(backend.dump(), { [`${KEY_PREFIX}volumes`]: '{"bob":2}' });
    assert.match(KEY_PREFIX, /^distokoloshe\.v\d+\.$/);
  });

  test('garbage, or a value the validator rejects, reads as the fallback', () => {
    const backend = memoryBackend();
    const store = createStore(backend);
    backend.setItem(`${KEY_PREFIX}a`, '{not json');
    backend.setItem(`${KEY_PREFIX}b`, '"text"');
    const asNumber = (v) => (typeof v === 'number' ? v : undefined);
    assert.equal(store.read('a', 7, asNumber), 7);
    assert.equal(store.read('b', 7, asNumber), 7);
    assert.equal(store.read('missing', 7, asNumber), 7);
  });

  test('a storage that throws on every call degrades to defaults and reports failed writes', () => {
    const hostile = {
      getItem() {
        throw new Error('SecurityError');
      },
      setItem() {
        throw new Error('QuotaExceededError');
      },
      removeItem() {
        throw new Error('SecurityError');
      },
    };
    const store = createStore(hostile);
    assert.equal(
      store.read('x', 'fallback', (v) => v),
      'fallback',
    );
    assert.equal(store.write('x', 1), false);
    assert.doesNotThrow(() => store.remove('x'));
    assert.equal(store.has('x'), false);
  });

  test('defaultBackend falls back to memory when localStorage is missing or blocked', () => {
    const blocked = {
      get localStorage() {
        throw new Error('SecurityError');
      },
    };
    for (const scope of [
      {},
      blocked,
      {
        localStorage: {
          getItem: () => {
            throw new Error('denied');
          },
        },
      },
    ]) {
      const backend = defaultBackend(scope);
      backend.setItem('k', 'v');
      assert.equal(backend.getItem('k'), 'v');
    }
    const real = memoryBackend();
    assert.equal(defaultBackend({ localStorage: real }), real);
  });

  test('safeParse never throws', () => {
    assert.deepEqual(safeParse(null), { ok: false });
    assert.deepEqual(safeParse('{'), { ok: false });
    assert.deepEqual(safeParse('null'), { ok: true, value: null });
  });
});

describe('media settings', () => {
  test('defaults on a fresh browser', () => {
    const { settings } = fresh();
    const all = settings.all();
    assert.deepEqual(all.volumes, {});
    assert.deepEqual(all.localMutes, []);
    assert.equal(all.deafened, false);
    assert.equal(all.micMode, 'toggle');
    assert.deepEqual(all.hotkeys, { toggleMute: 'KeyM', toggleDeafen: 'KeyD', pushToTalk: 'KeyV', captureSoundbites: 'Ctrl+Shift+KeyS' });
    assert.equal(all.soundPack, 'mystical');
    assert.equal(all.notificationVolume, 1);
    assert.equal(all.shareQuality, 'medium');
    assert.equal(all.shareAudio, true);
    assert.deepEqual(all.devices, { audioinput: null, audiooutput: null, videoinput: null });
    assert.deepEqual(
      [all.inputGain, all.noiseSuppression, all.echoCancellation, all.autoGainControl],
      [1, true, true, true],
    );
    assert.deepEqual(Object.keys(all).sort(), Object.keys(SETTINGS).sort());
  });

  test('what is set survives into a new page (a new settings object over the same storage)', () => {
    const { backend, settings } = fresh();
    settings.set('volumes', { bob: 1.75 });
    settings.set('localMutes', ['mallory']);
    settings.set('deafened', true);
    settings.set('devices', {
      audioinput: { deviceId: 'mic-2', label: 'USB Mic' },
      audiooutput: null,
      videoinput: null,
    });
    const reloaded = createMediaSettings(createStore(backend));
    assert.deepEqual(reloaded.get('volumes'), { bob: 1.75 });
    assert.deepEqual(reloaded.get('localMutes'), ['mallory']);
    assert.equal(reloaded.get('deafened'), true);
    assert.deepEqual(reloaded.get('devices').audioinput, { deviceId: 'mic-2', label: 'USB Mic' });
  });

  test('invalid values are never stored', () => {
    const { settings } = fresh();
    settings.set('soundPack', 'pops');
    assert.equal(settings.set('soundPack', 'dubstep'), 'pops');
    assert.equal(settings.set('micMode', 'always'), 'toggle');
    assert.equal(settings.set('notificationVolume', 5), 1);
    assert.equal(settings.set('inputGain', 3), 2);
  });

  test('update applies a change to the current value', () => {
    const { settings } = fresh();
    settings.update('localMutes', (list) => [...list, 'bob', 'bob']);
    assert.deepEqual(settings.get('localMutes'), ['bob']);
  });

  test('values read are copies: changing one does not change the stored default', () => {
    const { settings } = fresh();
    settings.get('devices').audioinput = { deviceId: 'x', label: '' };
    assert.equal(settings.get('devices').audioinput, null);
  });

  test('a hand-edited devices entry is cleaned per kind', () => {
    const { backend, settings } = fresh();
    backend.setItem(
      `${KEY_PREFIX}devices`,
      JSON.stringify({ audioinput: { deviceId: '' }, audiooutput: { deviceId: 'spk' }, videoinput: 'cam' }),
    );
    assert.deepEqual(settings.get('devices'), {
      audioinput: null,
      audiooutput: { deviceId: 'spk', label: '' },
      videoinput: null,
    });
  });
});

describe('adopting 1.x settings', () => {
  test('volumes, hotkeys, sound pack and share quality come across once', () => {
    const { backend, settings } = fresh();
    backend.setItem('distokoloshe_volumes', JSON.stringify({ bob: 0.5, carol: 1 }));
    backend.setItem('distokoloshe_hotkeys', JSON.stringify({ toggleMute: 'KeyQ' }));
    backend.setItem('distokoloshe_sound_pack', 'tribal');
    backend.setItem('distokoloshe_share_quality', 'high');
    assert.deepEqual(settings.get('volumes'), { bob: 0.5 });
    assert.deepEqual(settings.get('hotkeys'), { toggleMute: 'KeyQ', toggleDeafen: 'KeyD', pushToTalk: 'KeyV', captureSoundbites: 'Ctrl+Shift+KeyS' });
    assert.equal(settings.get('soundPack'), 'retro');
    assert.equal(settings.get('shareQuality'), 'high');
    // Once adopted, our own value wins even if the legacy key changes later.
    backend.setItem('distokoloshe_share_quality', 'low');
    assert.equal(settings.get('shareQuality'), 'high');
  });

  test('our own stored value beats a legacy one', () => {
    const { backend, settings } = fresh();
    settings.set('soundPack', 'whispers');
    backend.setItem('distokoloshe_sound_pack', 'pops');
    assert.equal(settings.get('soundPack'), 'whispers');
  });

  test('unreadable legacy values are ignored', () => {
    const { backend, settings } = fresh();
    backend.setItem('distokoloshe_volumes', '{broken');
    backend.setItem('distokoloshe_sound_pack', 'dubstep');
    assert.deepEqual(settings.get('volumes'), {});
    assert.equal(settings.get('soundPack'), 'mystical');
  });
});
