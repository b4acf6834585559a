import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DisconnectReason } from '../../../static/js/media/rules/sfu-connection.js';
import { createMediaLayer } from '../../../static/js/media/media-layer.js';
import { PEER_STATE_TOPIC, decodePeerState, encodePeerState } from '../../../static/js/media/rules/peer-state.js';
import { createMediaSettings } from '../../../static/js/media/adapters/saved-settings.js';
import { createStore, memoryBackend } from '../../../static/js/media/adapters/local-store.js';
import { FakeAudioContext } from './fake-audio.js';
import { FakeSdk, flush, manualTimers } from './fake-livekit.js';

const JOIN = { token: 'tok', e2eeKey: 'a2V5', room: { id: 3, name: 'General' }, wsUrl: '/livekit/' };
const DEVICES = [
  { deviceId: 'mic-1', label: 'Built-in Mic', kind: 'audioinput', groupId: 'a' },
  { deviceId: 'mic-2', label: 'USB Mic', kind: 'audioinput', groupId: 'b' },
  { deviceId: 'spk-1', label: 'Speakers', kind: 'audiooutput', groupId: 'a' },
  { deviceId: 'cam-1', label: 'Webcam', kind: 'videoinput', groupId: 'c' },
];

function setup({ backend = memoryBackend(), contextState = 'running', sdkOptions, capabilities } = {}) {
  const sdk = new FakeSdk(sdkOptions);
  const contexts = [];
  const timers = manualTimers();
  const elements = [];
  const layer = createMediaLayer({
    sdk,
    settings: createMediaSettings(createStore(backend)),
    me: 'carol',
    pageUrl: () => 'http://127.0.0.1:8000/',
    createWorker: () => ({ terminate() {} }),
    audio: {
      createContext: () => {
        const ctx = new FakeAudioContext({ state: contextState });
        contexts.push(ctx);
        return ctx;
      },
      createElement: () => {
        const el = { muted: false, srcObject: null, played: 0, play: async () => void el.played++, pause() {} };
        elements.push(el);
        return el;
      },
      createStream: (tracks) => ({ tracks, getAudioTracks: () => tracks }),
      elementSinkSupported: false,
    },
    mediaDevices: {
      enumerateDevices: async () => DEVICES,
      addEventListener() {},
      removeEventListener() {},
    },
    capabilities: () =>
      capabilities ?? { codecs: [{ mimeType: 'video/VP8' }, { mimeType: 'video/VP9' }, { mimeType: 'video/AV1' }] },
    timers,
    requestFrame: () => 0,
    cancelFrame() {},
    random: () => 0,
    log: { warn() {} },
  });
  const ctx = contexts[0];
  return { sdk, layer, ctx, timers, backend, elements, room: () => sdk.room };
}

/** Gain of a participant's bus (the node the layer set a target on) in the fake graph. */
function participantGain(ctx, track) {
  const source = ctx.ofKind('stream-source').find((n) => n.mediaStream.tracks[0] === track.mediaStreamTrack);
  const sourceGain = [...source.outputs][0];
  const bus = [...sourceGain.outputs][0];
  return { source: sourceGain.gain.value, participant: bus.gain.value };
}

const oscillatorCount = (ctx) => ctx.ofKind('oscillator').length;

describe('joining', () => {
  test('publishes the microphone muted: everyone joins muted', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    const lp = room().localParticipant;
    const mic = lp.getTrackPublication('microphone');
    assert.ok(mic, 'a mic track is published');
    assert.equal(mic.track.isMuted, true);
    assert.equal(
      room().calls.some((c) => c[0] === 'setMicrophoneEnabled' && c[1] === true),
      false,
      'never enabled, not even briefly',
    );
    const state = layer.getState();
    assert.deepEqual([state.connection.state, state.mic.showsMuted, state.mic.live], ['connected', true, false]);
  });

  test('plays the connect sound once connected', async () => {
    const { layer, ctx } = setup();
    await layer.connect(JOIN);
    assert.equal(oscillatorCount(ctx), 2, 'Mystical Chimes connect has two notes');
  });

  test('a denied microphone is explained, and the connection stays up', async () => {
    const { layer, sdk } = setup();
    sdk.micError = Object.assign(new Error('denied'), { name: 'NotAllowedError' });
    await layer.connect(JOIN);
    await flush();
    const state = layer.getState();
    assert.equal(state.connection.state, 'connected');
    assert.match(state.mic.problem, /blocked/);
    assert.equal(state.notice.kind, 'mic');
    assert.equal(state.mic.showsMuted, true);
  });

  test('remembered devices and processing choices are applied to every new Room', async () => {
    const backend = memoryBackend();
    const first = setup({ backend });
    await first.layer.chooseDevice('audioinput', 'mic-2');
    await first.layer.setProcessing({ noiseSuppression: false });
    const second = setup({ backend });
    await second.layer.connect(JOIN);
    const options = second.room().options;
    assert.deepEqual(options.audioCaptureDefaults, {
      deviceId: 'mic-2',
      noiseSuppression: false,
      echoCancellation: true,
      autoGainControl: true,
    });
    assert.deepEqual(options.publishDefaults, { dtx: true, red: true });
    assert.equal(options.adaptiveStream, true);
    assert.equal(options.dynacast, true);
  });

  test('a remembered speaker is routed on join (the whole graph, sounds included)', async () => {
    const backend = memoryBackend();
    const first = setup({ backend });
    await first.layer.refreshDevices();
    await first.layer.chooseDevice('audiooutput', 'spk-1');
    assert.equal(first.ctx.sinkId, 'spk-1');
    const second = setup({ backend });
    await second.layer.connect(JOIN);
    assert.equal(second.ctx.sinkId, 'spk-1');
    assert.equal(second.layer.getState().devices.active.audiooutput, 'spk-1');
  });
});

