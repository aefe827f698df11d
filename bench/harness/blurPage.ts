// Browser: the blur benchmark's page (bench/blur.bench.ts). Bundled by esbuild and served with
// MediaPipe's files on one origin; runs the real blur pipeline on the fake camera.
import {
  BackgroundBlur,
  type BlurStats,
  type Effect,
  type PipelineKind,
  availablePipeline,
} from '../../packages/shared/src/blur/index.js';

export interface PhaseResult {
  pipeline: PipelineKind;
  effect: Effect;
  /** Frames out of the pipeline during the measured span. */
  frames: number;
  spanMs: number;
  /** Mean time per frame over the last 3 s (the meter's window). */
  frameMs: number | null;
}

let camera: MediaStreamTrack | null = null;

async function cameraTrack(): Promise<MediaStreamTrack> {
  if (camera?.readyState === 'live') return camera;
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480, frameRate: 30 },
    audio: false,
  });
  camera = stream.getVideoTracks()[0]!;
  return camera;
}

const pipelines = (): PipelineKind[] =>
  availablePipeline() === 'insertable-streams' ? ['insertable-streams', 'canvas'] : ['canvas'];

let running: { blur: BackgroundBlur; sink: HTMLVideoElement } | null = null;

/** Starts a phase; the output plays in a <video> so something consumes it, as a sender would. */
async function start(
  pipeline: PipelineKind,
  effect: Effect,
  assetBase: string,
  segmentEvery?: number,
): Promise<void> {
  stop();
  const blur = await BackgroundBlur.create({
    assetBase,
    pipeline,
    effect,
    ...(segmentEvery !== undefined ? { segmentEvery } : {}),
  });
  const sink = document.createElement('video');
  sink.muted = true;
  sink.srcObject = new MediaStream([blur.apply(await cameraTrack())]);
  document.body.append(sink);
  await sink.play();
  running = { blur, sink };
}

const frames = () => running?.blur.stats()?.frames ?? 0;
const stats = (): BlurStats | null => running?.blur.stats() ?? null;

function stop(): void {
  if (!running) return;
  running.blur.stop();
  running.sink.srcObject = null;
  running.sink.remove();
  running = null;
}

const api = { pipelines, start, frames, stats, stop };
export type BlurBenchApi = typeof api;
(window as unknown as { blurBench: BlurBenchApi }).blurBench = api;
