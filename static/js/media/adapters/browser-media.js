// Builds the media layer for a real page (livekit-client, Web Audio, media devices, the E2EE
// worker from our static files, keyboard shortcuts, the page's sound moments) and plugs it into
// the page's media boundary.

import { listenHotkeys } from './keyboard.js';
import { sdk } from './livekit-sdk.js';
import { createMediaLayer } from '../media-layer.js';
import { buildRoomOptions } from '../layer-support.js';
import { micAlreadyAllowed } from './microphone.js';
import { createMicTest } from './mic-test.js';
import { createMediaSettings } from './saved-settings.js';

/** Page moments (see boundary.js) that have a notification sound. */
const MOMENT_SOUNDS = /** @type {const} */ ({
  'peer-joined': 'join',
  'peer-left': 'leave',
  'vote-started': 'voteStarted',
  'chat-message': 'chatMessage',
});

/**
 * The media layer of this page, attached to the page's boundary: join responses go to the
 * layer, the layer's connection state goes back for the header and banners.
 * @param {import('../boundary.js').MediaBoundary} boundary
 * @param {{ me: string, e2eeWorkerUrl: string, worklets?: AudioWorkletUrls }} options  my username; livekit-client's E2EE worker and our audio worklets, served same-origin
 * @returns {Promise<BrowserMedia>} the layer, for the media views
 */
export async function attachBrowserMedia(boundary, options) {
  const layer = createBrowserMedia({ ...options, boundary });
  let last = '';
  layer.subscribe(() => {
    const { state, roomId, detail } = layer.getState().connection;
    const key = `${state}|${roomId}|${detail ?? ''}`;
    if (key === last) return;
    last = key;
    boundary.report(detail ? { state, roomId, detail } : { state, roomId });
  });
  await boundary.attach({
    // Not awaited: reaching the SFU can take many seconds, and the join flow (room details,
    // the next click) must not wait for it. Progress and failure arrive through `report`.
    connect: async (join) => void layer.connect(join),
    disconnect: () => layer.disconnect(),
    setWhispers: (whispers) => layer.setWhispers(whispers),
    soundboard: {
      ...layer.soundboard,
      volume: () => layer.settings.get('soundboardVolume'),
      setVolume: (volume) => layer.soundboard.setVolume(layer.settings.set('soundboardVolume', volume)),
      hearing: () => layer.settings.get('soundboardHearing'),
      setHearing: (volume) => layer.setSoundboardHearing(volume),
    },
  });
  return layer;
}

/**
 * @param {object} options
 * @param {string} options.me                 my username
 * @param {string} options.e2eeWorkerUrl      livekit-client's E2EE worker, served same-origin
 * @param {AudioWorkletUrls} [options.worklets] our audio worklets (soundbites, noise suppression)
 * @param {import('../boundary.js').MediaBoundary} options.boundary  the page's, for rejoins and sound moments
 */
