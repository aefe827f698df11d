// DOM + React: thin hooks over the framework-free call engine (`@bedside/shared/react`).
export { useCallEngine, useCallSnapshot } from './useCallEngine.js';
export type { UseCallEngineConfig } from './useCallEngine.js';
export { splitDevices, useMediaDevices } from './useMediaDevices.js';
export type { DeviceLists } from './useMediaDevices.js';
export { levelFromSamples, useAudioLevel } from './useAudioLevel.js';
export { openPreview, useLocalPreview } from './useLocalPreview.js';
export type { LocalPreview } from './useLocalPreview.js';
export { useTranslate } from './useTranslate.js';
export type { Translate } from './useTranslate.js';
export { useBackgroundBlur } from './useBackgroundBlur.js';
export type {
  BackgroundBlurResult,
  BlurState,
  BlurTarget,
  UseBackgroundBlurConfig,
} from './useBackgroundBlur.js';
export {
  useBindVisitExtras,
  useFileShare,
  useRecordingConsent,
  useVisitExtras,
} from './useVisitExtras.js';
