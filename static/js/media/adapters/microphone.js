// The microphone track: published muted on join where the mic is already allowed (everyone
// joins muted, as in 1.x, without the enable-then-disable blip), else captured on the first
// unmute; switched on and off by the controls, with input gain, capture processing toggles
// and a level meter reading the live track (no second capture, W-B17).
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
 * A livekit-client audio TrackProcessor that scales the microphone by a gain (0..2).
 * @param {number} initial
 * @param {(tracks: MediaStreamTrack[]) => MediaStream} createStream
 */
export function createInputGainProcessor(initial, createStream) {
  let value = initial;
  /** @type {{ source: AudioNode, gain: GainNode, out: MediaStreamAudioDestinationNode } | null} */
  let nodes = null;
  const processor = {
    name: 'distokoloshe-input-gain',
    /** @type {MediaStreamTrack | undefined} */
    processedTrack: undefined,
    /** @param {{ track: MediaStreamTrack, audioContext: AudioContext }} options */
    async init({ track, audioContext }) {
      const source = audioContext.createMediaStreamSource(createStream([track]));
      const gain = audioContext.createGain();
      gain.gain.value = value;
      const out = audioContext.createMediaStreamDestination();
      source.connect(gain);
      gain.connect(out);
      nodes = { source, gain, out };
      processor.processedTrack = out.stream.getAudioTracks()[0];
    },
    /** @param {{ track: MediaStreamTrack, audioContext: AudioContext }} options */
    async restart(options) {
      await processor.destroy();
      await processor.init(options);
    },
    async destroy() {
      nodes?.source.disconnect();
      nodes?.gain.disconnect();
      nodes = null;
      processor.processedTrack = undefined;
    },
    /** @param {number} next */
    setGain(next) {
      value = next;
      if (nodes) nodes.gain.gain.value = next;
    },
    get gain() {
      return value;
    },
  };
  return processor;
}

/**
 * Applies an input gain to the mic track: a processor only when the gain is not 1, so the
 * common case keeps the plain capture path.
 * @param {any} track  LocalAudioTrack
 * @param {number} gain
 * @param {(tracks: MediaStreamTrack[]) => MediaStream} createStream
 * @returns {Promise<boolean>} false if this browser could not apply it
 */
export async function applyInputGain(track, gain, createStream) {
  if (!track) return true;
  try {
    const current = track.getProcessor();
    if (gain === 1) {
      if (current) await track.stopProcessor();
    } else if (current?.name === 'distokoloshe-input-gain') {
      current.setGain(gain);
    } else {
      await track.setProcessor(createInputGainProcessor(gain, createStream));
    }
    return true;
  } catch (error) {
    console.warn('input gain unavailable', error);
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
