// Pure: frame rate and time per frame of the blur pipeline, over a sliding window, and the
// verdict on whether this device keeps up. Times are milliseconds from an injected clock.
//
// "Keeps up" means two things, both measured after a warm-up (the first frames pay for shader
// compilation and model upload):
// - capacity: 1000 / mean time per frame — how many frames per second this device could blur
//   if the camera sent them. Below `minFps` the device is too slow, whatever the camera does.
// - delivered: frames actually blurred per second. Below `minFps` while the camera itself sends
//   at least `minFps`, frames are being dropped (a busy main thread, a throttled GPU).

export interface MeterOptions {
  /** 15 by default: below it motion looks jerky and lips stop matching the voice. */
  minFps?: number;
  windowMs?: number;
  warmupMs?: number;
}

export interface BlurStats {
  /** Frames blurred per second over the window. */
  fps: number;
  /** Mean time from a camera frame in to the blurred frame out. */
  frameMs: number;
  /** 1000 / frameMs. */
  capacityFps: number;
  /** Frames blurred since the start. */
  frames: number;
}

export type MeterVerdict = 'measuring' | 'ok' | 'too-slow';

export class FrameMeter {
  readonly minFps: number;
  private readonly windowMs: number;
  private readonly warmupMs: number;
  /** End time and duration of each frame inside the window. */
  private readonly recent: Array<{ end: number; ms: number }> = [];
  private startedAt: number;
  private total = 0;

  constructor(
    private readonly now: () => number,
    options: MeterOptions = {},
  ) {
    this.minFps = options.minFps ?? 15;
    this.windowMs = options.windowMs ?? 3000;
    this.warmupMs = options.warmupMs ?? 2000;
    this.startedAt = now();
  }

  /** One frame processed from `startedAt` to now. */
  frame(startedAt: number): void {
    const end = this.now();
    this.total++;
    this.recent.push({ end, ms: Math.max(0, end - startedAt) });
    this.trim(end);
  }

  /** Forget the window (the page was hidden: timers and frames are throttled, not slow). */
  restart(): void {
    this.recent.length = 0;
    this.startedAt = this.now();
  }

  stats(): BlurStats | null {
    const now = this.now();
    this.trim(now);
    if (this.recent.length === 0) return null;
    const span = Math.min(this.windowMs, Math.max(1, now - this.startedAt));
    const frameMs = this.recent.reduce((sum, f) => sum + f.ms, 0) / this.recent.length;
    return {
      fps: (this.recent.length * 1000) / span,
      frameMs,
      capacityFps: frameMs > 0 ? 1000 / frameMs : Infinity,
      frames: this.total,
    };
  }

  /** `sourceFps`: what the camera says it sends (`getSettings().frameRate`), if known. */
  verdict(sourceFps: number | null): MeterVerdict {
    const now = this.now();
    if (now - this.startedAt < this.warmupMs + this.windowMs) return 'measuring';
    const s = this.stats();
    // Nothing blurred in a whole window: the pipeline is stuck, which is not keeping up either.
    if (!s) return 'too-slow';
    if (s.capacityFps < this.minFps) return 'too-slow';
    if (s.fps < this.minFps && (sourceFps ?? Infinity) >= this.minFps) return 'too-slow';
    return 'ok';
  }

  private trim(now: number): void {
    while (this.recent.length > 0 && now - this.recent[0]!.end > this.windowMs) this.recent.shift();
  }
}
