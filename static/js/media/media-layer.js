// The media layer's public API: one object the page connects to join responses and calls from
// its controls, with a snapshot (`getState`) and a change signal (`subscribe`).
//
// It composes the single-concern modules of this directory; it owns no DOM. Everything the
// browser provides (livekit-client, AudioContext, media devices, timers) is injected, so the
// whole layer runs against a fake Room in node. browser.js builds it for a real page.

import { createAudioGraph } from './adapters/audio-graph.js';
import { initialControls, micLive, reduceControls, soundForTransition } from './rules/mic-controls.js';
import { createDeviceManager } from './adapters/media-devices.js';
import { decryptionErrorText } from './rules/encryption.js';
import { rebind } from './rules/hotkeys.js';
import { applyMicChain, micProblemText, micTrack, publishMutedMic, setMicLive, startMicMeter } from './adapters/microphone.js';
import { createNoiseSuppressor } from './adapters/noise-suppressor.js';
import { micChain } from './rules/noise.js';
import { createPeerStates } from './adapters/peer-channel.js';
import { createPlayback } from './adapters/audio-playback.js';
import { UNKNOWN_TIER } from './rules/quality.js';
import { createQualityMonitor } from './adapters/quality-sampler.js';
import { startScreenShare, stopScreenShare } from './adapters/screen-share.js';
import { createConnection } from './adapters/sfu-session.js';
import { playSound, playSpeakerTest } from './adapters/sound-player.js';
import { withVolume } from './rules/volume.js';
import { createWhisperGuard } from './adapters/whisper-permissions.js';
import { createSoundboardTrack } from './adapters/soundboard-track.js';
import { createSoundbites } from './adapters/soundbite-recorder.js';
import { ROOM_CHANGE_EVENTS, buildRoomOptions, createNotices, createNotifier } from './layer-support.js';
import { buildSnapshot } from './models/media-snapshot.js';

/**
 * @typedef {object} MediaLayerDeps
 * @property {any} sdk                                  livekit-client (or a stand-in)
 * @property {import('./adapters/saved-settings.js').MediaSettingsStore} settings
 * @property {string} me                                my username (= LiveKit identity)
 * @property {() => string} pageUrl
 * @property {() => Worker} createWorker
 * @property {(roomId: number) => Promise<import('./adapters/sfu-session.js').JoinResponse>} [refreshJoin]
 * @property {import('./adapters/audio-graph.js').AudioGraphDeps} audio
 * @property {MediaDevices | undefined} mediaDevices
 * @property {() => ({ codecs?: Array<{ mimeType?: string }> } | null)} capabilities
 * @property {{ set: (fn: () => void, ms: number) => unknown, clear: (handle: any) => void }} timers
 * @property {(fn: () => void) => unknown} requestFrame
 * @property {(handle: any) => void} cancelFrame
 * @property {() => Promise<boolean>} [micAllowed]     may the mic be captured without asking? (absent: yes)
 * @property {() => number} [random]
 * @property {Pick<Console, 'warn'>} [log]
 * @property {string | null} [soundbiteWorkletUrl]      null/absent where AudioWorklet is missing
 * @property {import('./adapters/noise-suppressor.js').NoiseSuppressorUrls | null} [noiseUrls]  likewise
 * @property {(sampleRate: number) => AudioContext} [createNoiseContext]
 * @property {() => AudioContext} [createRecorderContext]  the soundbite recorders' own context
 */

