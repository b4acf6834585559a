// Samples connection quality every 2 s from public livekit-client APIs (W-B9): the stats reports
// of my microphone's sender and of one received audio track, plus LiveKit's own verdict.

import { createQualitySampler, mergeSamples, qualityTier, readStatsReport } from '../rules/quality.js';

export const SAMPLE_INTERVAL_MS = 2000;

/**
 * @param {object} deps
 * @param {{ set: (fn: () => void, ms: number) => unknown, clear: (handle: any) => void }} deps.timers
 * @param {(result: { measurements: import('../rules/quality.js').Measurements, tier: import('../rules/quality.js').Tier }) => void} deps.onSample
 */
export function createQualityMonitor({ timers, onSample }) {
  const sampler = createQualitySampler();
  /** @type {any} */
  let room = null;
  /** @type {unknown} */
  let handle = null;

  /** @param {any} next */
  function bind(next) {
    room = next;
    sampler.reset();
    schedule();
    return () => {
      if (room !== next) return;
      room = null;
      timers.clear(handle);
      handle = null;
      sampler.reset();
    };
  }

  function schedule() {
    handle = timers.set(() => void sample().finally(() => room && schedule()), SAMPLE_INTERVAL_MS);
  }

  async function sample() {
    const current = room;
    if (!current || current.state !== 'connected') return;
    const tracks = statsTracks(current);
    const reports = await Promise.all(tracks.map((t) => t.getRTCStatsReport().catch(() => undefined)));
    if (current !== room) return;
    const samples = reports.filter(Boolean).map((r) => readStatsReport(/** @type {any} */ (r)));
    if (!samples.length) return;
    const measurements = sampler.add(mergeSamples(samples));
    onSample({ measurements, tier: qualityTier(measurements, current.localParticipant.connectionQuality) });
  }

  return { bind, sample };
}

/**
 * One track per transport: my first published track (sender side) and the first subscribed
 * remote audio track (receiver side).
 * @param {any} room
 */
function statsTracks(room) {
  const tracks = [];
  const local = [...room.localParticipant.trackPublications.values()].find((p) => p.track);
  if (local) tracks.push(local.track);
  for (const participant of room.remoteParticipants.values()) {
    const remote = [...participant.trackPublications.values()].find((p) => p.kind === 'audio' && p.track);
    if (remote) {
      tracks.push(remote.track);
      break;
    }
  }
  return tracks.filter((t) => typeof t.getRTCStatsReport === 'function');
}
