// DOM: video that steps down on a bad network so audio stays intelligible — one peer
// connection's video sender at a time (a call with several peers keeps one state per peer).
//
// Every quality interval (stats.ts) the sender's side of the link is measured from the same
// stats report: the browser's bandwidth estimate for the selected candidate pair
// (`availableOutgoingBitrate`, Chrome/Safari) and the loss the peer reports for what we send
// (`remote-inbound-rtp.fractionLost`), plus the loss we see inbound. Those pick a step:
//
//   full      ≥ 700 kbit/s, loss ≤ 8 %   no limit (the browser's own congestion control)
//   reduced   ≥ 350 kbit/s               video ≤ 500 kbit/s, resolution ÷ 1.5
//   low       ≥ 150 kbit/s               video ≤ 150 kbit/s, resolution ÷ 4
//   floor     below, or loss > 20 %      video ≤ 60 kbit/s, resolution ÷ 4, audio-only offered
//
// Loss over 8 % costs one step. Opus needs ~30–40 kbit/s, so at the floor video keeps only a
// trickle and the UI offers audio-only (CallEngine.setAudioOnly) — the person chooses.
// Down at once, up one step after UP_AFTER good intervals in a row (no flapping on a link that
// recovers for a moment) — good meaning the estimate calls for more, or the link is clean with
// headroom over the current limit (the browser only probes for more once the limit is raised);
// an up that does not hold doubles the wait before the next try. The numbers follow common WebRTC practice (Chrome's own ladder
// for 720p ↔ 180p at these rates), not measurements here; docs/networks.md has the figures.

export type VideoStep = 'full' | 'reduced' | 'low' | 'floor';

export const VIDEO_STEPS: Record<
  VideoStep,
  { minKbps: number; maxBitrate: number | null; scaleResolutionDownBy: number }
> = {
  full: { minKbps: 700, maxBitrate: null, scaleResolutionDownBy: 1 },
  reduced: { minKbps: 350, maxBitrate: 500_000, scaleResolutionDownBy: 1.5 },
  low: { minKbps: 150, maxBitrate: 150_000, scaleResolutionDownBy: 4 },
  floor: { minKbps: 0, maxBitrate: 60_000, scaleResolutionDownBy: 4 },
};
const ORDER: VideoStep[] = ['full', 'reduced', 'low', 'floor'];
export const LOSS_STEP_DOWN = 0.08;
export const LOSS_FLOOR = 0.2;
/** Good intervals in a row before one step up. */
export const UP_AFTER = 3;

export interface LinkMeasure {
  /** The browser's estimate of what we can send, kbit/s; null when it gives none (Firefox). */
  availableKbps: number | null;
  /** Worst of the loss the peer reports for our stream and the loss we see inbound (0..1). */
  loss: number | null;
}

export interface AdaptationState {
  step: VideoStep;
  /** Consecutive intervals that measured better than `step`. */
  better: number;
  /** Good intervals needed before the next step up (doubles after an up that did not hold). */
  upAfter: number;
  /** The last change was a step up (so a step down right after means the probe failed). */
  lastUp: boolean;
}

export const initialAdaptation: AdaptationState = {
  step: 'full',
  better: 0,
  upAfter: UP_AFTER,
  lastUp: false,
};
/** Audio's share of the link, kbit/s (Opus at speech rates plus packet overhead). */
const AUDIO_KBPS = 40;
/** Loss low enough to try a step up. */
export const LOSS_GOOD = 0.02;
const MAX_UP_AFTER = 8 * UP_AFTER;

/** Pure: the step one interval's measurement calls for, before hysteresis. */
export function stepFor(m: LinkMeasure): VideoStep {
  if (m.loss !== null && m.loss > LOSS_FLOOR) return 'floor';
  let i = 0;
  if (m.availableKbps !== null)
    i = ORDER.findIndex((s) => m.availableKbps! >= VIDEO_STEPS[s].minKbps);
  if (m.loss !== null && m.loss > LOSS_STEP_DOWN) i = Math.min(ORDER.length - 1, i + 1);
  return ORDER[i]!;
}

/**
 * Whether the link has room above what `step` lets us send. The browser's estimate never grows
 * far past what is actually sent (it stays near 1.5× the acknowledged rate), so once video is
 * limited the estimate alone would never call for more: a clean link with headroom over the
 * current limit is reason to try the next step, whose higher limit makes the browser probe.
 */
