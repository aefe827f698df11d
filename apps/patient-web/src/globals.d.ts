// Build-time constants (vite.config.ts).
/** Where the page serves MediaPipe's selfie segmentation files (scripts/vite/mediapipeAssets.ts). */
declare const __BEDSIDE_MEDIAPIPE_BASE__: string;
