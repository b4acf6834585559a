import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  UNKNOWN_TIER,
  createQualitySampler,
  distanceKm,
  lossBetween,
  mergeSamples,
  qualityTier,
  readStatsReport,
  smooth,
  sweepBar,
  tooltipLines,
} from '../../../static/js/media/rules/quality.js';

const m = (rtt, jitter = null, loss = null) => ({ rtt, jitter, loss });
const tierName = (measurements, lk) => qualityTier(measurements, lk).name;

describe('qualityTier', () => {
  test('the 1.x thresholds on effective latency = RTT + 2 × jitter', () => {
    assert.deepEqual(
      [m(20), m(21), m(50), m(100), m(200), m(201)].map((x) => tierName(x)),
      ['excellent', 'good', 'good', 'fair', 'poor', 'bad'],
    );
    assert.equal(tierName(m(10, 5)), 'excellent'); // 20
    assert.equal(tierName(m(10, 6)), 'good'); // 22
  });

  test('bars and colours follow 1.x', () => {
    assert.deepEqual(
      [m(5), m(30), m(80), m(150), m(500)].map((x) => {
        const t = qualityTier(x);
        return [t.bars, t.colour, t.label];
      }),
      [
        [4, 'green', 'Excellent'],
        [3, 'green', 'Good'],
        [2, 'yellow', 'Fair'],
        [1, 'orange', 'Poor'],
        [1, 'red', 'Bad'],
      ],
    );
  });

  test('unknown RTT is "Not connected" with no bars', () => {
    assert.equal(qualityTier(m(null, 3)), UNKNOWN_TIER);
    assert.deepEqual([UNKNOWN_TIER.bars, UNKNOWN_TIER.colour, UNKNOWN_TIER.label], [0, 'grey', 'Not connected']);
  });

  test('packet loss caps the tier: 2 % fair, 5 % poor, 10 % bad', () => {
    assert.equal(tierName(m(5, 0, 0.01)), 'excellent');
    assert.equal(tierName(m(5, 0, 0.02)), 'fair');
    assert.equal(tierName(m(5, 0, 0.05)), 'poor');
    assert.equal(tierName(m(5, 0, 0.1)), 'bad');
  });

  test('loss never improves a tier', () => {
    assert.equal(tierName(m(300, 0, 0.03)), 'bad');
  });

  test("LiveKit's own verdict can lower the tier but not raise it", () => {
    assert.equal(tierName(m(5), 'poor'), 'poor');
    assert.equal(tierName(m(5), 'lost'), 'bad');
    assert.equal(tierName(m(150), 'excellent'), 'poor');
    assert.equal(tierName(m(5), 'unknown'), 'excellent');
  });
});

describe('tooltipLines', () => {
  test('connected with numbers: label, RTT, jitter, loss, distance, server city', () => {
    const measurements = m(34.56, 2.04, 0.0123);
    assert.deepEqual(
      tooltipLines({ state: 'connected', measurements, tier: qualityTier(measurements), city: 'Johannesburg' }),
      ['Good', 'RTT: 34.6ms', 'Jitter: 2.0ms', 'Packet loss: 1.2%', 'Distance: ~1,728 km', 'Server: Johannesburg'],
    );
  });

  test('connecting, or connected before the first RTT, says "Connecting..."', () => {
    assert.deepEqual(tooltipLines({ state: 'connecting', measurements: m(null), tier: UNKNOWN_TIER }), [
      'Connecting...',
    ]);
    assert.deepEqual(tooltipLines({ state: 'connected', measurements: m(null), tier: UNKNOWN_TIER, city: null }), [
      'Connecting...',
    ]);
  });

  test('disconnected invites joining a room and still names the server', () => {
    assert.deepEqual(
      tooltipLines({ state: 'disconnected', measurements: m(null), tier: UNKNOWN_TIER, city: 'Cape Town' }),
      ['Join a room to see stats', 'Server: Cape Town'],
    );
  });

  test('in a room whose call is down it does not say to join a room', () => {
    assert.deepEqual(
      tooltipLines({ state: 'disconnected', measurements: m(null), tier: UNKNOWN_TIER, city: null, inRoom: true }),
      ['No stats: the call is not connected'],
    );
  });

  test('distance is RTT/2 × 100 km with thousands separators', () => {
    assert.equal(distanceKm(40), 2000);
    assert.ok(
      tooltipLines({ state: 'connected', measurements: m(400), tier: qualityTier(m(400)) }).includes(
        'Distance: ~20,000 km',
      ),
    );
  });
});

