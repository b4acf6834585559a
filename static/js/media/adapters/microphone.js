// The microphone track: published muted on join where the mic is already allowed (everyone
// joins muted, as in 1.x, without the enable-then-disable blip), else captured on the first
// unmute; switched on and off by the controls, with input gain and noise cancellation (one
// track processor), capture processing toggles and a level meter reading the live track (no
// second capture, W-B17).
//
// Fixes W-B13: a denied or missing microphone is explained, not logged.

import { rmsLevel } from '../rules/level-meter.js';

/** @typedef {'denied' | 'no-device' | 'busy' | 'failed'} MicProblem */

const MICROPHONE = 'microphone';

const PROBLEM_TEXT = Object.freeze({
  denied: "Microphone access is blocked. Allow it in your browser's site settings, then press Unmute.",
  'no-device': 'No microphone was found. Plug one in, then press Unmute.',
  busy: 'The microphone is in use by another application.',
  failed: 'The microphone could not be started.',
});

/**
 * What went wrong with getUserMedia, in the user's terms.
 * @param {unknown} error
 * @returns {MicProblem}
 */
export function micProblem(error) {
  const name = /** @type {{ name?: string }} */ (error)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-device';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'failed';
}

/** @param {MicProblem} problem */
export function micProblemText(problem) {
  return PROBLEM_TEXT[problem];
}

/**
 * Whether the page may capture the microphone without a permission prompt.
 * @param {Permissions | undefined} permissions  navigator.permissions
 * @returns {Promise<boolean>}
 */
export async function micAlreadyAllowed(permissions) {
  try {
    const status = await permissions?.query({ name: /** @type {PermissionName} */ ('microphone') });
    return status?.state === 'granted';
  } catch {
    // A browser that cannot tell is asked on the first unmute, not on joining.
    return false;
  }
}

/**
 * The local microphone publication's track, if any.
 * @param {any} room
 */
export function micTrack(room) {
  return room?.localParticipant?.getTrackPublication(MICROPHONE)?.track ?? null;
}

/**
 * Captures and publishes the microphone in the muted state.
 * @param {any} room
 * @returns {Promise<{ ok: true } | { ok: false, problem: MicProblem }>}
 */
export async function publishMutedMic(room) {
  const lp = room.localParticipant;
  if (lp.getTrackPublication(MICROPHONE)) return { ok: true };
  try {
    // createTracks merges the room's audioCaptureDefaults (chosen device, NS/EC/AGC).
    const [track] = await lp.createTracks({ audio: true, video: false });
    await track.mute();
    await lp.publishTrack(track);
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: micProblem(error) };
  }
}

/**
 * Switches the published microphone on or off (capturing it first if it never was).
 * @param {any} room
 * @param {boolean} live
 * @returns {Promise<{ ok: true } | { ok: false, problem: MicProblem }>}
 */
export async function setMicLive(room, live) {
  try {
    await room.localParticipant.setMicrophoneEnabled(live);
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: micProblem(error) };
  }
}

/**
 * @typedef {object} MicChainDeps
 * @property {(tracks: MediaStreamTrack[]) => MediaStream} createStream
 * @property {import('./noise-suppressor.js').NoiseSuppressor} [noise]
 * @property {(sampleRate: number) => AudioContext} [createContext]  the noise path's own context
 */

/**
 * A livekit-client audio TrackProcessor on the microphone: noise cancellation (when asked),
 * then a gain (0..2). Its output is what LiveKit encodes and encrypts. The noise path runs in
 * its own 48 kHz AudioContext (RNNoise's rate, whatever the device's), as 2.x does.
 * @param {{ gain: number, noise: import('../rules/noise.js').NoiseEngine | null }} chain
 * @param {MicChainDeps} deps
 */
export function createMicProcessor(chain, deps) {
  let value = chain.gain;
  /** @type {{ nodes: AudioNode[], gain: GainNode, own: AudioContext | null, cleaner: any } | null} */
  let graph = null;
  const processor = {
    name: 'distokoloshe-mic',
    engine: chain.noise,
    /** @type {MediaStreamTrack | undefined} */
    processedTrack: undefined,
    /** @param {{ track: MediaStreamTrack, audioContext: AudioContext }} options */
    async init({ track, audioContext }) {
      const own = chain.noise && deps.createContext ? deps.createContext(48000) : null;
      const context = own ?? audioContext;
      // Created by a join or a click; resuming makes sure it runs (a suspended one sends silence).
      if (own) await own.resume().catch(() => {});
      const source = context.createMediaStreamSource(deps.createStream([track]));
      const cleaner = chain.noise && deps.noise ? await deps.noise.node(context, chain.noise) : null;
      const gain = context.createGain();
      gain.gain.value = value;
      const out = context.createMediaStreamDestination();
      const nodes = cleaner ? [source, cleaner, gain] : [source, gain];
      nodes.reduce((from, to) => (from.connect(to), to));
      gain.connect(out);
      graph = { nodes, gain, own, cleaner };
      processor.processedTrack = out.stream.getAudioTracks()[0];
    },
    /** @param {{ track: MediaStreamTrack, audioContext: AudioContext }} options */
    async restart(options) {
      await processor.destroy();
      await processor.init(options);
    },
    async destroy() {
      const old = graph;
      graph = null;
      processor.processedTrack = undefined;
      if (!old) return;
      for (const node of old.nodes) node.disconnect();
      old.cleaner?.destroy?.();
      await old.own?.close().catch(() => {});
    },
    /** @param {number} next */
    setGain(next) {
      value = next;
      if (graph) graph.gain.gain.value = next;
    },
    get gain() {
      return value;
    },
  };
  return processor;
}

/**
 * Puts the microphone's processing in line with `chain`: none at all when it is null (the
 * plain capture path), a gain change in place when only the gain moved, else a new processor.
 * @param {any} track  LocalAudioTrack
 * @param {{ gain: number, noise: import('../rules/noise.js').NoiseEngine | null } | null} chain
 * @param {MicChainDeps} deps
 * @returns {Promise<boolean>} false if this browser could not apply it
 */
export async function applyMicChain(track, chain, deps) {
  if (!track) return true;
  try {
    const current = track.getProcessor();
    if (!chain) {
      if (current) await track.stopProcessor();
    } else if (current?.name === 'distokoloshe-mic' && current.engine === chain.noise) {
      current.setGain(chain.gain);
    } else {
      await track.setProcessor(createMicProcessor(chain, deps));
    }
    return true;
  } catch (error) {
    console.warn('microphone processing unavailable', error);
    return false;
  }
}

/**
 * A level meter on the live mic track. `onLevel` gets 0..1 once per animation frame.
 * @param {object} deps
 * @param {AudioContext} deps.context
 * @param {MediaStreamTrack} deps.track
 * @param {(tracks: MediaStreamTrack[]) => MediaStream} deps.createStream
 * @param {(fn: () => void) => unknown} deps.requestFrame
 * @param {(handle: any) => void} deps.cancelFrame
 * @param {(level: number) => void} onLevel
 * @returns {() => void} stops the meter
 */
export function startMicMeter({ context, track, createStream, requestFrame, cancelFrame }, onLevel) {
  const source = context.createMediaStreamSource(createStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 256;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let handle = requestFrame(tick);
  let running = true;
  function tick() {
    if (!running) return;
    analyser.getFloatTimeDomainData(samples);
    onLevel(rmsLevel(samples));
    handle = requestFrame(tick);
  }
  return () => {
    running = false;
    cancelFrame(handle);
    source.disconnect();
  };
}