describe('mute, deafen and push-to-talk', () => {
  test('unmuting enables the mic and plays the unmute sound after it succeeded', async () => {
    const { layer, room, ctx } = setup();
    await layer.connect(JOIN);
    const before = oscillatorCount(ctx);
    assert.equal(await layer.toggleMute(), true);
    assert.equal(room().localParticipant.getTrackPublication('microphone').isMuted, false);
    assert.equal(layer.getState().mic.live, true);
    assert.ok(oscillatorCount(ctx) > before);
  });

  test('a failing unmute plays no sound and shows the mic as muted with the reason', async () => {
    const { layer, room, ctx } = setup();
    await layer.connect(JOIN);
    const lp = room().localParticipant;
    lp.trackPublications.clear();
    lp.micError = Object.assign(new Error('gone'), { name: 'NotFoundError' });
    const before = oscillatorCount(ctx);
    assert.equal(await layer.toggleMute(), false);
    assert.equal(oscillatorCount(ctx), before);
    const state = layer.getState();
    assert.equal(state.mic.showsMuted, true);
    assert.match(state.mic.problem, /No microphone/);
  });

  test('deafen mutes the mic, silences everyone, tells the others, and is remembered', async () => {
    const { layer, room, ctx, backend } = setup();
    await layer.connect(JOIN);
    room().addRemote('bob', 'Bob');
    const { track } = room().subscribe('bob');
    await layer.toggleMute();
    await layer.toggleDeafen();
    await flush();
    assert.equal(room().localParticipant.getTrackPublication('microphone').isMuted, true);
    assert.equal(participantGain(ctx, track).participant, 0);
    const sent = room().localParticipant.data.map(([payload, options]) => [decodePeerState(payload), options.topic]);
    assert.deepEqual(sent[sent.length - 1], [{ deafened: true }, PEER_STATE_TOPIC]);
    assert.equal(setup({ backend }).layer.getState().mic.deafened, true, 'remembered');
    await layer.toggleDeafen();
    assert.equal(
      room().localParticipant.getTrackPublication('microphone').isMuted,
      false,
      'the mic comes back as it was',
    );
    assert.equal(participantGain(ctx, track).participant, 1);
  });

  test('while deafened, notification sounds stay silent', async () => {
    const { layer, ctx } = setup();
    await layer.connect(JOIN);
    await layer.toggleDeafen();
    const before = oscillatorCount(ctx);
    layer.playSound('join');
    assert.equal(oscillatorCount(ctx), before);
  });

  test('push-to-talk opens the mic only while held', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    await layer.setMicMode('ptt');
    const mic = () => room().localParticipant.getTrackPublication('microphone');
    assert.equal(mic().isMuted, true);
    await layer.pushToTalk(true);
    assert.equal(mic().isMuted, false);
    await layer.pushToTalk(false);
    assert.equal(mic().isMuted, true);
  });

  test('rapid toggles converge on the last choice', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    await Promise.all([layer.toggleMute(), layer.toggleMute(), layer.toggleMute()]);
    assert.equal(room().localParticipant.getTrackPublication('microphone').isMuted, false);
    assert.equal(layer.getState().mic.live, true);
  });

  test("others' deafen state arrives and leaves with them", async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    const bob = room().addRemote('bob', 'Bob');
    room().emit('dataReceived', encodePeerState({ deafened: true }), bob, 0, PEER_STATE_TOPIC);
    room().emit('dataReceived', encodePeerState({ deafened: true }), bob, 0, 'some-other-topic');
    await flush();
    assert.equal(layer.getState().participants.find((p) => p.identity === 'bob').deafened, true);
  });

  test('a newcomer is told my deafen state directly', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    await layer.toggleDeafen();
    room().addRemote('dave');
    await flush();
    const [payload, options] = room().localParticipant.data.at(-1);
    assert.deepEqual(options.destinationIdentities, ['dave']);
    assert.deepEqual(decodePeerState(payload), { deafened: true });
  });
});

