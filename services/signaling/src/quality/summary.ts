// Pure: a per-participant call-quality summary from the clients' `call-quality` reports. No I/O;
// every time is passed in (milliseconds since the epoch, the service's clock).
//
// Rules (the report and its tests follow these):
// - A sample is accepted only if plausible (see `implausible`); a rejected one changes nothing.
// - Reports closer together than `minIntervalMs` are dropped (a client cannot weigh its figures
//   by flooding); clients report every 2–5 s.
// - Seconds in each level: the time from one accepted sample to the next is the earlier sample's
//   level, each span capped at `maxGapMs` (a longer silence is unknown, not "good"); the last
//   sample counts until the summary's end time, capped the same way. Whole seconds, rounded down
//   at the end only.
// - Median: the middle value, or the mean of the two middle ones. p95: nearest rank
//   (the ceil(0.95·n)-th smallest). Null when there was no value.
// - ICE restarts: the highest cumulative `iceRestarts` a client reported; a client that sends
//   none is counted by its transitions into `failed`.
// - Relay: true if any accepted sample said the selected candidate pair was relayed (TURN).

export type QualityLevel = 'good' | 'fair' | 'poor' | 'lost';
export const QUALITY_LEVELS: readonly QualityLevel[] = ['good', 'fair', 'poor', 'lost'];

export interface QualitySample {
  at: number;
  rttMs: number | null;
  packetLoss: number | null;
  bitrateKbps: number | null;
  iceState: string;
  level?: QualityLevel | undefined;
  relay?: boolean | undefined;
  iceRestarts?: number | undefined;
}

export interface QualitySummary {
  samples: number;
  rttMedianMs: number | null;
  rttP95Ms: number | null;
  packetLossMedian: number | null;
  packetLossP95: number | null;
  bitrateMedianKbps: number | null;
  secondsByLevel: Record<QualityLevel, number>;
  iceRestarts: number;
  relayUsed: boolean;
}

export interface AccumulatorOptions {
  minIntervalMs?: number;
  maxGapMs?: number;
  /** Bound on memory per participant: past it, new samples still count time but not values. */
  maxSamples?: number;
}

/** Limits beyond which a figure is not a measurement but a bug or a lie. */
export const PLAUSIBLE = { rttMs: 10_000, bitrateKbps: 50_000, iceRestarts: 1_000 } as const;

/** Why a sample is implausible, or null when it is fine. */
export function implausible(sample: Omit<QualitySample, 'at'>): string | null {
  const { rttMs, packetLoss, bitrateKbps, iceRestarts } = sample;
  const bad = (v: number | null | undefined, max: number) =>
    v !== null && v !== undefined && (!Number.isFinite(v) || v < 0 || v > max);
  if (bad(rttMs, PLAUSIBLE.rttMs)) return `rttMs must be between 0 and ${PLAUSIBLE.rttMs}`;
  if (bad(packetLoss, 1)) return 'packetLoss must be a fraction between 0 and 1';
  if (bad(bitrateKbps, PLAUSIBLE.bitrateKbps))
    return `bitrateKbps must be between 0 and ${PLAUSIBLE.bitrateKbps}`;
  if (
    bad(iceRestarts, PLAUSIBLE.iceRestarts) ||
    (iceRestarts !== undefined && !Number.isInteger(iceRestarts))
  )
    return 'iceRestarts must be a whole number';
  return null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}

export class QualityAccumulator {
  private readonly rtt: number[] = [];
  private readonly loss: number[] = [];
  private readonly bitrate: number[] = [];
  private readonly ms: Record<QualityLevel, number> = { good: 0, fair: 0, poor: 0, lost: 0 };
  private last: { at: number; level: QualityLevel | null } | null = null;
  private accepted = 0;
  private reportedRestarts: number | null = null;
  private failedTransitions = 0;
  private lastIceState: string | null = null;
  private relay = false;
  private readonly minIntervalMs: number;
  private readonly maxGapMs: number;
  private readonly maxSamples: number;

  constructor(options: AccumulatorOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 1_000;
    // 1.5× the engine's 10 s report interval: one late report is not a silence.
    this.maxGapMs = options.maxGapMs ?? 15_000;
    this.maxSamples = options.maxSamples ?? 7_200;
  }

  /** 'accepted', or why the sample was left out. */
  add(sample: QualitySample): 'accepted' | 'too-soon' | 'implausible' {
    if (implausible(sample)) return 'implausible';
    if (this.last && sample.at - this.last.at < this.minIntervalMs) return 'too-soon';
    this.closeSpan(sample.at);
    this.last = { at: sample.at, level: sample.level ?? null };
    this.accepted++;
    if (this.rtt.length + this.loss.length + this.bitrate.length < 3 * this.maxSamples) {
      if (sample.rttMs !== null) this.rtt.push(sample.rttMs);
      if (sample.packetLoss !== null) this.loss.push(sample.packetLoss);
      if (sample.bitrateKbps !== null) this.bitrate.push(sample.bitrateKbps);
    }
    if (sample.iceRestarts !== undefined)
      this.reportedRestarts = Math.max(this.reportedRestarts ?? 0, sample.iceRestarts);
    if (sample.iceState === 'failed' && this.lastIceState !== 'failed') this.failedTransitions++;
    this.lastIceState = sample.iceState;
    if (sample.relay) this.relay = true;
    return 'accepted';
  }

  get sampleCount(): number {
    return this.accepted;
  }

  /** The summary as of `endAt` (the participant left, or the visit ended). */
  summary(endAt: number): QualitySummary {
    const ms = { ...this.ms };
    this.addSpan(ms, endAt);
    const seconds = Object.fromEntries(
      QUALITY_LEVELS.map((l) => [l, Math.floor(ms[l] / 1000)]),
    ) as Record<QualityLevel, number>;
    return {
      samples: this.accepted,
      rttMedianMs: median(this.rtt),
      rttP95Ms: percentile(this.rtt, 0.95),
      packetLossMedian: median(this.loss),
      packetLossP95: percentile(this.loss, 0.95),
      bitrateMedianKbps: median(this.bitrate),
      secondsByLevel: seconds,
      iceRestarts: this.reportedRestarts ?? this.failedTransitions,
      relayUsed: this.relay,
    };
  }

  private closeSpan(at: number): void {
    this.addSpan(this.ms, at);
  }

  /** Credits the last sample's level with the time until `at`, capped at `maxGapMs`. */
  private addSpan(into: Record<QualityLevel, number>, at: number): void {
    if (!this.last?.level) return;
    into[this.last.level] += Math.min(Math.max(0, at - this.last.at), this.maxGapMs);
  }
}

export type VisitQuality = 'good' | 'fair' | 'poor' | 'unknown';

/**
 * One word for a visit, from its participants' summaries: `poor` when anyone spent at least 20 %
 * of their measured time poor or lost (a fifth of a visit is enough to make it one a patient
 * complains about), else `fair` when anyone spent 20 % fair or worse, else `good`; `unknown` with
 * no measured time at all.
 */
export function visitQuality(summaries: readonly QualitySummary[]): VisitQuality {
  let measured = false;
  let result: VisitQuality = 'good';
  for (const s of summaries) {
    const { good, fair, poor, lost } = s.secondsByLevel;
    const total = good + fair + poor + lost;
    if (total === 0) continue;
    measured = true;
    if ((poor + lost) / total >= 0.2) return 'poor';
    if ((fair + poor + lost) / total >= 0.2) result = 'fair';
  }
  return measured ? result : 'unknown';
}
