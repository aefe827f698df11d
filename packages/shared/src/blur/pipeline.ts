// DOM: the frame pipeline that turns a camera track into a blurred one.
//
// Where the browser has insertable streams (`MediaStreamTrackProcessor` /
// `MediaStreamTrackGenerator`: Chromium and Electron) each camera frame is read as a VideoFrame,
// drawn, segmented, composited and written out as a new VideoFrame with the same timestamp.
// Elsewhere (Firefox, Safari) the camera plays in a detached <video>, each new picture is
// composited on a canvas, and the canvas is captured (`captureStream`). Both produce an ordinary
// MediaStreamTrack that an RTCRtpSender can carry.
import type { FrameMeter } from './meter.js';
import type { Segmenter } from './segmenter.js';

export type PipelineKind = 'insertable-streams' | 'canvas';
/** `none` copies frames through the same pipeline unchanged: the benchmark's baseline. */
export type Effect = 'blur' | 'none';

// Not yet in TypeScript's DOM library (Chromium-only APIs).
interface TrackProcessorCtor {
  new (init: { track: MediaStreamTrack; maxBufferSize?: number }): {
    readable: ReadableStream<VideoFrame>;
  };
}
interface TrackGeneratorCtor {
  new (init: { kind: 'video' }): MediaStreamTrack & { writable: WritableStream<VideoFrame> };
}
const g = globalThis as typeof globalThis & {
  MediaStreamTrackProcessor?: TrackProcessorCtor;
  MediaStreamTrackGenerator?: TrackGeneratorCtor;
};

export function availablePipeline(): PipelineKind | null {
  if (
    typeof g.MediaStreamTrackProcessor === 'function' &&
    typeof g.MediaStreamTrackGenerator === 'function' &&
    typeof VideoFrame === 'function'
  )
    return 'insertable-streams';
  if (typeof HTMLCanvasElement === 'function' && 'captureStream' in HTMLCanvasElement.prototype)
    return 'canvas';
  return null;
}

/**
 * Width of the picture handed to the segmenter. The landscape model's own input is 256×144, so
 * a full camera picture was only scaled down inside MediaPipe, after being uploaded whole; the
 * mask is as good from a 256-wide picture (its edge is soft anyway), and is scaled up here.
 */
export const SEGMENT_WIDTH = 256;
/**
 * The background is blurred at a quarter of the picture's size and scaled up: a blur radius of
 * r on the small picture looks like 4r on the full one, for a sixteenth of the filter's work.
 */
export const BLUR_SCALE = 4;
/** By default a new mask every second frame; the frame between reuses the last one. */
export const DEFAULT_SEGMENT_EVERY = 2;

export interface CompositorOptions {
  /**
   * Segment every n-th frame (1: every frame) and composite the frames between with the last
   * mask. The person moves little in one frame (33 ms at 30 fps), and segmentation is most of
   * the cost of a blurred frame.
   */
  segmentEvery?: number;
}

function canvas2d(): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const c = document.createElement('canvas');
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('2D canvas is not available');
  return [c, ctx];
}

function fit(c: HTMLCanvasElement, width: number, height: number): void {
  if (c.width !== width) c.width = width;
  if (c.height !== height) c.height = height;
}

/** Draws one camera picture with the background blurred (or unchanged for `none`). */
export class Compositor {
  readonly output: HTMLCanvasElement;
  private readonly outCtx: CanvasRenderingContext2D;
  /** The picture the segmenter gets: SEGMENT_WIDTH wide. */
  private readonly small: HTMLCanvasElement;
  private readonly smallCtx: CanvasRenderingContext2D;
  /** The last person mask, at the small picture's size (MediaPipe's own is valid only briefly). */
  private readonly mask: HTMLCanvasElement;
  private readonly maskCtx: CanvasRenderingContext2D;
  /** The blurred background, at 1 / BLUR_SCALE of the picture's size. */
  private readonly back: HTMLCanvasElement;
  private readonly backCtx: CanvasRenderingContext2D;
  private readonly segmentEvery: number;
  private sinceMask = Infinity;

  constructor(
    private readonly segmenter: Segmenter | null,
    private readonly effect: Effect,
    options: CompositorOptions = {},
  ) {
    [this.output, this.outCtx] = canvas2d();
    [this.small, this.smallCtx] = canvas2d();
    [this.mask, this.maskCtx] = canvas2d();
    [this.back, this.backCtx] = canvas2d();
    this.segmentEvery = Math.max(1, Math.round(options.segmentEvery ?? DEFAULT_SEGMENT_EVERY));
  }

