// DOM: call quality from `getStats()`, polled every 2 s, mapped to good / fair / poor / lost.
//
// Thresholds (QUALITY_THRESHOLDS), chosen from common practice rather than measured here:
// - RTT: ITU-T G.114 puts comfortable one-way delay under 150 ms and calls > 400 ms
//   unacceptable for conversation. RTT ≤ 300 ms (≈150 ms one way) is good, ≤ 600 ms fair,
//   above that poor.
// - Packet loss: Opus FEC and video NACK/FEC hide ~2 %; above ~8 % speech breaks up and video
//   freezes. ≤ 2 % good, ≤ 8 % fair, above poor.
// - Frame rate (only when the remote camera is on): < 15 fps fair, < 5 fps poor.
// - lost: ICE is failed / disconnected / closed, or no inbound byte arrived during the interval
//   (both apps always send RTP while in a call — a muted track still sends silence/black).
import type { QualityLevel, QualitySample } from './types.js';
import type { Clock } from './clock.js';
import { errorName, type Logger } from './logger.js';

export const QUALITY_THRESHOLDS = {
  good: { rttMs: 300, packetLoss: 0.02, fps: 15 },
  fair: { rttMs: 600, packetLoss: 0.08, fps: 5 },
} as const;

export interface QualityInputs {
  rttMs: number | null;
  packetLoss: number | null;
  /** Inbound bytes during the interval; null when unknown (first sample). */
  bytesReceived: number | null;
  framesPerSecond: number | null;
  iceState: RTCIceConnectionState;
  /** Whether the remote camera is supposed to be sending frames. */
  videoExpected: boolean;
}

/** Pure: the level for one interval's measurements. */
export function classifyQuality(i: QualityInputs): QualityLevel {
  if (i.iceState === 'failed' || i.iceState === 'disconnected' || i.iceState === 'closed')
    return 'lost';
  if (i.bytesReceived === 0) return 'lost';
  const { good, fair } = QUALITY_THRESHOLDS;
  const rtt = i.rttMs;
  const loss = i.packetLoss;
  const fps = i.videoExpected ? i.framesPerSecond : null;
  if (
    (rtt !== null && rtt > fair.rttMs) ||
    (loss !== null && loss > fair.packetLoss) ||
    (fps !== null && fps < fair.fps)
  )
    return 'poor';
  if (
    (rtt !== null && rtt > good.rttMs) ||
    (loss !== null && loss > good.packetLoss) ||
    (fps !== null && fps < good.fps)
  )
    return 'fair';
  return 'good';
}

/** Cumulative counters from one report (summed over inbound RTP streams). */
export interface StatsTotals {
  at: number;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number | null;
  framesPerSecond: number | null;
  rttMs: number | null;
  /** The selected pair's local candidate is a TURN relay; null when no pair is selected yet. */
  relay?: boolean | null;
  /** Loudest inbound audio (`audioLevel`, 0..1) and our microphone's (`media-source`). */
  audioLevel?: number | null;
  localAudioLevel?: number | null;
}

type Stat = Record<string, unknown> & { type: string; id: string };
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Pure: extracts totals from a stats report. `cameraMid` picks the camera's inbound video. */
export function readTotals(
  report: RTCStatsReport,
  at: number,
  cameraMid: string | null,
): StatsTotals {
  const all: Stat[] = [];
  report.forEach((s: unknown) => all.push(s as Stat));
  const byId = new Map(all.map((s) => [s.id, s]));
  let bytes = 0;
  let packets = 0;
  let lost = 0;
  let camera: Stat | undefined;
  let audioLevel: number | null = null;
  let localAudioLevel: number | null = null;
  for (const s of all) {
    if (s.type === 'media-source' && s.kind === 'audio' && num(s.audioLevel) !== null)
      localAudioLevel = Math.max(localAudioLevel ?? 0, num(s.audioLevel)!);
    if (s.type !== 'inbound-rtp') continue;
    if (s.kind === 'audio' && num(s.audioLevel) !== null)
      audioLevel = Math.max(audioLevel ?? 0, num(s.audioLevel)!);
    bytes += num(s.bytesReceived) ?? 0;
    packets += num(s.packetsReceived) ?? 0;
    lost += Math.max(0, num(s.packetsLost) ?? 0);
    if (s.kind === 'video' && (!camera || (cameraMid !== null && s.mid === cameraMid))) camera = s;
  }
  // RTT of the selected candidate pair (transport's pointer first; Firefox marks `selected`).
  let pair: Stat | undefined;
  for (const s of all)
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
      pair = byId.get(s.selectedCandidatePairId);
  pair ??= all.find(
    (s) =>
      s.type === 'candidate-pair' &&
      (s.selected === true || (s.nominated === true && s.state === 'succeeded')),
  );
  let rtt = num(pair?.currentRoundTripTime);
  if (rtt === null)
    for (const s of all)
      if (s.type === 'remote-inbound-rtp' && num(s.roundTripTime) !== null)
        rtt = num(s.roundTripTime);
  return {
    at,
    bytesReceived: bytes,
    packetsReceived: packets,
    packetsLost: lost,
    framesDecoded: camera ? num(camera.framesDecoded) : null,
    framesPerSecond: camera ? num(camera.framesPerSecond) : null,
    rttMs: rtt === null ? null : Math.round(rtt * 1000),
    relay: pair ? byId.get(String(pair.localCandidateId))?.candidateType === 'relay' : null,
    audioLevel,
    localAudioLevel,
  };
}

