// DOM, framework-free: background blur (`@bedside/shared/blur`). Apps load this entry with a
// dynamic `import()` when the person turns blur on, so neither it nor the model is in a first
// screen's bundle.
export {
  BackgroundBlur,
  BlurUnavailableError,
  MIN_FPS_OVERRIDE_KEY,
  minFpsOverride,
} from './BackgroundBlur.js';
export type { BackgroundBlurOptions, BlurStatus } from './BackgroundBlur.js';
export { FrameMeter } from './meter.js';
export type { BlurStats, MeterOptions, MeterVerdict } from './meter.js';
export { availablePipeline } from './pipeline.js';
export type { Effect, PipelineKind } from './pipeline.js';
export { loadSelfieSegmenter, webGlAvailable } from './segmenter.js';
export type { Segmenter } from './segmenter.js';
