import { describe, expect, it, vi } from 'vitest';
import { ManualTimers } from '../testing/fakes.js';
import { LOCK_POLL_MS, watchScreenLock } from './lockWatch.js';

function fakePowerMonitor() {
  const pm = {
    state: 'active' as 'active' | 'idle' | 'locked' | 'unknown',
    listeners: new Map<string, () => void>(),
    getSystemIdleState: vi.fn(() => pm.state),
    on(event: string, listener: () => void) {
      pm.listeners.set(event, listener);
      return pm;
    },
  };
  return pm;
}

describe('watchScreenLock', () => {
  it('on Linux polls the idle state and signs out once per lock', () => {
    const pm = fakePowerMonitor();
    const timers = new ManualTimers();
    const onLocked = vi.fn();
    const stop = watchScreenLock({ platform: 'linux', powerMonitor: pm, timers, onLocked });
    // Linux has no 'lock-screen' event: nothing may rely on it.
    expect(pm.listeners.has('lock-screen')).toBe(false);
    timers.advance(LOCK_POLL_MS);
    expect(onLocked).not.toHaveBeenCalled();
    pm.state = 'locked';
    timers.advance(LOCK_POLL_MS);
    timers.advance(LOCK_POLL_MS);
    expect(onLocked).toHaveBeenCalledTimes(1);
    pm.state = 'active';
    timers.advance(LOCK_POLL_MS);
    pm.state = 'locked';
    timers.advance(LOCK_POLL_MS);
    expect(onLocked).toHaveBeenCalledTimes(2);
    stop();
    expect(timers.pending).toBe(0);
  });

  it('on macOS and Windows listens to lock-screen and does not poll', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const pm = fakePowerMonitor();
      const timers = new ManualTimers();
      const onLocked = vi.fn();
      watchScreenLock({ platform, powerMonitor: pm, timers, onLocked });
      expect(timers.pending).toBe(0);
      pm.listeners.get('lock-screen')!();
      expect(onLocked).toHaveBeenCalledTimes(1);
      expect(pm.getSystemIdleState).not.toHaveBeenCalled();
    }
  });
});