describe('playback', () => {
  test('per-user volume up to 200 % is a Web Audio gain, remembered per identity', async () => {
    const backend = memoryBackend();
    const { layer, room, ctx } = setup({ backend });
    await layer.connect(JOIN);
    room().addRemote('bob');
    const { track } = room().subscribe('bob');
    layer.setVolume('bob', 1.8);
    assert.equal(participantGain(ctx, track).participant, 1.8);
    assert.deepEqual(setup({ backend }).layer.settings.get('volumes'), { bob: 1.8 });
  });

  test('a remembered volume applies to a track that arrives later', async () => {
    const { layer, room, ctx } = setup();
    layer.setVolume('bob', 0.4);
    await layer.connect(JOIN);
    room().addRemote('bob');
    const { track } = room().subscribe('bob');
    assert.equal(participantGain(ctx, track).participant, 0.4);
  });

  test('each remote track plays through a muted element (the graph makes the sound)', async () => {
    const { layer, room, elements } = setup();
    await layer.connect(JOIN);
    room().addRemote('bob');
    room().subscribe('bob');
    const element = elements.at(-1);
    assert.equal(element.muted, true);
    assert.equal(element.played, 1);
  });

  test('local mute works for anyone, even someone not in the call, and is remembered', async () => {
    const backend = memoryBackend();
    const { layer } = setup({ backend });
    layer.toggleLocalMute('mallory');
    assert.deepEqual(setup({ backend }).layer.settings.get('localMutes'), ['mallory']);
    layer.toggleLocalMute('mallory');
    assert.deepEqual(layer.settings.get('localMutes'), []);
  });

  test('a muted stream audio stays muted through local mutes, deafen and whispers changes', async () => {
    const { layer, room, ctx } = setup();
    await layer.connect(JOIN);
    room().addRemote('bob');
    const mic = room().subscribe('bob').track;
    const stream = room().subscribe('bob', { source: 'screen_share_audio' }).track;
    layer.setStreamAudioMuted('bob', true);
    layer.toggleLocalMute('bob');
    layer.toggleLocalMute('bob');
    await layer.toggleDeafen();
    await layer.toggleDeafen();
    layer.setWhispers({ active: false, chain: [] });
    assert.equal(participantGain(ctx, stream).source, 0, 'stream audio still muted');
    assert.equal(participantGain(ctx, mic).source, 1, 'the voice is not');
    assert.equal(participantGain(ctx, mic).participant, 1);
  });

  test('speaking glow: shown for speakers I can hear, suppressed for someone I muted', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    const bob = room().addRemote('bob');
    const dave = room().addRemote('dave');
    layer.toggleLocalMute('dave');
    room().emit('activeSpeakersChanged', [bob, dave]);
    await flush();
    assert.deepEqual(layer.getState().speaking, ['bob']);
  });

  test('autoplay blocked: "enable audio" resumes the graph and asks LiveKit to start audio', async () => {
    const { layer, room, ctx } = setup({ contextState: 'suspended' });
    await layer.connect(JOIN);
    assert.equal(layer.getState().audio.blocked, true);
    await layer.enableAudio();
    assert.equal(ctx.state, 'running');
    assert.ok(room().calls.some((c) => c[0] === 'startAudio'));
    assert.equal(layer.getState().audio.blocked, false);
  });

  test('no sound is queued in a suspended context to play late', async () => {
    const { layer, ctx } = setup({ contextState: 'suspended' });
    layer.playSound('join');
    assert.equal(oscillatorCount(ctx), 0);
  });
});

