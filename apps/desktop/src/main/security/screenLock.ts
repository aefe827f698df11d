// Main process. "The screen was locked", on every platform. powerMonitor emits `lock-screen`
// on macOS and Windows only (Electron's power-monitor docs); on Linux the lock is seen by
// polling `getSystemIdleState`, which reports `locked` while the session is locked.

import type { TimersLike } from '../electron.js';

export interface PowerMonitorLike {
  on(event: 'lock-screen', listener: () => void): unknown;
  getSystemIdleState(idleThreshold: number): 'active' | 'idle' | 'locked' | 'unknown';
}

/** How often Linux is polled; a lock is noticed within this. */
export const LOCK_POLL_MS = 5_000;
// getSystemIdleState needs a threshold for `idle`; only `locked` matters here.
const IDLE_THRESHOLD_S = 60;

export function watchScreenLock(
  deps: { powerMonitor: PowerMonitorLike; platform: NodeJS.Platform; timers: TimersLike },
  onLocked: () => void,
): () => void {
  if (deps.platform !== 'linux') {
    deps.powerMonitor.on('lock-screen', onLocked);
    return () => undefined;
  }
  let wasLocked = false;
  let handle: unknown = null;
  let stopped = false;
  const poll = () => {
    const locked = deps.powerMonitor.getSystemIdleState(IDLE_THRESHOLD_S) === 'locked';
    // Once per lock, not on every poll while it lasts.
    if (locked && !wasLocked) onLocked();
    wasLocked = locked;
    if (!stopped) handle = deps.timers.setTimeout(poll, LOCK_POLL_MS);
  };
  handle = deps.timers.setTimeout(poll, LOCK_POLL_MS);
  return () => {
    stopped = true;
    deps.timers.clearTimeout(handle);
  };
}
