// Main process. Window bounds: restored only where a display can show them (a monitor may have
// been unplugged since), saved after moves and resizes settle, and once more on close.

import type { DisplayLike, Rectangle, TimersLike } from '../electron.js';
import type { WindowBounds } from '../settings/schema.js';

export const DEFAULT_SIZE = { width: 1280, height: 800 };
export const MIN_SIZE = { minWidth: 960, minHeight: 640 };
const SAVE_DELAY_MS = 500;
// Enough of the window must be on screen to grab its title bar and move it back.
const MIN_VISIBLE = { width: 120, height: 60 };

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

export function isVisibleOnSomeDisplay(bounds: Rectangle, displays: DisplayLike[]): boolean {
  return displays.some((d) => {
    const o = overlap(bounds, d.workArea);
    return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height;
  });
}

/** Saved bounds if still visible; otherwise the default size, centred by Electron. */
export function initialBounds(
  saved: WindowBounds | null,
  displays: DisplayLike[],
): { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean } {
  if (saved && isVisibleOnSomeDisplay(saved, displays)) {
    const { x, y, width, height } = saved;
    return { bounds: { x, y, width, height }, maximized: saved.maximized };
  }
  return { bounds: { ...DEFAULT_SIZE }, maximized: false };
}

export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
}

export function trackBounds(
  win: TrackedWindow,
  save: (bounds: WindowBounds) => void,
  timers: TimersLike,
): void {
  let timer: unknown = null;
  const flush = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    save({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  const schedule = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(flush, SAVE_DELAY_MS);
  };
  win.on('resize', schedule);
  win.on('move', schedule);
  win.on('close', flush);
}