describe('whispers', () => {
  const chain = [
    { username: 'alice', position: 0, displayName: 'Alice' },
    { username: 'bob', position: 1, displayName: 'Bob' },
    { username: 'carol', position: 2, displayName: 'Carol' },
    { username: 'dave', position: 3, displayName: 'Dave' },
  ];

  test('only my successor may subscribe to my audio, I play only my source, other tiles dim', async () => {
    const { layer, room, ctx } = setup();
    await layer.connect(JOIN);
    for (const who of ['alice', 'bob', 'dave']) room().addRemote(who);
    const alice = room().subscribe('alice');
    const bob = room().subscribe('bob');
    layer.setWhispers({ active: true, chain });
    const [all, perms] = room().localParticipant.permissionCalls.at(-1);
    assert.equal(all, false);
    assert.deepEqual(
      perms.find((p) => p.participantIdentity === 'dave'),
      { participantIdentity: 'dave', allowAll: true },
    );
    assert.deepEqual(perms.find((p) => p.participantIdentity === 'alice').allowedTrackSids, []);
    assert.equal(participantGain(ctx, alice.track).participant, 0);
    assert.equal(participantGain(ctx, bob.track).participant, 1);
    assert.deepEqual(alice.pub.subscribeCalls, [false], 'not even received');
    const byId = Object.fromEntries(layer.getState().participants.map((p) => [p.identity, p]));
    assert.deepEqual(
      [byId.alice.dimmed, byId.bob.dimmed, byId.dave.dimmed, byId.carol.dimmed],
      [true, false, true, false],
    );
  });

  test('a newcomer is covered by the permissions as soon as they arrive', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    layer.setWhispers({ active: true, chain });
    room().addRemote('mallory');
    const [, perms] = room().localParticipant.permissionCalls.at(-1);
    assert.deepEqual(
      perms.find((p) => p.participantIdentity === 'mallory'),
      { participantIdentity: 'mallory', allowAll: false, allowedTrackSids: [] },
    );
  });

  test('permissions for a chain known before the connection are sent once connected', async () => {
    const { layer, sdk } = setup();
    let answer = () => {};
    sdk.nextConnect.push(new Promise((resolve) => (answer = resolve)));
    layer.setWhispers({ active: true, chain });
    const connecting = layer.connect(JOIN);
    await flush();
    // The SDK cannot send them before its signal connection exists (it would only log an error).
    assert.deepEqual(sdk.room.localParticipant.permissionCalls, []);
    answer();
    await connecting;
    await flush();
    const calls = sdk.room.localParticipant.permissionCalls;
    assert.ok(calls.length >= 1);
    assert.equal(calls.at(-1)[0], false);
  });

  test('ending whispers lets everyone subscribe again and resubscribes what I declined', async () => {
    const { layer, room, ctx } = setup();
    await layer.connect(JOIN);
    room().addRemote('alice');
    const alice = room().subscribe('alice');
    layer.setWhispers({ active: true, chain });
    layer.setWhispers({ active: false, chain: [] });
    assert.deepEqual(room().localParticipant.permissionCalls.at(-1), [true, []]);
    assert.deepEqual(alice.pub.subscribeCalls, [false, true]);
    assert.equal(participantGain(ctx, alice.track).participant, 1);
  });
});

describe('screen share', () => {
  test('uses the preset and the codec policy (E2EE on → VP9), and remembers the preset', async () => {
    const backend = memoryBackend();
    const { layer, room } = setup({ backend });
    await layer.connect(JOIN);
    room().isE2EEEnabled = true;
    assert.equal(await layer.startScreenShare({ preset: 'high', audio: false }), true);
    const [enabled, capture, publish] = room().localParticipant.screenShareCalls.at(-1);
    assert.equal(enabled, true);
    assert.deepEqual(capture.resolution, { width: 1920, height: 1080, frameRate: 60 });
    assert.equal(capture.audio, false);
    assert.equal(publish.videoCodec, 'vp9');
    assert.equal(layer.getState().screenShare.active, true);
    assert.equal(setup({ backend }).layer.settings.get('shareQuality'), 'high');
  });

  test('without E2EE a browser that can encode AV1 shares in AV1', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    room().isE2EEEnabled = false;
    await layer.startScreenShare({ preset: 'ultra', audio: true });
    const [, , publish] = room().localParticipant.screenShareCalls.at(-1);
    assert.equal(publish.videoCodec, 'av1');
    assert.equal(layer.getState().screenShare.codec.videoCodec, 'av1');
  });

  test('closing the picker is silent; a real failure is reported', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    room().localParticipant.screenShareError = Object.assign(new Error('x'), { name: 'NotAllowedError' });
    assert.equal(await layer.startScreenShare(), false);
    assert.equal(layer.getState().notice, null);
    room().localParticipant.screenShareError = Object.assign(new Error('x'), { name: 'NotReadableError' });
    await layer.startScreenShare();
    assert.equal(layer.getState().notice.kind, 'share');
  });

  test("the browser's own stop button ends the share state", async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    await layer.startScreenShare();
    await room().localParticipant.setScreenShareEnabled(false);
    await flush();
    assert.equal(layer.getState().screenShare.active, false);
  });
});

