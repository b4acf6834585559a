// Connection quality: WebRTC stats → the 1.x signal-bars tiers and tooltip (original-ui §9).
//
// Fixes W-B9: the numbers come from public livekit-client APIs (a track's getRTCStatsReport and
// the ConnectionQualityChanged verdict), packet loss counts, and jitter is known even when alone
// (the SFU's receiver report on my own stream).

/** @typedef {'excellent' | 'good' | 'fair' | 'poor' | 'bad' | 'unknown'} TierName */

/**
 * @typedef {object} Tier
 * @property {TierName} name
 * @property {number} bars      0..4
 * @property {'grey' | 'green' | 'yellow' | 'orange' | 'red'} colour
 * @property {string} label
 */

/** @typedef {{ rtt: number | null, jitter: number | null, loss: number | null }} Measurements */

/** @type {readonly Tier[]} ordered best to worst */
export const TIERS = Object.freeze([
  { name: 'excellent', bars: 4, colour: 'green', label: 'Excellent' },
  { name: 'good', bars: 3, colour: 'green', label: 'Good' },
  { name: 'fair', bars: 2, colour: 'yellow', label: 'Fair' },
  { name: 'poor', bars: 1, colour: 'orange', label: 'Poor' },
  { name: 'bad', bars: 1, colour: 'red', label: 'Bad' },
]);

/** @type {Tier} */
export const UNKNOWN_TIER = Object.freeze({ name: 'unknown', bars: 0, colour: 'grey', label: 'Not connected' });

/** Upper bounds (ms) of effective latency for excellent, good, fair, poor; above is bad. */
const LATENCY_BOUNDS = [20, 50, 100, 200];
/** Packet-loss fractions that cap the tier at fair, poor, bad. */
const LOSS_CAPS = [
  [0.1, 4],
  [0.05, 3],
  [0.02, 2],
];
/** livekit-client's ConnectionQuality values that cap the tier. */
const LIVEKIT_CAPS = /** @type {Record<string, number>} */ ({ poor: 3, lost: 4 });

export const EMA_ALPHA = 0.3;

/**
 * The tier for a set of measurements (ms, and loss as a 0..1 fraction).
 * 1.x's rule: effective = RTT + 2 × jitter; then loss and LiveKit's own verdict can only lower it.
 * @param {Measurements} measurements
 * @param {string} [livekitQuality]  a ConnectionQuality value ('excellent', 'good', 'poor', 'lost', 'unknown')
 * @returns {Tier}
 */
export function qualityTier({ rtt, jitter, loss }, livekitQuality) {
  if (rtt === null || !Number.isFinite(rtt)) return UNKNOWN_TIER;
  const effective = rtt + 2 * (jitter ?? 0);
  let index = LATENCY_BOUNDS.findIndex((bound) => effective <= bound);
  if (index < 0) index = TIERS.length - 1;
  for (const [threshold, cap] of LOSS_CAPS) {
    if (loss !== null && loss >= threshold) {
      index = Math.max(index, cap);
      break;
    }
  }
  index = Math.max(index, LIVEKIT_CAPS[livekitQuality ?? ''] ?? 0);
  return TIERS[index];
}

/**
 * The hover tooltip, one string per line.
 * @param {object} input
 * @param {'connected' | 'connecting' | 'reconnecting' | 'disconnected'} input.state
 * @param {Measurements} input.measurements
 * @param {Tier} input.tier
 * @param {string | null} [input.city]
 * @param {boolean} [input.inRoom]  I am in a room (the call may still be down)
 * @returns {string[]}
 */
export function tooltipLines({ state, measurements, tier, city, inRoom = false }) {
  const lines = [];
  if (state === 'disconnected') {
    // In a room whose call is down, "join a room" would be wrong: say why there is nothing.
    lines.push(inRoom ? 'No stats: the call is not connected' : 'Join a room to see stats');
  } else {
    lines.push(state === 'connected' && tier !== UNKNOWN_TIER ? tier.label : 'Connecting...');
    const { rtt, jitter, loss } = measurements;
    if (rtt !== null) lines.push(`RTT: ${rtt.toFixed(1)}ms`);
    if (jitter !== null) lines.push(`Jitter: ${jitter.toFixed(1)}ms`);
    if (loss !== null) lines.push(`Packet loss: ${(loss * 100).toFixed(1)}%`);
    if (rtt !== null) lines.push(`Distance: ~${distanceKm(rtt).toLocaleString('en-US')} km`);
  }
  if (city) lines.push(`Server: ${city}`);
  return lines;
}

/**
 * 1.x's rough distance estimate: light in fibre covers ~100 km per millisecond one way.
 * @param {number} rttMs
 */
export function distanceKm(rttMs) {
  return Math.round((rttMs / 2) * 100);
}

const SWEEP = [0, 1, 2, 3, 2, 1];
export const SWEEP_INTERVAL_MS = 150;

/**
 * Which bar the "connecting" sweep highlights at animation step `tick`.
 * @param {number} tick
 */
export function sweepBar(tick) {
  return SWEEP[((tick % SWEEP.length) + SWEEP.length) % SWEEP.length];
}

/**
 * Exponential moving average, rounded to 0.1.
 * @param {number | null} previous
 * @param {number | null} sample
 * @returns {number | null}
 */