export function createBrowserMedia({ me, e2eeWorkerUrl, boundary, worklets }) {
  const settings = createMediaSettings();
  // Where AudioWorklet is missing there are no soundbites and no noise cancellation offered.
  const workletsSupported = typeof AudioWorkletNode !== 'undefined';
  const layer = createMediaLayer({
    sdk,
    settings,
    me,
    pageUrl: () => window.location.href,
    createWorker: () => new Worker(e2eeWorkerUrl, { type: 'module', name: 'livekit-e2ee' }),
    refreshJoin: boundary.refreshJoin,
    audio: {
      createContext: () => new AudioContext({ latencyHint: 'interactive' }),
      createElement: (tag) => document.createElement(tag),
      createStream: (tracks) => new MediaStream(tracks),
      elementSinkSupported: 'setSinkId' in HTMLMediaElement.prototype,
    },
    mediaDevices: navigator.mediaDevices,
    micAllowed: () => micAlreadyAllowed(navigator.permissions),
    capabilities: () =>
      typeof RTCRtpSender !== 'undefined' && RTCRtpSender.getCapabilities
        ? RTCRtpSender.getCapabilities('video')
        : null,
    timers: { set: (fn, ms) => window.setTimeout(fn, ms), clear: (handle) => window.clearTimeout(handle) },
    requestFrame: (fn) => window.requestAnimationFrame(fn),
    cancelFrame: (handle) => window.cancelAnimationFrame(handle),
    soundbiteWorkletUrl: workletsSupported ? (worklets?.soundbite ?? null) : null,
    noiseUrls: workletsSupported ? noiseUrls(worklets) : null,
    createNoiseContext: (sampleRate) => new AudioContext({ sampleRate, latencyHint: 'interactive' }),
    // 48 kHz whatever the device's: a soundbite ring is then always 1.92 MB.
    createRecorderContext: () => new AudioContext({ sampleRate: 48000 }),
  });

  const stopHotkeys = listenHotkeys({
    target: window,
    document,
    bindings: () => settings.get('hotkeys'),
    mode: () => ({ active: layer.hotkeysActive(), pushToTalk: layer.micMode() === 'ptt' }),
    onAction: (action) => {
      if (action === 'captureSoundbites') void saveSoundbites(layer.soundbites.saveAll());
      else void (action === 'toggleMute' ? layer.toggleMute() : layer.toggleDeafen());
    },
    onPushToTalk: (held) => void layer.pushToTalk(held),
  });
  const stopMoments = Object.entries(MOMENT_SOUNDS).map(([name, sound]) => boundary.onMoment(name, () => layer.playSound(sound)));

  const micTest = createMicTest({
    mediaDevices: navigator.mediaDevices,
    createContext: () => new AudioContext({ latencyHint: 'interactive' }),
    createStream: (tracks) => new MediaStream(tracks),
    requestFrame: (fn) => window.requestAnimationFrame(fn),
    cancelFrame: (handle) => window.cancelAnimationFrame(handle),
  });

  return {
    ...layer,
    /** Saves one person's last seconds as a WAV download (a tile's button). @param {string} identity */
    saveSoundbite: (identity) => saveSoundbites(layer.soundbites.save(identity).then((bite) => (bite ? [bite] : []))),
    /**
     * The settings' microphone test, outside any call: the chosen mic with the saved switches.
     * @param {(level: number) => void} onLevel
     */
    async startMicTest(onLevel) {
      const audioDeviceId = layer.getState().devices.active.audioinput ?? undefined;
      const result = await micTest.start(buildRoomOptions(settings, { audioDeviceId }).audioCaptureDefaults, onLevel);
      // Device names are only listed once the microphone has been allowed.
      if (result.ok) void layer.refreshDevices();
      return result;
    },
    async dispose() {
      stopHotkeys();
      for (const stop of stopMoments) stop();
      await layer.dispose();
    },
  };
}

/**
 * Hands each soundbite to the browser as a download. Returns how many were saved.
 * @param {Promise<Array<{ name: string, wav: ArrayBuffer }>>} pending
 */
async function saveSoundbites(pending) {
  const bites = await pending;
  for (const { name, wav } of bites) {
    const url = URL.createObjectURL(new Blob([wav], { type: 'audio/wav' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.click();
    // The download has started reading the blob by the next task; a minute is generous.
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return bites.length;
}

/** @typedef {{ soundbite?: string, noiseModule?: string, rnnoise?: string, rnnoiseWasm?: string, rnnoiseSimdWasm?: string, speex?: string, speexWasm?: string }} AudioWorkletUrls */

/**
 * @param {AudioWorkletUrls | undefined} w
 * @returns {import('./noise-suppressor.js').NoiseSuppressorUrls | null}
 */
function noiseUrls(w) {
  if (!w?.noiseModule || !w.rnnoise || !w.rnnoiseWasm || !w.rnnoiseSimdWasm || !w.speex || !w.speexWasm) return null;
  return {
    module: w.noiseModule,
    rnnoise: w.rnnoise,
    rnnoiseWasm: w.rnnoiseWasm,
    rnnoiseSimdWasm: w.rnnoiseSimdWasm,
    speex: w.speex,
    speexWasm: w.speexWasm,
  };
}

/** @typedef {ReturnType<typeof createBrowserMedia>} BrowserMedia */
