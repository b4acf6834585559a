import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createMediaLayer } from '../../../static/js/media/media-layer.js';
import { createMediaSettings } from '../../../static/js/media/adapters/saved-settings.js';
import { createStore, memoryBackend } from '../../../static/js/media/adapters/local-store.js';
import { FakeAudioContext } from './fake-audio.js';
import { FakeSdk, manualTimers } from './fake-livekit.js';

const JOIN = { token: 'tok', e2eeKey: 'a2V5', room: { id: 3, name: 'General' }, wsUrl: '/livekit/' };
const BUFFER = /** @type {any} */ ({ duration: 1.5 });

function setup(backend = memoryBackend()) {
  const sdk = new FakeSdk();
  const contexts = [];
  const layer = createMediaLayer({
    sdk,
    settings: createMediaSettings(createStore(backend)),
    me: 'alice',
    pageUrl: () => 'https://example.test/',
    createWorker: () => /** @type {any} */ ({ terminate() {} }),
    audio: {
      createContext: () => {
        const ctx = new FakeAudioContext();
        contexts.push(ctx);
        return /** @type {any} */ (ctx);
      },
      createElement: () => /** @type {any} */ ({ muted: false, srcObject: null, play: async () => {}, pause() {} }),
      createStream: (tracks) => /** @type {any} */ ({ tracks, getAudioTracks: () => tracks }),
      elementSinkSupported: false,
    },
    mediaDevices: undefined,
    capabilities: () => null,
    timers: manualTimers(),
    requestFrame: () => 0,
    cancelFrame: () => {},
  });
  return { layer, sdk, ctx: contexts[0], room: () => sdk.rooms[sdk.rooms.length - 1] };
}

/** The gain a remote track of `identity` passes through first. */
function sourceGain(ctx, track) {
  const node = ctx.ofKind('stream-source').find((n) => n.mediaStream.tracks[0] === track.mediaStreamTrack);
  return [...node.outputs][0].gain.value;
}

const published = (room) =>
  [...room.localParticipant.trackPublications.values()].filter((pub) => pub.trackName === 'soundboard');

describe('the soundboard track', () => {
  test('a play publishes one `soundboard` track as ScreenShareAudio, reused by later plays', async () => {
    const { layer, room, ctx } = setup();
    await layer.connect(JOIN);

    await layer.soundboard.play(BUFFER, 'Tada', 0.5);
    const second = await layer.soundboard.play(BUFFER, 'Horn', 0.5);

    const pubs = published(room());
    assert.equal(pubs.length, 1);
    assert.equal(pubs[0].source, 'screen_share_audio');
    assert.equal(pubs[0].publishOptions.dtx, false);
    const [gain] = ctx.ofKind('gain').filter((g) => [...g.outputs].some((n) => n.kind === 'stream-destination'));
    assert.equal(gain.gain.value, 0.5);
    assert.equal(layer.soundboard.playing(), 'Horn');
    assert.ok(second.ended instanceof Promise);
  });

  test('one clip at a time: a new play stops the one before', async () => {
    const { layer, ctx } = setup();
    await layer.connect(JOIN);
    let firstEnded = false;
    const first = await layer.soundboard.play(BUFFER, 'Tada', 1);
    void first.ended.then(() => (firstEnded = true));

    await layer.soundboard.play(BUFFER, 'Horn', 1);
    await first.ended;

    assert.ok(firstEnded);
    assert.equal(ctx.ofKind('buffer-source').filter((n) => !n.disconnected).length, 1);
    assert.equal(layer.soundboard.playing(), 'Horn');
  });

  test('what I play reaches my own speakers too (the self-monitor)', async () => {
    const { layer, ctx } = setup();
    await layer.connect(JOIN);
    await layer.soundboard.play(BUFFER, 'Tada', 1);

    const [source] = ctx.ofKind('buffer-source');
    assert.ok(ctx.reaches(source, ctx.destination));
  });

  test('a new room gets a new track', async () => {
    const { layer, sdk } = setup();
    await layer.connect(JOIN);
    await layer.soundboard.play(BUFFER, 'Tada', 1);
    await layer.connect({ ...JOIN, room: { id: 4, name: 'Other' } });
    await layer.soundboard.play(BUFFER, 'Tada', 1);

    assert.equal(published(sdk.rooms[sdk.rooms.length - 1]).length, 1);
    assert.notEqual(sdk.rooms[0], sdk.rooms[sdk.rooms.length - 1]);
  });

  test('playing outside a call is refused', async () => {
    const { layer } = setup();
    await assert.rejects(layer.soundboard.play(BUFFER, 'Tada', 1), /Join a room/);
  });
});

describe('hearing others’ clips', () => {
  test('a soundboard track and a screen share’s sound play side by side, each with its own gain', async () => {
    const { layer, room, ctx } = setup();
    await layer.connect(JOIN);
    room().addRemote('bob');
    const share = room().subscribe('bob', { source: 'screen_share_audio' }).track;
    const board = room().subscribe('bob', { source: 'screen_share_audio', name: 'soundboard' }).track;

    layer.setSoundboardHearing(0.25);

    assert.equal(sourceGain(ctx, board), 0.25);
    assert.equal(sourceGain(ctx, share), 1);
    layer.setStreamAudioMuted('bob', true);
    assert.equal(sourceGain(ctx, board), 0, 'muting bob’s stream audio mutes his clips too (2.x)');
  });

  test('the volumes are remembered, 2.x’s key adopted', () => {
    const backend = memoryBackend();
    backend.setItem('distokoloshe_soundboard_volume', '0.35');
    const first = setup(backend);
    first.layer.setSoundboardHearing(0.4);

    const again = setup(backend).layer.settings;
    assert.equal(again.get('soundboardHearing'), 0.4);
    assert.equal(again.get('soundboardVolume'), 0.35);
  });
});