/** @param {MediaLayerDeps} deps */
export function createMediaLayer(deps) {
  const { sdk, settings, me } = deps;
  const { RoomEvent } = sdk;
  const changed = createNotifier();
  const notices = createNotices(changed.notify);
  const graph = createAudioGraph(deps.audio);
  graph.onChange(changed.notify);

  let controls = initialControls({ mode: settings.get('micMode'), deafened: settings.get('deafened') });
  /** @type {import('./rules/whispers.js').WhisperState} */
  let whispers = { active: false, chain: [] };
  let volumes = settings.get('volumes');
  let soundboardHearing = settings.get('soundboardHearing');
  const localMutes = new Set(settings.get('localMutes'));
  /** @type {Set<string>} */
  const streamMutes = new Set();
  /** @type {Set<string>} */
  let speakers = new Set();
  /** @type {import('./adapters/microphone.js').MicProblem | null} */
  let micProblem = null;
  let shareCodec = /** @type {import('./rules/codecs.js').CodecChoice | null} */ (null);
  /** @type {{ measurements: import('./rules/quality.js').Measurements, tier: import('./rules/quality.js').Tier }} */
  let quality = { measurements: { rtt: null, jitter: null, loss: null }, tier: UNKNOWN_TIER };
  let rebinding = false;
  /** @type {any} */
  let room = null;
  /** @type {Array<() => void>} */
  let unbind = [];

  /** @returns {import('./adapters/audio-playback.js').PlaybackPolicy} */
  const policy = () => ({ me, volumes, localMutes, streamMutes, deafened: controls.deafened, whispers, soundboardHearing });
  const playback = createPlayback({ graph, RoomEvent, policy });
  const soundboard = createSoundboardTrack({ sdk, graph, onChange: changed.notify });
  const guard = createWhisperGuard({ RoomEvent, state: () => ({ me, whispers }) });
  const peers = createPeerStates({
    RoomEvent,
    mine: () => ({ deafened: controls.deafened }),
    onChange: changed.notify,
  });
  const noise = createNoiseSuppressor(deps.noiseUrls ?? null);
  /** The microphone's processing as the settings ask: applied on every publish and change. */
  const applyMic = () =>
    applyMicChain(
      micTrack(room),
      micChain({
        gain: settings.get('inputGain'),
        noiseCancellation: settings.get('noiseCancellation'),
        noiseEngine: settings.get('noiseEngine'),
        supported: noise.supported,
      }),
      { createStream: deps.audio.createStream, noise, createContext: deps.createNoiseContext },
    );
  const soundbites = createSoundbites({
    RoomEvent,
    me,
    createContext: () => (deps.createRecorderContext ?? deps.audio.createContext)(),
    workletUrl: deps.soundbiteWorkletUrl ?? null,
    createStream: deps.audio.createStream,
    onChange: changed.notify,
  });
  const monitor = createQualityMonitor({ timers: deps.timers, onSample: (q) => ((quality = q), changed.notify()) });
  const devices = createDeviceManager({
    mediaDevices: deps.mediaDevices,
    settings,
    setOutputDevice: graph.setOutputDevice,
    onChange: changed.notify,
  });
  const connection = createConnection({
    sdk,
    pageUrl: deps.pageUrl,
    createWorker: deps.createWorker,
    refreshJoin: deps.refreshJoin,
    timers: deps.timers,
    random: deps.random,
    log: deps.log,
    roomOptions: async () => buildRoomOptions(settings, await devices.prepareJoin()),
    onRoom: (next) => bindRoom(next),
    onConnected: (next) => afterConnect(next),
    onRoomGone: (gone) => unbindRoom(gone),
    onState: changed.notify,
  });

  /** @param {any} next */
  function bindRoom(next) {
    room = next;
    speakers = new Set();
    // Everyone joins muted; the mic mode and a remembered deafen carry over.
    controls = initialControls({ mode: controls.mode, deafened: controls.deafened });
    const watch = () => changed.notify();
    /** @type {Array<[string, (...args: any[]) => void]>} */
    const handlers = [
      [
        RoomEvent.ActiveSpeakersChanged,
        (list) => ((speakers = new Set(list.map((/** @type {any} */ p) => p.identity))), watch()),
      ],
      [RoomEvent.EncryptionError, (_e, who) => notices.show('e2ee', decryptionErrorText(who?.name || who?.identity))],
      [
        RoomEvent.MediaDevicesError,
        (_e, kind) => kind === 'audioinput' && notices.show('mic', micProblemText('failed')),
      ],
    ];
    const watched = ROOM_CHANGE_EVENTS.map((name) => /** @type {[string, () => void]} */ ([RoomEvent[name], watch]));
    for (const [name, fn] of [...handlers, ...watched]) next.on(name, fn);
    unbind = [
      playback.bind(next),
      soundboard.bind(next),
      guard.bind(next),
      peers.bind(next),
      monitor.bind(next),
      soundbites.bind(next),
      () => {
        for (const [name, fn] of [...handlers, ...watched]) next.off(name, fn);
      },
    ];
  }

  /** @param {any} gone */
  function unbindRoom(gone) {
    if (room !== gone) return;
    for (const fn of unbind) fn();
    unbind = [];
    room = null;
    speakers = new Set();
    shareCodec = null;
    controls = reduceControls(controls, { type: 'pttUp' });
    quality = { measurements: { rtt: null, jitter: null, loss: null }, tier: UNKNOWN_TIER };
    changed.notify();
  }

  /** @param {any} next */
  async function afterConnect(next) {
    // Nobody is asked for the microphone on joining: it is captured muted now only where it is
    // already allowed (so the first unmute is instant), else on the first unmute.
    const early = deps.micAllowed ? await deps.micAllowed() : true;
    const published = early ? await publishMutedMic(next) : { ok: /** @type {const} */ (true) };
    if (!published.ok) {
      micProblem = published.problem;
      controls = reduceControls(controls, { type: 'micFailed' });
      notices.show('mic', micProblemText(published.problem));
    } else {
      micProblem = null;
      await applyMic();
      await syncMic();
    }
    guard.apply();
    void peers.send();
    playEvent('connect');
    changed.notify();
  }

  let micQueue = Promise.resolve(true);
  /** Brings the published mic in line with the controls; serialised so rapid toggles converge. */
  function syncMic() {
    const run = async () => {
      if (!room || room.state !== 'connected') return true;
      const want = micLive(controls);
      const publication = room.localParticipant.getTrackPublication('microphone');
      if (Boolean(publication && !publication.isMuted) === want) return true;
      const result = await setMicLive(room, want);
      if (result.ok) {
        micProblem = null;
        // A mic first captured by this unmute gets the saved gain and noise cancellation too.
        if (want) await applyMic();
        return true;
      }
      micProblem = result.problem;
      controls = reduceControls(controls, { type: 'micFailed' });
      notices.show('mic', micProblemText(result.problem));
      return false;
    };
    micQueue = micQueue.then(run, run);
    return micQueue;
  }

  /**
   * @param {import('./rules/mic-controls.js').ControlAction} action
   * @returns {Promise<boolean>} false when the microphone refused
   */
  async function dispatch(action) {
    unlockAudio();
    const before = controls;
    controls = reduceControls(controls, action);
    if (before.deafened !== controls.deafened) {
      settings.set('deafened', controls.deafened);
      playback.apply();
      void peers.send();
    }
    if (before.mode !== controls.mode) settings.set('micMode', controls.mode);
    changed.notify();
    const ok = await syncMic();
    const sound =
      action.type === 'toggleMute' || action.type === 'setMuted' ? soundForTransition(before, controls) : null;
    if (ok && sound) playEvent(sound);
    changed.notify();
    return ok;
  }

  /** @param {import('./rules/sound-packs.js').SoundEvent} event */
  function playEvent(event) {
    // While deafened nothing plays, and a sound queued in a suspended context would arrive late.
    if (controls.deafened || graph.context.state !== 'running') return;
    playSound(graph.context, settings.get('soundPack'), event, {
      destination: graph.output,
      volume: settings.get('notificationVolume'),
    });
  }

  /** Every control is a user gesture: use it to lift an autoplay block. */
  function unlockAudio() {
    soundbites.resume();
    if (graph.blocked) graph.resume().catch(() => {});
    if (room && room.canPlaybackAudio === false) room.startAudio().catch(() => {});
  }

  function getState() {
    return buildSnapshot({
      room,
      connection: connection.state,
      e2eeSupported: Boolean(sdk.isE2EESupported()),
      policy: policy(),
      controls,
      micProblem,
      speakers,
      peerDeafened: peers.deafened,
      settings,
      shareCodec,
      audio: {
        blocked: Boolean(room) && (graph.blocked || room.canPlaybackAudio === false),
        outputSelectable: graph.outputSelectable,
      },
      quality,
      devices: { lists: devices.lists, active: devices.current(room) },
      notice: notices.latest,
    });
  }

  return {
    connect: connection.connect,
    disconnect: connection.disconnect,
    retry: connection.retry,
    getState,
    subscribe: changed.subscribe,
    settings,
    toggleMute: () => dispatch({ type: 'toggleMute' }),
    /** @param {boolean} muted */
    setMuted: (muted) => dispatch({ type: 'setMuted', muted }),
    toggleDeafen: () => dispatch({ type: 'toggleDeafen' }),
    /** @param {import('./rules/mic-controls.js').MicMode} mode */
    setMicMode: (mode) => dispatch({ type: 'setMode', mode }),
    /** @param {boolean} held */
    pushToTalk: (held) => dispatch({ type: held ? 'pttDown' : 'pttUp' }),
    /** @param {boolean} on */
    async setCamera(on) {
      if (!room) return false;
      unlockAudio();
      try {
        await room.localParticipant.setCameraEnabled(on);
        playEvent(on ? 'cameraOn' : 'cameraOff');
        return true;
      } catch {
        notices.show('camera', on ? 'The camera could not be started.' : 'The camera could not be stopped.');
        return false;
      } finally {
        changed.notify();
      }
    },
    /** @param {{ preset?: import('./rules/share-presets.js').PresetKey, audio?: boolean }} [choice] */
    async startScreenShare(choice = {}) {
      if (!room) return false;
      const preset = choice.preset ?? settings.get('shareQuality');
      const audio = choice.audio ?? settings.get('shareAudio');
      const result = await startScreenShare(
        room,
        { browser: () => sdk.getBrowser(), capabilities: deps.capabilities },
        { preset, audio },
      );
      if (result.ok) {
        shareCodec = result.codec;
        settings.set('shareQuality', preset);
        settings.set('shareAudio', audio);
      } else if (!result.cancelled) notices.show('share', result.message);
      changed.notify();
      return result.ok;
    },
    async stopScreenShare() {
      if (room) await stopScreenShare(room);
      shareCodec = null;
      changed.notify();
    },
    /** @param {string} identity @param {number} volume 0..2 */
    setVolume(identity, volume) {
      volumes = settings.set('volumes', withVolume(volumes, identity, volume));
      playback.apply();
      changed.notify();
    },
    /** @param {string} identity */
    toggleLocalMute(identity) {
      if (!localMutes.delete(identity)) localMutes.add(identity);
      settings.set('localMutes', [...localMutes]);
      playback.apply();
      changed.notify();
    },
    /** @param {string} identity @param {boolean} muted */
    setStreamAudioMuted(identity, muted) {
      if (muted) streamMutes.add(identity);
      else streamMutes.delete(identity);
      playback.apply();
      changed.notify();
    },
    /** My clips into the call (soundboard-track.js). */
    soundboard,
    /** How loud others' soundboard clips are for me. @param {number} volume 0..1 */
    setSoundboardHearing(volume) {
      soundboardHearing = settings.set('soundboardHearing', volume);
      playback.apply();
      changed.notify();
    },
    /** @param {import('./rules/whispers.js').WhisperState} next */
    setWhispers(next) {
      whispers = { active: Boolean(next.active), chain: [...(next.chain ?? [])] };
      playback.apply();
      guard.apply();
      changed.notify();
    },
    /** The "enable audio" button: must be called from the click itself. */
    async enableAudio() {
      soundbites.resume();
      await Promise.allSettled([graph.resume(), room?.startAudio()]);
      changed.notify();
    },
    /** @param {'audioinput' | 'audiooutput' | 'videoinput'} kind @param {string} deviceId */
    chooseDevice: (kind, deviceId) => devices.choose(kind, deviceId, room),
    refreshDevices: () => devices.refresh(),
    /** @param {number} gain 0..2 */
    async setInputGain(gain) {
      settings.set('inputGain', gain);
      const ok = await applyMic();
      changed.notify();
      return ok;
    },
    /** @param {Partial<Record<'noiseSuppression' | 'echoCancellation' | 'autoGainControl', boolean>>} change */
    async setProcessing(change) {
      for (const [name, value] of Object.entries(change)) settings.set(/** @type {any} */ (name), value);
      const track = micTrack(room);
      if (track)
        await track.restartTrack(
          buildRoomOptions(settings, { audioDeviceId: devices.current(room).audioinput ?? undefined })
            .audioCaptureDefaults,
        );
      changed.notify();
    },
    /** Whether noise cancellation can be offered here (AudioWorklet and the files). */
    noiseCancellationSupported: noise.supported,
    /**
     * Turns noise cancellation on or off, or picks its engine; remembered, and applied to the
     * published mic at once and on every later one (device switches keep the processor).
     * @param {{ on?: boolean, engine?: import('./rules/noise.js').NoiseEngine }} change
     */
    async setNoiseCancellation({ on, engine }) {
      if (on !== undefined) settings.set('noiseCancellation', on);
      if (engine !== undefined) settings.set('noiseEngine', engine);
      const ok = await applyMic();
      changed.notify();
      return ok;
    },
    /** @param {(level: number) => void} onLevel @returns {() => void} */
    startMicMeter(onLevel) {
      const live = micTrack(room)?.mediaStreamTrack;
      if (!live) return () => {};
      unlockAudio();
      // A clone shares the capture (no second getUserMedia prompt or device) but not the
      // `enabled` flag that muting clears, so people can check their mic before unmuting.
      const track = live.clone();
      track.enabled = true;
      const stop = startMicMeter(
        {
          context: graph.context,
          track,
          createStream: deps.audio.createStream,
          requestFrame: deps.requestFrame,
          cancelFrame: deps.cancelFrame,
        },
        onLevel,
      );
      return () => {
        stop();
        track.stop();
      };
    },
    async testSpeaker() {
      await graph.resume();
      return playSpeakerTest(graph.context, { destination: graph.output });
    },
    /** @param {import('./rules/sound-packs.js').SoundEvent} event */
    playSound: playEvent,
    /** @param {import('./rules/sound-packs.js').SoundPackKey} pack @param {import('./rules/sound-packs.js').SoundEvent} event */
    async previewSound(pack, event) {
      await graph.resume();
      playSound(graph.context, pack, event, { destination: graph.output, volume: settings.get('notificationVolume') });
    },
    /** @param {import('./rules/hotkeys.js').HotkeyAction} action @param {string | null} code @param {{ swap?: boolean }} [options] */
    setHotkey(action, code, options) {
      const result = rebind(settings.get('hotkeys'), action, code, options);
      if (result.ok) settings.set('hotkeys', result.bindings);
      changed.notify();
      return result;
    },
    /** While a key cap waits for a key, hotkeys are off. @param {boolean} value */
    setRebinding(value) {
      rebinding = value;
    },
    hotkeysActive: () => !rebinding && connection.state.state === 'connected',
    soundbites: {
      supported: soundbites.supported,
      /** Whether a tile may offer a soundbite, and whether one is being kept. @param {string} identity */
      status(identity) {
        const participant = room?.remoteParticipants.get(identity);
        const optedOut = !soundbites.allowed(participant ?? { identity });
        return { optedOut, recording: soundbites.recording(identity) };
      },
      save: soundbites.save,
      saveAll: soundbites.saveAll,
      stats: soundbites.stats,
      setOptedOut: soundbites.setOptedOut,
    },
    /** Whether a call holds a captured microphone (which the settings meter directly). */
    micCaptured: () => Boolean(micTrack(room)?.mediaStreamTrack),
    micMode: () => controls.mode,
    /** The LiveKit track for a tile's video, to attach to a <video> element. @param {string} identity @param {'camera' | 'screen_share'} source */
    videoTrack(identity, source) {
      const participant =
        identity === room?.localParticipant.identity ? room?.localParticipant : room?.remoteParticipants.get(identity);
      return participant?.getTrackPublication(source)?.track ?? null;
    },
    async dispose() {
      await connection.disconnect();
      devices.close();
      await graph.close();
    },
  };
}

/** @typedef {ReturnType<typeof createMediaLayer>} MediaLayer */
