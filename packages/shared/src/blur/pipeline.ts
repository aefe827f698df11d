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

/** Draws one camera picture with the background blurred (or unchanged for `none`). */
export class Compositor {
  readonly input = document.createElement('canvas');
  readonly output = document.createElement('canvas');
  private readonly inCtx: CanvasRenderingContext2D;
  private readonly outCtx: CanvasRenderingContext2D;

  constructor(
    private readonly segmenter: Segmenter | null,
    private readonly effect: Effect,
  ) {
    const i = this.input.getContext('2d', { willReadFrequently: false });
    const o = this.output.getContext('2d');
    if (!i || !o) throw new Error('2D canvas is not available');
    this.inCtx = i;
    this.outCtx = o;
  }

  async render(source: CanvasImageSource, width: number, height: number): Promise<void> {
    for (const c of [this.input, this.output]) {
      if (c.width !== width) c.width = width;
      if (c.height !== height) c.height = height;
    }
    this.inCtx.drawImage(source, 0, 0, width, height);
    if (this.effect === 'none' || !this.segmenter) {
      this.outCtx.drawImage(this.input, 0, 0);
      return;
    }
    // About 16 px on a 640-wide picture: faces and text behind the patient become unreadable.
    const radius = Math.max(4, Math.round(width / 40));
    await this.segmenter.segment(this.input, (mask) => {
      const c = this.outCtx;
      c.save();
      c.globalCompositeOperation = 'copy';
      c.drawImage(mask, 0, 0, width, height);
      // The person: the sharp picture where the mask is opaque.
      c.globalCompositeOperation = 'source-in';
      c.drawImage(this.input, 0, 0);
      // Everything else: the blurred picture behind it.
      c.globalCompositeOperation = 'destination-over';
      c.filter = `blur(${radius}px)`;
      c.drawImage(this.input, 0, 0);
      c.restore();
    });
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
