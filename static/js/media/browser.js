// Builds the media layer for a real page: livekit-client, Web Audio, media devices, the E2EE
// worker from our static files, keyboard shortcuts and the page's sound moments.

import { listenHotkeys } from './hotkey-listener.js';
import { sdk } from './livekit.js';
import { createMediaLayer } from './media-layer.js';
import { createMediaSettings } from './settings.js';

/** Page moments (lib/hooks.js names) that have a notification sound. */
const HOOK_SOUNDS = /** @type {const} */ ({
  'peer-joined': 'join',
  'peer-left': 'leave',
  'vote-started': 'voteStarted',
});

/**
 * @param {object} options
 * @param {string} options.me                 my username
 * @param {string} options.e2eeWorkerUrl      livekit-client's E2EE worker, served same-origin
 * @param {(roomId: number) => Promise<import('./session.js').JoinResponse>} [options.refreshJoin]
 * @param {{ on: (name: string, fn: (payload: any) => void) => () => void }} [options.hooks]
 */
export function createBrowserMedia({ me, e2eeWorkerUrl, refreshJoin, hooks }) {
  const settings = createMediaSettings();
  const layer = createMediaLayer({
    sdk,
    settings,
    me,
    pageUrl: () => window.location.href,
    createWorker: () => new Worker(e2eeWorkerUrl, { type: 'module', name: 'livekit-e2ee' }),
    refreshJoin,
    audio: {
      createContext: () => new AudioContext({ latencyHint: 'interactive' }),
      createElement: (tag) => document.createElement(tag),
      createStream: (tracks) => new MediaStream(tracks),
      elementSinkSupported: 'setSinkId' in HTMLMediaElement.prototype,
    },
    mediaDevices: navigator.mediaDevices,
    capabilities: () =>
      typeof RTCRtpSender !== 'undefined' && RTCRtpSender.getCapabilities
        ? RTCRtpSender.getCapabilities('video')
        : null,
    timers: { set: (fn, ms) => window.setTimeout(fn, ms), clear: (handle) => window.clearTimeout(handle) },
    requestFrame: (fn) => window.requestAnimationFrame(fn),
    cancelFrame: (handle) => window.cancelAnimationFrame(handle),
  });

  const stopHotkeys = listenHotkeys({
    target: window,
    document,
    bindings: () => settings.get('hotkeys'),
    mode: () => ({ active: layer.hotkeysActive(), pushToTalk: layer.micMode() === 'ptt' }),
    onAction: (action) => void (action === 'toggleMute' ? layer.toggleMute() : layer.toggleDeafen()),
    onPushToTalk: (held) => void layer.pushToTalk(held),
  });
  const stopHooks = Object.entries(HOOK_SOUNDS).map(([name, sound]) => hooks?.on(name, () => layer.playSound(sound)));

  return {
    ...layer,
    async dispose() {
      stopHotkeys();
      for (const stop of stopHooks) stop?.();
      await layer.dispose();
    },
  };
}

/** @typedef {ReturnType<typeof createBrowserMedia>} BrowserMedia */
