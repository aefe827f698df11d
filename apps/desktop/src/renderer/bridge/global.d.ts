// DOM: globals the renderer can see. `window.bedside` exists only inside Electron (the preload
// exposes it); in a plain browser `getBridge()` falls back to the browser stand-in.
import type { BedsideBridge } from '@bedside/shared';

declare global {
  interface Window {
    bedside?: BedsideBridge;
  }
  /** The desktop app's version (apps/desktop/package.json), injected at build time. */
  const __BEDSIDE_VERSION__: string;
  /** Where the renderer serves MediaPipe's selfie segmentation files (scripts/vite/mediapipeAssets.ts). */
  const __BEDSIDE_MEDIAPIPE_BASE__: string;
}

export {};