describe('encryption status', () => {
  test('a room with an unencrypted participant is "mixed" and names them', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    room().addRemote('old', 'Old Client');
    room().subscribe('old', { encrypted: false });
    room().addRemote('bob', 'Bob');
    room().subscribe('bob', { encrypted: true });
    const { e2ee } = layer.getState();
    assert.equal(e2ee.setup, 'on');
    assert.equal(e2ee.room.status, 'mixed');
    assert.deepEqual(e2ee.room.unencrypted, ['Old Client']);
  });

  test('a decryption error names the participant', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    const bob = room().addRemote('bob', 'Bob');
    room().emit('encryptionError', new Error('decrypt'), bob);
    await flush();
    assert.match(layer.getState().notice.text, /Bob/);
  });
});

describe('connection quality', () => {
  test("sampled every 2 s from the tracks' stats reports", async () => {
    const { layer, room, timers } = setup();
    await layer.connect(JOIN);
    room().addRemote('bob');
    room().subscribe('bob', {
      stats: [
        { id: 'T', type: 'transport', selectedCandidatePairId: 'CP' },
        { id: 'CP', type: 'candidate-pair', state: 'succeeded', currentRoundTripTime: 0.03 },
        { id: 'IN', type: 'inbound-rtp', kind: 'audio', jitter: 0.002, packetsLost: 0, packetsReceived: 50 },
      ],
    });
    await timers.advance(2000);
    const { quality } = layer.getState();
    assert.deepEqual(quality.measurements, { rtt: 30, jitter: 2, loss: null });
    assert.equal(quality.tier.label, 'Good');
  });

  test('a dropped call rejoins and resets the measurements', async () => {
    const { layer, room, timers } = setup();
    await layer.connect(JOIN);
    room().drop(DisconnectReason.SIGNAL_CLOSE);
    assert.equal(layer.getState().quality.tier.name, 'unknown');
    await timers.advance(1000);
    assert.equal(layer.getState().connection.state, 'connected');
  });
});

describe('settings', () => {
  test('input gain other than 100 % puts a gain processor on the mic track', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    await layer.setInputGain(1.5);
    const track = room().localParticipant.getTrackPublication('microphone').track;
    assert.equal(track.processor.name, 'distokoloshe-mic');
    assert.equal(track.processor.gain, 1.5);
    await layer.setInputGain(1);
    assert.equal(track.processor, undefined);
  });

  test('turning noise suppression off restarts the mic with the new constraints', async () => {
    const { layer, room } = setup();
    await layer.connect(JOIN);
    await layer.setProcessing({ noiseSuppression: false });
    const track = room().localParticipant.getTrackPublication('microphone').track;
    assert.equal(track.restarts.at(-1).noiseSuppression, false);
  });

  test('a hotkey already in use is refused, naming the other action', () => {
    const { layer } = setup();
    assert.deepEqual(layer.setHotkey('toggleMute', 'KeyD'), { ok: false, conflict: 'toggleDeafen' });
    assert.equal(layer.setHotkey('toggleMute', 'KeyK').ok, true);
    assert.equal(layer.settings.get('hotkeys').toggleMute, 'KeyK');
  });

  test('hotkeys are active only while connected and not rebinding', async () => {
    const { layer } = setup();
    assert.equal(layer.hotkeysActive(), false);
    await layer.connect(JOIN);
    assert.equal(layer.hotkeysActive(), true);
    layer.setRebinding(true);
    assert.equal(layer.hotkeysActive(), false);
  });

  test('subscribers hear about changes once per burst', async () => {
    const { layer } = setup();
    let calls = 0;
    layer.subscribe(() => calls++);
    layer.setVolume('bob', 1.2);
    layer.setVolume('bob', 1.3);
    layer.toggleLocalMute('bob');
    await flush(1);
    assert.equal(calls, 1);
  });
});

describe('microphone meter', () => {
  test('meters a clone of the muted microphone, so the level shows before unmuting', async () => {
    const { layer, room, ctx } = setup();
    await layer.connect(JOIN);
    const live = room().localParticipant.getTrackPublication('microphone').track.mediaStreamTrack;
    assert.equal(live.enabled, false, 'joined muted');
    const stop = layer.startMicMeter(() => {});
    const [clone] = live.clones;
    const metered = ctx.ofKind('stream-source').map((n) => n.mediaStream.tracks[0]);
    assert.ok(metered.includes(clone), 'the meter reads the clone');
    assert.equal(clone.enabled, true);
    assert.equal(live.enabled, false, 'the call stays muted');
    stop();
    assert.equal(clone.readyState, 'ended');
    assert.equal(live.readyState, 'live');
  });
});