/** Pure: one interval's sample from two consecutive totals. */
export function sampleFrom(
  prev: StatsTotals | null,
  cur: StatsTotals,
  iceState: RTCIceConnectionState,
  videoExpected: boolean,
): QualitySample {
  const seconds = prev ? Math.max(0.001, (cur.at - prev.at) / 1000) : null;
  const bytes = prev ? Math.max(0, cur.bytesReceived - prev.bytesReceived) : null;
  const dPackets = prev ? Math.max(0, cur.packetsReceived - prev.packetsReceived) : 0;
  const dLost = prev ? Math.max(0, cur.packetsLost - prev.packetsLost) : 0;
  const packetLoss = prev && dPackets + dLost > 0 ? dLost / (dPackets + dLost) : null;
  const bitrateKbps = bytes !== null && seconds ? Math.round((bytes * 8) / seconds / 1000) : null;
  let fps = cur.framesPerSecond;
  if (fps === null && prev && seconds && cur.framesDecoded !== null && prev.framesDecoded !== null)
    fps = Math.max(0, cur.framesDecoded - prev.framesDecoded) / seconds;
  const level = classifyQuality({
    rttMs: cur.rttMs,
    packetLoss,
    bytesReceived: bytes,
    framesPerSecond: fps,
    iceState,
    videoExpected,
  });
  return {
    level,
    rttMs: cur.rttMs,
    packetLoss: packetLoss === null ? null : Math.round(packetLoss * 10_000) / 10_000,
    bitrateKbps,
    framesDecoded: cur.framesDecoded,
    framesPerSecond: fps === null ? null : Math.round(fps * 10) / 10,
    iceState,
    relay: cur.relay ?? null,
    audioLevel: cur.audioLevel ?? null,
    localAudioLevel: cur.localAudioLevel ?? null,
    at: cur.at,
  };
}

export interface QualityMonitorOptions {
  getStats(): Promise<RTCStatsReport>;
  iceState(): RTCIceConnectionState;
  videoExpected(): boolean;
  cameraMid(): string | null;
  clock: Clock;
  logger: Logger;
  /** One interval's sample, and the stats report it came from (for network adaptation). */
  onSample(sample: QualitySample, report: RTCStatsReport): void;
  intervalMs?: number;
}

export const QUALITY_INTERVAL_MS = 2000;

/** Polls getStats on an interval and reports one sample per interval. */
export class QualityMonitor {
  private readonly o: QualityMonitorOptions;
  private timer: unknown = null;
  private prev: StatsTotals | null = null;
  private busy = false;

  constructor(options: QualityMonitorOptions) {
    this.o = options;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = this.o.clock.setInterval(
      () => void this.poll(),
      this.o.intervalMs ?? QUALITY_INTERVAL_MS,
    );
  }

  async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const report = await this.o.getStats();
      if (this.timer === null) return;
      const cur = readTotals(report, this.o.clock.now(), this.o.cameraMid());
      const prev = this.prev;
      this.prev = cur;
      // The first report only sets the baseline for the deltas.
      if (prev)
        this.o.onSample(sampleFrom(prev, cur, this.o.iceState(), this.o.videoExpected()), report);
    } catch (err) {
      this.o.logger.debug('getStats failed', { error: errorName(err) });
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    if (this.timer !== null) this.o.clock.clearInterval(this.timer);
    this.timer = null;
    this.prev = null;
  }
}
