// The microphone test of the settings: the chosen microphone captured on its own (getUserMedia,
// with the saved processing switches), metered, and released when the test stops. It needs no
// call, so a microphone can be checked before joining or while the media server is down; in a
// call the settings meter the published track instead (no second capture).

import { micProblem, startMicMeter } from './microphone.js';

/**
 * @param {object} deps
 * @param {MediaDevices | undefined} deps.mediaDevices
 * @param {() => AudioContext} deps.createContext
 * @param {(tracks: MediaStreamTrack[]) => MediaStream} deps.createStream
 * @param {(fn: () => void) => unknown} deps.requestFrame
 * @param {(handle: any) => void} deps.cancelFrame
 */
export function createMicTest(deps) {
  /**
   * Captures and meters; `onLevel` gets 0..1 once per frame.
   * @param {MediaTrackConstraints} constraints
   * @param {(level: number) => void} onLevel
   * @returns {Promise<{ ok: true, stop: () => void } | { ok: false, problem: import('./microphone.js').MicProblem }>}
   */
  async function start(constraints, onLevel) {
    let stream;
    try {
      if (!deps.mediaDevices) throw Object.assign(new Error('no media devices'), { name: 'NotFoundError' });
      stream = await deps.mediaDevices.getUserMedia({ audio: constraints, video: false });
    } catch (error) {
      return { ok: false, problem: micProblem(error) };
    }
    const [track] = stream.getAudioTracks();
    const context = deps.createContext();
    await context.resume().catch(() => {});
    const stopMeter = startMicMeter({ ...deps, context, track }, onLevel);
    return {
      ok: true,
      stop() {
        stopMeter();
        for (const each of stream.getTracks()) each.stop();
        void context.close().catch(() => {});
      },
    };
  }
  return { start };
}
