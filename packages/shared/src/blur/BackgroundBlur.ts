// DOM, framework-free: background blur as a `VideoFilter` for the call engine.
//
// Owns one pipeline per camera track (a device switch starts a new one and stops the old),
// measures it, and reports `too-slow` when this device cannot keep `minFps`: the owner then
// sends the plain camera again (`engine.setVideoFilter(null)`) and calls `stop()` — in that
// order, so the sender never carries an ended track.
import type { VideoFilter } from '../call/types.js';
import { type BlurStats, FrameMeter } from './meter.js';
import {
  availablePipeline,
  Compositor,
  type Effect,
  type Pipeline,
  type PipelineKind,
  startPipeline,
} from './pipeline.js';
import { loadSelfieSegmenter, type Segmenter, webGlAvailable } from './segmenter.js';

export type BlurStatus =
  | { kind: 'running'; pipeline: PipelineKind; stats: BlurStats | null }
  /** Turned itself off: the device could not keep `minFps`. */
  | { kind: 'too-slow'; pipeline: PipelineKind; stats: BlurStats | null; minFps: number }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped' };

export interface BackgroundBlurOptions {
  /** Where the app serves MediaPipe's files (absolute, or relative to the document). */
  assetBase: string;
  effect?: Effect;
  minFps?: number;
  /** Default: the best this browser has. */
  pipeline?: PipelineKind;
  onStatus?: (status: BlurStatus) => void;
  /** How often stats are published and the verdict taken. */
  checkEveryMs?: number;
  warmupMs?: number;
  windowMs?: number;
  /** For tests: a stand-in for MediaPipe. */
  segmenter?: Segmenter;
  /** A new mask every n-th frame (default 2; the benchmark compares with 1). */
  segmentEvery?: number;
}

/**
 * For end-to-end tests only: `sessionStorage['bedside:blur-min-fps']` replaces the frame-rate
 * floor of the next blur started in this tab. A heavily loaded 2-core test machine blurs fewer
 * than 15 frames a second, so with the real floor blur may turn itself off five seconds after
 * it starts; the pixel test lowers the floor to watch what blur sends, then removes it to see
 * the real guard act.
 * Only this tab's own blur is affected (docs/quality.md, "Frame-rate guard").
 */
export const MIN_FPS_OVERRIDE_KEY = 'bedside:blur-min-fps';

export function minFpsOverride(): number | undefined {
  let raw: string | null;
  try {
    raw = globalThis.sessionStorage?.getItem(MIN_FPS_OVERRIDE_KEY) ?? null;
  } catch {
    return undefined; // storage blocked (privacy settings): no override
  }
  if (raw === null) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 && n <= 240 ? n : undefined;
}

export class BlurUnavailableError extends Error {
  readonly code = 'not-supported';
  override readonly name = 'BlurUnavailableError';
}

export class BackgroundBlur implements VideoFilter {
  private current: { input: MediaStreamTrack; pipeline: Pipeline; meter: FrameMeter } | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private state: BlurStatus;
  private readonly now = () => performance.now();

  private constructor(
    private readonly o: BackgroundBlurOptions,
    private readonly kind: PipelineKind,
    private readonly segmenter: Segmenter | null,
  ) {
    this.state = { kind: 'running', pipeline: kind, stats: null };
  }

  /** Loads the model (from `assetBase`) and readies a pipeline; nothing runs until `apply`. */
  static async create(options: BackgroundBlurOptions): Promise<BackgroundBlur> {
    const kind = options.pipeline ?? availablePipeline();
    if (!kind) throw new BlurUnavailableError('this browser cannot process camera frames');
    const effect = options.effect ?? 'blur';
    const minFps = options.minFps ?? minFpsOverride();
    if (effect === 'blur' && !options.segmenter && !webGlAvailable())
      throw new BlurUnavailableError('this browser has no WebGL, which the segmentation needs');
    const segmenter =
      effect === 'none'
        ? null
        : (options.segmenter ?? (await loadSelfieSegmenter(options.assetBase)));
    return new BackgroundBlur(
      minFps === undefined ? options : { ...options, minFps },
      kind,
      segmenter,
    );
  }

  get status(): BlurStatus {
    return this.state;
  }

  get pipeline(): PipelineKind {
    return this.kind;
  }

  apply(camera: MediaStreamTrack): MediaStreamTrack {
    if (this.current?.input === camera) return this.current.pipeline.output;
    if (this.state.kind === 'stopped' || this.state.kind === 'failed') return camera;
    this.stopPipeline();
    const meter = new FrameMeter(this.now, {
      ...(this.o.minFps !== undefined ? { minFps: this.o.minFps } : {}),
      ...(this.o.warmupMs !== undefined ? { warmupMs: this.o.warmupMs } : {}),
      ...(this.o.windowMs !== undefined ? { windowMs: this.o.windowMs } : {}),
    });
    const pipeline = startPipeline(this.kind, camera, {
      compositor: new Compositor(this.segmenter, this.o.effect ?? 'blur', {
        ...(this.o.segmentEvery !== undefined ? { segmentEvery: this.o.segmentEvery } : {}),
      }),
      meter,
      now: this.now,
      onError: (err) => this.fail(err),
    });
    this.current = { input: camera, pipeline, meter };
    this.timer = setInterval(() => this.check(), this.o.checkEveryMs ?? 1000);
    return pipeline.output;
  }

  /** Stats of the running pipeline, if any. */
  stats(): BlurStats | null {
    return this.current?.meter.stats() ?? null;
  }

  stop(): void {
    this.stopPipeline();
    if (this.state.kind !== 'stopped') this.publish({ kind: 'stopped' });
    void this.segmenter?.close().catch(() => undefined);
  }

  private check(): void {
    const c = this.current;
    if (!c || this.state.kind !== 'running') return;
    // A hidden page throttles timers and frames; that says nothing about the device.
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') {
      c.meter.restart();
      return;
    }
    const stats = c.meter.stats();
    if (c.meter.verdict(c.input.getSettings().frameRate ?? null) === 'too-slow')
      this.publish({ kind: 'too-slow', pipeline: this.kind, stats, minFps: c.meter.minFps });
    else this.publish({ kind: 'running', pipeline: this.kind, stats });
  }

  private fail(err: unknown): void {
    if (this.state.kind === 'stopped') return;
    this.publish({ kind: 'failed', message: err instanceof Error ? err.name : 'error' });
  }

  private publish(status: BlurStatus): void {
    this.state = status;
    this.o.onStatus?.(status);
  }

  private stopPipeline(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.current?.pipeline.stop();
    this.current = null;
  }
}