test('the connecting sweep runs 0,1,2,3,2,1 and repeats', () => {
  assert.deepEqual([...Array(8).keys()].map(sweepBar), [0, 1, 2, 3, 2, 1, 0, 1]);
});

test('smoothing is an EMA with alpha 0.3, rounded to 0.1, and ignores missing samples', () => {
  assert.equal(smooth(null, 10), 10);
  assert.equal(smooth(10, 20), 13);
  assert.equal(smooth(13, null), 13);
  assert.equal(smooth(10, 10.04), 10);
});

describe('readStatsReport', () => {
  test('RTT from the selected candidate pair, in ms', () => {
    const report = new Map([
      ['T', { id: 'T', type: 'transport', selectedCandidatePairId: 'CP2' }],
      ['CP1', { id: 'CP1', type: 'candidate-pair', state: 'succeeded', currentRoundTripTime: 0.5 }],
      ['CP2', { id: 'CP2', type: 'candidate-pair', state: 'succeeded', currentRoundTripTime: 0.042 }],
    ]);
    assert.equal(readStatsReport(report).rtt, 42);
  });

  test('falls back to remote-inbound RTT, then total/responses (Firefox)', () => {
    assert.equal(readStatsReport([{ type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.03 }]).rtt, 30);
    assert.equal(
      readStatsReport([
        { type: 'candidate-pair', state: 'succeeded', nominated: true, totalRoundTripTime: 0.5, responsesReceived: 10 },
      ]).rtt,
      50,
    );
    assert.equal(readStatsReport([]).rtt, null);
  });

  test('jitter from received audio, else from what the SFU reports about my audio (known even alone)', () => {
    const both = [
      { type: 'inbound-rtp', kind: 'audio', jitter: 0.004, packetsLost: 0, packetsReceived: 10 },
      { type: 'remote-inbound-rtp', kind: 'audio', jitter: 0.009 },
    ];
    assert.equal(readStatsReport(both).jitter, 4);
    assert.equal(readStatsReport([{ type: 'remote-inbound-rtp', kind: 'audio', jitter: 0.009 }]).jitter, 9);
    assert.equal(readStatsReport([{ type: 'inbound-rtp', kind: 'video', jitter: 0.02 }]).jitter, null);
  });

  test('sums inbound packet counters and keeps the worst remote fraction lost', () => {
    const sample = readStatsReport([
      { type: 'inbound-rtp', kind: 'audio', packetsLost: 3, packetsReceived: 100 },
      { type: 'inbound-rtp', kind: 'video', packetsLost: 7, packetsReceived: 900 },
      { type: 'remote-inbound-rtp', kind: 'audio', fractionLost: 0.01 },
      { type: 'remote-inbound-rtp', kind: 'video', fractionLost: 0.04 },
    ]);
    assert.deepEqual([sample.packetsLost, sample.packetsReceived, sample.remoteFractionLost], [10, 1000, 0.04]);
  });
});

describe('loss and sampling', () => {
  const raw = (lost, received, extra = {}) => ({
    rtt: 20,
    jitter: 1,
    packetsLost: lost,
    packetsReceived: received,
    remoteFractionLost: null,
    ...extra,
  });

  test('loss is measured over the interval, not since the start of the call', () => {
    assert.equal(lossBetween(raw(100, 1000), raw(110, 1090)), 0.1);
    assert.equal(lossBetween(raw(100, 1000), raw(100, 1000)), null);
    assert.equal(lossBetween(raw(100, 1000), raw(0, 50)), null);
  });

  test('the sampler smooths, computes interval loss and resets for a new room', () => {
    const sampler = createQualitySampler();
    assert.deepEqual(sampler.add(raw(0, 100)), { rtt: 20, jitter: 1, loss: null });
    const second = sampler.add(raw(5, 195, { rtt: 30 }));
    assert.equal(second.rtt, 23);
    assert.equal(second.loss, 0.05);
    sampler.reset();
    assert.deepEqual(sampler.get(), { rtt: null, jitter: null, loss: null });
  });

  test("the SFU's fraction lost counts when it is worse than what I receive", () => {
    const sampler = createQualitySampler();
    assert.equal(sampler.add(raw(0, 0, { remoteFractionLost: 0.08 })).loss, 0.08);
  });

  test('mergeSamples takes the first known RTT and jitter and adds the counters', () => {
    const merged = mergeSamples([
      raw(1, 10, { rtt: null, jitter: 3 }),
      raw(2, 20, { rtt: 40, jitter: 7, remoteFractionLost: 0.02 }),
    ]);
    assert.deepEqual(merged, { rtt: 40, jitter: 3, packetsLost: 3, packetsReceived: 30, remoteFractionLost: 0.02 });
  });
});
