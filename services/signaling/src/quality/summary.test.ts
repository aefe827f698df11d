import { describe, expect, it } from 'vitest';
import {
  QualityAccumulator,
  implausible,
  median,
  percentile,
  visitQuality,
  type QualitySample,
} from './summary.js';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const sample = (s: number, over: Partial<QualitySample> = {}): QualitySample => ({
  at: T0 + s * 1000,
  rttMs: 50,
  packetLoss: 0,
  bitrateKbps: 1000,
  iceState: 'connected',
  level: 'good',
  ...over,
});

describe('median and p95 (hand-worked)', () => {
  it('median of odd and even series', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([])).toBeNull();
  });
  it('p95 by nearest rank', () => {
    // 20 values 1..20: ceil(0.95·20) = 19th smallest = 19.
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(19);
    // 10 values: ceil(9.5) = 10th = the largest.
    expect(percentile([5, 1, 9, 3, 7, 2, 8, 4, 6, 100], 0.95)).toBe(100);
    expect(percentile([42], 0.95)).toBe(42);
  });
});

describe('QualityAccumulator on a recorded series', () => {
  // A 60 s visit reported every 5 s: good for 30 s, poor for 15 s (a bad patch with loss and an
  // ICE failure and restart), then good again; the last report at 55 s, the visit ends at 60 s.
  const series: QualitySample[] = [
    sample(0, { rttMs: 40 }),
    sample(5, { rttMs: 42 }),
    sample(10, { rttMs: 45 }),
    sample(15, { rttMs: 41 }),
    sample(20, { rttMs: 44 }),
    sample(25, { rttMs: 43 }),
    sample(30, { rttMs: 400, packetLoss: 0.12, bitrateKbps: 250, level: 'poor' }),
    sample(35, { rttMs: 900, packetLoss: 0.3, bitrateKbps: 90, level: 'poor', iceState: 'failed' }),
    sample(40, { rttMs: 300, packetLoss: 0.08, bitrateKbps: 300, level: 'poor', iceRestarts: 1 }),
    sample(45, { rttMs: 60, level: 'good', relay: true, iceRestarts: 1 }),
    sample(50, { rttMs: 55 }),
    sample(55, { rttMs: 50 }),
  ];

  it('computes the figures worked out by hand', () => {
    const acc = new QualityAccumulator();
    for (const s of series) expect(acc.add(s)).toBe('accepted');
    const sum = acc.summary(T0 + 60_000);
    // RTTs sorted: 40 41 42 43 44 45 50 55 60 300 400 900 → median (45+50)/2, p95 = 12th = 900.
    expect(sum.rttMedianMs).toBe(47.5);
    expect(sum.rttP95Ms).toBe(900);
    // Loss: nine 0s, 0.08, 0.12, 0.3 → median 0, p95 = 12th = 0.3.
    expect(sum.packetLossMedian).toBe(0);
    expect(sum.packetLossP95).toBe(0.3);
    // Bitrate: 90 250 300 then nine 1000s → median (1000+1000)/2.
    expect(sum.bitrateMedianKbps).toBe(1000);
    // good 0–30 and 45–60 = 45 s; poor 30–45 = 15 s.
    expect(sum.secondsByLevel).toEqual({ good: 45, fair: 0, poor: 15, lost: 0 });
    expect(sum.iceRestarts).toBe(1);
    expect(sum.relayUsed).toBe(true);
    expect(sum.samples).toBe(12);
  });

  it('drops a flood: reports closer than a second change nothing', () => {
    const acc = new QualityAccumulator();
    acc.add(sample(0));
    for (let i = 1; i <= 50; i++) {
      expect(acc.add(sample(i / 100, { level: 'lost', rttMs: 9999 }))).toBe('too-soon');
    }
    const sum = acc.summary(T0 + 5_000);
    expect(sum.samples).toBe(1);
    expect(sum.secondsByLevel).toEqual({ good: 5, fair: 0, poor: 0, lost: 0 });
    expect(sum.rttP95Ms).toBe(50);
  });

  it('caps a silence: a client that stops reporting is not "good" forever', () => {
    const acc = new QualityAccumulator({ maxGapMs: 10_000 });
    acc.add(sample(0));
    acc.add(sample(300, { level: 'fair' }));
    expect(acc.summary(T0 + 3_600_000).secondsByLevel).toEqual({
      good: 10,
      fair: 10,
      poor: 0,
      lost: 0,
    });
  });

  it('rejects implausible samples and keeps nothing of them', () => {
    const acc = new QualityAccumulator();
    expect(acc.add(sample(0, { rttMs: 60_000 }))).toBe('implausible');
    expect(acc.add(sample(1, { bitrateKbps: 900_000 }))).toBe('implausible');
    expect(acc.add(sample(2, { packetLoss: 1.5 }))).toBe('implausible');
    expect(acc.add(sample(3, { rttMs: Number.NaN }))).toBe('implausible');
    expect(acc.add(sample(4, { iceRestarts: 2.5 }))).toBe('implausible');
    expect(acc.summary(T0 + 10_000)).toMatchObject({ samples: 0, rttMedianMs: null });
    expect(
      implausible({ rttMs: 80, packetLoss: 0.01, bitrateKbps: 800, iceState: 'connected' }),
    ).toBeNull();
  });

  it('counts failed transitions when the client does not report restarts', () => {
    const acc = new QualityAccumulator();
    acc.add(sample(0, { iceState: 'failed', level: 'lost' }));
    acc.add(sample(2, { iceState: 'failed', level: 'lost' }));
    acc.add(sample(4, { iceState: 'connected' }));
    acc.add(sample(6, { iceState: 'failed', level: 'lost' }));
    expect(acc.summary(T0 + 8_000).iceRestarts).toBe(2);
  });
});

describe('visitQuality', () => {
  const withSeconds = (good: number, fair: number, poor: number, lost: number) => {
    const acc = new QualityAccumulator({ maxGapMs: 1e9 });
    let t = 0;
    for (const [level, s] of [
      ['good', good],
      ['fair', fair],
      ['poor', poor],
      ['lost', lost],
    ] as const) {
      if (s === 0) continue;
      acc.add(sample(t, { level }));
      t += s;
    }
    return acc.summary(T0 + t * 1000);
  };
  it('poor when anyone spent a fifth of their time poor or lost', () => {
    expect(visitQuality([withSeconds(100, 0, 0, 0), withSeconds(80, 0, 10, 10)])).toBe('poor');
    expect(visitQuality([withSeconds(80, 0, 20, 0)])).toBe('poor');
    expect(visitQuality([withSeconds(81, 0, 19, 0)])).toBe('good');
    expect(visitQuality([withSeconds(79, 2, 19, 0)])).toBe('fair');
    expect(visitQuality([withSeconds(90, 10, 0, 0)])).toBe('good');
    expect(visitQuality([withSeconds(75, 25, 0, 0)])).toBe('fair');
    expect(visitQuality([])).toBe('unknown');
  });
});
