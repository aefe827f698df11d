import { describe, expect, it, vi } from 'vitest';
import { ManualTimers } from '../testing/fakes.js';
import { LOCK_POLL_MS, watchScreenLock, type PowerMonitorLike } from './screenLock.js';

/** powerMonitor as Electron has it: `lock-screen` fires on macOS and Windows, never on Linux. */
function fakePowerMonitor(platform: NodeJS.Platform) {
  let state: ReturnType<PowerMonitorLike['getSystemIdleState']> = 'active';
  const lockListeners: Array<() => void> = [];
  const monitor: PowerMonitorLike = {
    on: (_event, listener) => lockListeners.push(listener),
    getSystemIdleState: () => state,
  };
  return {
    monitor,
    setState: (s: typeof state) => (state = s),
    lock: () => {
      state = 'locked';
      if (platform !== 'linux') for (const l of lockListeners) l();
    },
  };
}

describe('watchScreenLock', () => {
  it('on Linux notices a lock by polling the idle state, once per lock', () => {
    const pm = fakePowerMonitor('linux');
    const timers = new ManualTimers();
    const onLocked = vi.fn();
    const stop = watchScreenLock({ powerMonitor: pm.monitor, platform: 'linux', timers }, onLocked);
    timers.advance(LOCK_POLL_MS);
    expect(onLocked).not.toHaveBeenCalled();
    pm.lock();
    timers.advance(LOCK_POLL_MS);
    timers.advance(LOCK_POLL_MS);
    expect(onLocked).toHaveBeenCalledTimes(1);
    pm.setState('active');
    timers.advance(LOCK_POLL_MS);
    pm.lock();
    timers.advance(LOCK_POLL_MS);
    expect(onLocked).toHaveBeenCalledTimes(2);
    stop();
    expect(timers.pending).toBe(0);
  });

  it('on macOS and Windows uses the lock-screen event', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const pm = fakePowerMonitor(platform);
      const timers = new ManualTimers();
      const onLocked = vi.fn();
      watchScreenLock({ powerMonitor: pm.monitor, platform, timers }, onLocked);
      pm.lock();
      expect(onLocked, platform).toHaveBeenCalledTimes(1);
      expect(timers.pending).toBe(0);
    }
  });
});