const roomAbove = (step: VideoStep, m: LinkMeasure): boolean => {
  const limit = VIDEO_STEPS[step].maxBitrate;
  if (limit === null || m.availableKbps === null) return false;
  return (m.loss ?? 0) <= LOSS_GOOD && m.availableKbps >= 1.25 * (limit / 1000 + AUDIO_KBPS);
};

/**
 * Pure: the next state — down at once; up one step after `upAfter` better intervals in a row.
 * A step up that is followed straight away by a step down doubles `upAfter` (a link that
 * cannot carry more is not probed every few seconds); reaching full resets it.
 */
export function nextAdaptation(prev: AdaptationState, m: LinkMeasure): AdaptationState {
  const want = ORDER.indexOf(stepFor(m));
  const cur = ORDER.indexOf(prev.step);
  if (want > cur) {
    const upAfter = prev.lastUp ? Math.min(MAX_UP_AFTER, prev.upAfter * 2) : prev.upAfter;
    return { step: ORDER[want]!, better: 0, upAfter, lastUp: false };
  }
  if (want === cur && !roomAbove(prev.step, m)) return { ...prev, better: 0 };
  const better = prev.better + 1;
  if (better < prev.upAfter) return { ...prev, better };
  const step = ORDER[cur - 1]!;
  return {
    step,
    better: 0,
    upAfter: step === 'full' ? UP_AFTER : prev.upAfter,
    lastUp: step !== 'full',
  };
}

type Stat = Record<string, unknown> & { type: string; id: string };
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Pure: the sending side's measurement from a stats report (and the inbound loss). */
export function measureLink(report: RTCStatsReport, inboundLoss: number | null): LinkMeasure {
  const all: Stat[] = [];
  report.forEach((s: unknown) => all.push(s as Stat));
  const byId = new Map(all.map((s) => [s.id, s]));
  let pair: Stat | undefined;
  for (const s of all)
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
      pair = byId.get(s.selectedCandidatePairId);
  pair ??= all.find((s) => s.type === 'candidate-pair' && s.selected === true);
  const available = num(pair?.availableOutgoingBitrate);
  let loss = inboundLoss;
  for (const s of all)
    if (s.type === 'remote-inbound-rtp') {
      const f = num(s.fractionLost);
      if (f !== null) loss = Math.max(loss ?? 0, f);
    }
  return { availableKbps: available === null ? null : Math.round(available / 1000), loss };
}

/**
 * The camera's bitrate limit for a step combined with another cap (the mesh's share of the
 * send budget): the lower of the two; null when neither limits.
 */
export function combinedMaxBitrate(step: VideoStep, otherCap: number | null): number | null {
  const own = VIDEO_STEPS[step].maxBitrate;
  if (own === null) return otherCap;
  return otherCap === null ? own : Math.min(own, otherCap);
}

/**
 * Applies a step's resolution to a video sender (every encoding). The bitrate limit goes
 * through the session's `setVideoMaxBitrate` with `combinedMaxBitrate`. Resolves false if the
 * browser refused (e.g. a renegotiation invalidated the parameters: the next interval retries).
 */
export async function applyVideoScale(sender: RTCRtpSender, step: VideoStep): Promise<boolean> {
  const params = sender.getParameters();
  if (!params.encodings || params.encodings.length === 0) return false;
  const scale = VIDEO_STEPS[step].scaleResolutionDownBy;
  if (params.encodings.every((e) => (e.scaleResolutionDownBy ?? 1) === scale)) return true;
  for (const e of params.encodings) e.scaleResolutionDownBy = scale;
  try {
    await sender.setParameters(params);
    return true;
  } catch {
    return false;
  }
}

/** What the UI shows: the step, and whether to offer audio-only. */
export interface NetworkAdaptation {
  step: VideoStep;
  suggestAudioOnly: boolean;
  /** The sending-side estimate behind the step, kbit/s (null when the browser gives none). */
  availableKbps: number | null;
}

/** The level the quality indicator shows at least, while video is held down by the network. */
export const STEP_LEVEL: Record<VideoStep, 'good' | 'fair' | 'poor'> = {
  full: 'good',
  reduced: 'fair',
  low: 'poor',
  floor: 'poor',
};
