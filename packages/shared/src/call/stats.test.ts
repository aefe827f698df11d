import { describe, expect, it } from 'vitest';
import { silentLogger } from './logger.js';
import {
  QUALITY_THRESHOLDS,
  type QualityInputs,
  QualityMonitor,
  classifyQuality,
  readTotals,
  sampleFrom,
} from './stats.js';
import { ManualClock } from './testing/ManualClock.js';
import { settle } from './testing/wait.js';
import type { QualitySample } from './types.js';

const base: QualityInputs = {
  rttMs: 40,
  packetLoss: 0,
  bytesReceived: 250_000,
  framesPerSecond: 30,
  iceState: 'connected',
  videoExpected: true,
};
const level = (o: Partial<QualityInputs>) => classifyQuality({ ...base, ...o });

describe('classifyQuality', () => {
  it('is good on a healthy link, and with unknown measurements', () => {
    expect(level({})).toBe('good');
    expect(
      level({ rttMs: null, packetLoss: null, bytesReceived: null, framesPerSecond: null }),
    ).toBe('good');
    expect(level({ iceState: 'completed' })).toBe('good');
  });

  it('maps RTT at the documented edges', () => {
    expect(level({ rttMs: QUALITY_THRESHOLDS.good.rttMs })).toBe('good');
    expect(level({ rttMs: QUALITY_THRESHOLDS.good.rttMs + 1 })).toBe('fair');
    expect(level({ rttMs: QUALITY_THRESHOLDS.fair.rttMs })).toBe('fair');
    expect(level({ rttMs: QUALITY_THRESHOLDS.fair.rttMs + 1 })).toBe('poor');
  });

  it('maps packet loss at the documented edges', () => {
    expect(level({ packetLoss: 0.02 })).toBe('good');
    expect(level({ packetLoss: 0.021 })).toBe('fair');
    expect(level({ packetLoss: 0.08 })).toBe('fair');
    expect(level({ packetLoss: 0.081 })).toBe('poor');
  });

  it('counts frame rate only while the remote camera is on', () => {
    expect(level({ framesPerSecond: 14 })).toBe('fair');
    expect(level({ framesPerSecond: 4 })).toBe('poor');
    expect(level({ framesPerSecond: 1, videoExpected: false })).toBe('good');
  });

  it('is lost without inbound bytes or with ICE down', () => {
    expect(level({ bytesReceived: 0 })).toBe('lost');
    expect(level({ iceState: 'failed' })).toBe('lost');
    expect(level({ iceState: 'disconnected' })).toBe('lost');
    expect(level({ iceState: 'closed', rttMs: 10 })).toBe('lost');
  });

  it('takes the worst of the measurements', () => {
    expect(level({ rttMs: 350, packetLoss: 0.2 })).toBe('poor');
    expect(level({ rttMs: 700, packetLoss: 0 })).toBe('poor');
  });
});

const report = (entries: Array<Record<string, unknown>>) =>
  new Map(entries.map((e) => [String(e.id), e])) as unknown as RTCStatsReport;

function chromeLike(at: {
  bytes: number;
  packets: number;
  lost: number;
  frames: number;
  rtt: number;
}) {
  return report([
    { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
    {
      id: 'CP1',
      type: 'candidate-pair',
      currentRoundTripTime: at.rtt,
      state: 'succeeded',
      nominated: true,
    },
    { id: 'CP2', type: 'candidate-pair', currentRoundTripTime: 9, state: 'failed' },
    {
      id: 'IA',
      type: 'inbound-rtp',
      kind: 'audio',
      mid: '0',
      bytesReceived: at.bytes / 5,
      packetsReceived: at.packets / 2,
      packetsLost: at.lost,
    },
    {
      id: 'IV',
      type: 'inbound-rtp',
      kind: 'video',
      mid: '1',
      bytesReceived: (at.bytes * 4) / 5,
      packetsReceived: at.packets / 2,
      packetsLost: 0,
      framesDecoded: at.frames,
    },
    {
      id: 'IS',
      type: 'inbound-rtp',
      kind: 'video',
      mid: '2',
      bytesReceived: 0,
      packetsReceived: 0,
      packetsLost: 0,
      framesDecoded: 3,
    },
  ]);
}

describe('readTotals / sampleFrom', () => {
  it("tells a TURN relay from the selected pair's local candidate", () => {
    const withLocal = (candidateType: string) =>
      readTotals(
        report([
          { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
          { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', currentRoundTripTime: 0.05 },
          { id: 'L1', type: 'local-candidate', candidateType },
        ]),
        0,
        null,
      );
    expect(withLocal('relay').relay).toBe(true);
    expect(withLocal('host').relay).toBe(false);
    expect(withLocal('srflx').relay).toBe(false);
    expect(readTotals(report([]), 0, null).relay).toBeNull();
    const a = withLocal('relay');
    expect(sampleFrom(a, { ...a, at: 2000 }, 'connected', false).relay).toBe(true);
  });

  it('computes RTT, interval loss, bitrate and fps from two reports', () => {
    const a = readTotals(
      chromeLike({ bytes: 100_000, packets: 1000, lost: 0, frames: 100, rtt: 0.05 }),
      0,
      '1',
    );
    const b = readTotals(
      chromeLike({ bytes: 600_000, packets: 1900, lost: 100, frames: 160, rtt: 0.12 }),
      2000,
      '1',
    );
    expect(b.rttMs).toBe(120);
    expect(b.framesDecoded).toBe(160); // the camera (mid 1), not the screen share
    const s = sampleFrom(a, b, 'connected', true);
    expect(s.packetLoss).toBeCloseTo(100 / 1000, 4); // 900 received + 100 lost in the interval
    expect(s.bitrateKbps).toBe(2000); // 500 kB in 2 s
    expect(s.framesPerSecond).toBe(30);
    expect(s.level).toBe('poor'); // 10 % loss
  });

  it('reports lost when nothing arrived during the interval', () => {
    const t = { bytes: 100_000, packets: 1000, lost: 0, frames: 100, rtt: 0.05 };
    const a = readTotals(chromeLike(t), 0, '1');
    const b = readTotals(chromeLike(t), 2000, '1');
    expect(sampleFrom(a, b, 'connected', true).level).toBe('lost');
  });
});

describe('QualityMonitor', () => {
  it('samples every interval after a baseline, and stops', async () => {
    const clock = new ManualClock();
    let bytes = 0;
    const samples: QualitySample[] = [];
    const m = new QualityMonitor({
      getStats: () => {
        bytes += 50_000;
        return Promise.resolve(
          report([
            {
              id: 'I',
              type: 'inbound-rtp',
              kind: 'audio',
              bytesReceived: bytes,
              packetsReceived: bytes / 100,
              packetsLost: 0,
            },
          ]),
        );
      },
      iceState: () => 'connected',
      videoExpected: () => false,
      cameraMid: () => null,
      clock,
      logger: silentLogger,
      onSample: (s) => samples.push(s),
    });
    m.start();
    clock.advance(2000);
    await settle(5);
    expect(samples).toHaveLength(0);
    clock.advance(2000);
    await settle(5);
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({
      level: 'good',
      bitrateKbps: 200,
      packetLoss: 0,
      iceState: 'connected',
    });
    m.stop();
    clock.advance(10_000);
    await settle(5);
    expect(samples).toHaveLength(1);
  });
});