export function smooth(previous, sample) {
  if (sample === null) return previous;
  const next = previous === null ? sample : previous + EMA_ALPHA * (sample - previous);
  return Math.round(next * 10) / 10;
}

/**
 * @typedef {object} RawSample
 * @property {number | null} rtt          ms
 * @property {number | null} jitter       ms
 * @property {number} packetsLost         cumulative, inbound streams
 * @property {number} packetsReceived     cumulative, inbound streams
 * @property {number | null} remoteFractionLost  0..1, what the SFU reports losing of my streams
 */

/**
 * Reads one RTCStatsReport (or any iterable of stats dictionaries, or a Map of them).
 * @param {Iterable<any> | Map<string, any>} report
 * @returns {RawSample}
 */
export function readStatsReport(report) {
  /** @type {any[]} */
  const stats = report instanceof Map ? [...report.values()] : [...report];
  const pair = selectedPair(stats);
  const remoteInbound = stats.filter((s) => s.type === 'remote-inbound-rtp');
  const inbound = stats.filter((s) => s.type === 'inbound-rtp');
  const rtt =
    positive(pair?.currentRoundTripTime) ??
    positive(remoteInbound.find((s) => positive(s.roundTripTime) !== null)?.roundTripTime) ??
    (positive(pair?.totalRoundTripTime) !== null && positive(pair?.responsesReceived) !== null
      ? pair.totalRoundTripTime / pair.responsesReceived
      : null);
  const jitter =
    finite(inbound.find((s) => kindOf(s) === 'audio' && finite(s.jitter) !== null)?.jitter) ??
    finite(remoteInbound.find((s) => kindOf(s) === 'audio' && finite(s.jitter) !== null)?.jitter);
  const fractions = remoteInbound.map((s) => finite(s.fractionLost)).filter((f) => f !== null);
  return {
    rtt: rtt === null ? null : rtt * 1000,
    jitter: jitter === null ? null : jitter * 1000,
    packetsLost: inbound.reduce((sum, s) => sum + Math.max(0, finite(s.packetsLost) ?? 0), 0),
    packetsReceived: inbound.reduce((sum, s) => sum + (finite(s.packetsReceived) ?? 0), 0),
    remoteFractionLost: fractions.length ? Math.max(.../** @type {number[]} */ (fractions)) : null,
  };
}

/**
 * Several reports (publisher and subscriber side) merged into one sample.
 * @param {RawSample[]} samples
 * @returns {RawSample}
 */
export function mergeSamples(samples) {
  const first = (/** @type {'rtt' | 'jitter'} */ key) => samples.find((s) => s[key] !== null)?.[key] ?? null;
  const fractions = samples.map((s) => s.remoteFractionLost).filter((f) => f !== null);
  return {
    rtt: first('rtt'),
    jitter: first('jitter'),
    packetsLost: samples.reduce((sum, s) => sum + s.packetsLost, 0),
    packetsReceived: samples.reduce((sum, s) => sum + s.packetsReceived, 0),
    remoteFractionLost: fractions.length ? Math.max(.../** @type {number[]} */ (fractions)) : null,
  };
}

/**
 * Turns raw samples taken every few seconds into smoothed measurements.
 * Loss is computed over the interval since the previous sample, never since the call began.
 */
export function createQualitySampler() {
  /** @type {Measurements} */
  let current = { rtt: null, jitter: null, loss: null };
  /** @type {RawSample | null} */
  let previous = null;

  /**
   * @param {RawSample} sample
   * @returns {Measurements}
   */
  function add(sample) {
    const intervalLoss = previous ? lossBetween(previous, sample) : null;
    const loss = maxOrNull(intervalLoss, sample.remoteFractionLost);
    previous = sample;
    current = {
      rtt: smooth(current.rtt, sample.rtt),
      jitter: smooth(current.jitter, sample.jitter),
      loss:
        loss === null
          ? current.loss
          : roundTo(current.loss === null ? loss : current.loss + EMA_ALPHA * (loss - current.loss), 4),
    };
    return current;
  }

  function reset() {
    current = { rtt: null, jitter: null, loss: null };
    previous = null;
  }

  return { add, reset, get: () => current };
}

/**
 * @param {RawSample} before
 * @param {RawSample} after
 * @returns {number | null}
 */
export function lossBetween(before, after) {
  const lost = after.packetsLost - before.packetsLost;
  const received = after.packetsReceived - before.packetsReceived;
  // Counters restart when streams come and go; a negative delta is not information.
  if (lost < 0 || received < 0 || lost + received === 0) return null;
  return lost / (lost + received);
}

/** @param {any[]} stats */
function selectedPair(stats) {
  const pairs = stats.filter((s) => s.type === 'candidate-pair');
  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  return (
    (transport && pairs.find((p) => p.id === transport.selectedCandidatePairId)) ??
    pairs.find((p) => p.selected === true) ??
    pairs.find((p) => p.nominated && p.state === 'succeeded') ??
    pairs.find((p) => p.state === 'succeeded')
  );
}

/** @param {any} s */
function kindOf(s) {
  return s.kind ?? s.mediaType;
}

/** @param {unknown} value */
function finite(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** @param {unknown} value */
function positive(value) {
  const v = finite(value);
  return v !== null && v > 0 ? v : null;
}

/**
 * @param {number | null} a
 * @param {number | null} b
 */
function maxOrNull(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * @param {number} value
 * @param {number} digits
 */
function roundTo(value, digits) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