  async render(source: CanvasImageSource, width: number, height: number): Promise<void> {
    fit(this.output, width, height);
    const out = this.outCtx;
    if (this.effect === 'none' || !this.segmenter) {
      out.drawImage(source, 0, 0, width, height);
      return;
    }
    const sw = Math.min(SEGMENT_WIDTH, width);
    const sh = Math.max(1, Math.round((height * sw) / width));
    if (this.sinceMask >= this.segmentEvery || this.mask.width !== sw || this.mask.height !== sh) {
      fit(this.small, sw, sh);
      this.smallCtx.drawImage(source, 0, 0, sw, sh);
      await this.segmenter.segment(this.small, (mask) => {
        fit(this.mask, sw, sh);
        this.maskCtx.globalCompositeOperation = 'copy';
        this.maskCtx.drawImage(mask, 0, 0, sw, sh);
      });
      this.sinceMask = 0;
    }
    this.sinceMask++;

    // About 16 px on a 640-wide picture: faces and text behind the patient become unreadable.
    const radius = Math.max(4, Math.round(width / 40));
    const bw = Math.max(1, Math.ceil(width / BLUR_SCALE));
    const bh = Math.max(1, Math.ceil(height / BLUR_SCALE));
    fit(this.back, bw, bh);
    this.backCtx.filter = `blur(${Math.max(1, radius / BLUR_SCALE)}px)`;
    this.backCtx.drawImage(source, 0, 0, bw, bh);

    out.save();
    out.globalCompositeOperation = 'copy';
    out.drawImage(this.mask, 0, 0, width, height);
    // The person: the sharp picture where the mask is opaque.
    out.globalCompositeOperation = 'source-in';
    out.drawImage(source, 0, 0, width, height);
    // Everything else: the blurred picture behind it.
    out.globalCompositeOperation = 'destination-over';
    out.drawImage(this.back, 0, 0, width, height);
    out.restore();
  }
}

export interface Pipeline {
  readonly kind: PipelineKind;
  readonly output: MediaStreamTrack;
  stop(): void;
}

interface PipelineDeps {
  compositor: Compositor;
  meter: FrameMeter;
  now: () => number;
  onError: (err: unknown) => void;
}

export function startPipeline(
  kind: PipelineKind,
  input: MediaStreamTrack,
  deps: PipelineDeps,
): Pipeline {
  return kind === 'insertable-streams'
    ? insertableStreams(input, deps)
    : canvasPipeline(input, deps);
}

function insertableStreams(input: MediaStreamTrack, d: PipelineDeps): Pipeline {
  // Only the newest frame waits: when blurring is slower than the camera, old frames are dropped
  // rather than queued (a queue would add latency and never catch up).
  const processor = new g.MediaStreamTrackProcessor!({ track: input, maxBufferSize: 1 });
  const generator = new g.MediaStreamTrackGenerator!({ kind: 'video' });
  const abort = new AbortController();
  const transform = new TransformStream<VideoFrame, VideoFrame>({
    transform: async (frame, controller) => {
      const startedAt = d.now();
      try {
        await d.compositor.render(frame, frame.displayWidth, frame.displayHeight);
        const timestamp = frame.timestamp;
        const duration = frame.duration ?? undefined;
        controller.enqueue(
          new VideoFrame(d.compositor.output, {
            timestamp,
            ...(duration !== undefined ? { duration } : {}),
          }),
        );
        d.meter.frame(startedAt);
      } finally {
        frame.close();
      }
    },
  });
  processor.readable
    .pipeThrough(transform, { signal: abort.signal })
    .pipeTo(generator.writable, { signal: abort.signal })
    .catch((err: unknown) => {
      if (!abort.signal.aborted) d.onError(err);
    });
  return {
    kind: 'insertable-streams',
    output: generator,
    stop: () => {
      abort.abort();
      generator.stop();
    },
  };
}

function canvasPipeline(input: MediaStreamTrack, d: PipelineDeps): Pipeline {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([input]);
  const fps = input.getSettings().frameRate ?? 30;
  const output = d.compositor.output.captureStream(fps).getVideoTracks()[0];
  if (!output) throw new Error('canvas capture gave no video track');
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const withCallback = video as HTMLVideoElement & {
    requestVideoFrameCallback?: (cb: () => void) => number;
  };
  const next = () => {
    if (stopped) return;
    // Once per new camera picture where the browser says so; else at the camera's rate.
    if (typeof withCallback.requestVideoFrameCallback === 'function')
      withCallback.requestVideoFrameCallback(() => void tick());
    else timer = setTimeout(() => void tick(), 1000 / fps);
  };
  const tick = async () => {
    if (stopped) return;
    if (video.videoWidth > 0) {
      const startedAt = d.now();
      try {
        await d.compositor.render(video, video.videoWidth, video.videoHeight);
        d.meter.frame(startedAt);
      } catch (err) {
        stopped = true;
        d.onError(err);
        return;
      }
    }
    next();
  };
  void video.play().then(next, d.onError);
  return {
    kind: 'canvas',
    output,
    stop: () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      video.pause();
      video.srcObject = null;
      output.stop();
    },
  };
}
