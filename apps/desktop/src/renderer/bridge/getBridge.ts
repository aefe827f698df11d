// DOM: the one way the renderer reaches its host — Electron's preload, or the browser stand-in.
import type { BedsideBridge } from '@bedside/shared';
import { createBrowserBridge } from './browserBridge';

let cached: BedsideBridge | null = null;

export function getBridge(): BedsideBridge {
  cached ??= window.bedside ?? createBrowserBridge();
  return cached;
}
