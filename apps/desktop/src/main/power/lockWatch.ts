// Main process. Signs the doctor out when the workstation's screen locks. macOS and Windows
// emit powerMonitor 'lock-screen'; Linux does not (Electron docs list the event for macOS and
// Windows only), so there the idle state is polled for 'locked', which Electron reads from the
// screensaver service.

import type { PowerMonitorLike, TimersLike } from '../electron.js';

export interface LockWatchDeps {
  platform: NodeJS.Platform;
  powerMonitor: PowerMonitorLike & { on(event: 'lock-screen', listener: () => void): unknown };
  timers: TimersLike;
  onLocked(): void;
  /** Linux polling interval. */
  pollMs?: number;
}

export const LOCK_POLL_MS = 5_000;
// getSystemIdleState needs a threshold; 'locked' is reported whatever it is.
const IDLE_THRESHOLD_S = 60;

/** Starts watching; returns a function that stops it. */
export function watchScreenLock(deps: LockWatchDeps): () => void {
  if (deps.platform !== 'linux') {
    deps.powerMonitor.on('lock-screen', deps.onLocked);
    return () => undefined;
  }
  let stopped = false;
  let wasLocked = false;
  let handle: unknown = null;
  const poll = () => {
    if (stopped) return;
    const locked = deps.powerMonitor.getSystemIdleState(IDLE_THRESHOLD_S) === 'locked';
    // Once per lock, not on every poll while it stays locked.
    if (locked && !wasLocked) deps.onLocked();
    wasLocked = locked;
    handle = deps.timers.setTimeout(poll, deps.pollMs ?? LOCK_POLL_MS);
  };
  handle = deps.timers.setTimeout(poll, deps.pollMs ?? LOCK_POLL_MS);
  return () => {
    stopped = true;
    deps.timers.clearTimeout(handle);
  };
}
