import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleTimer } from './idleTimer';

describe('IdleTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const make = (timeoutMs = 60_000) => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const timer = new IdleTimer({ target, timeoutMs, onIdle });
    return { target, onIdle, timer };
  };

  it('fires once the timeout passes without input', () => {
    const { onIdle } = make();
    vi.advanceTimersByTime(59_999);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('input pushes the deadline back', () => {
    const { target, onIdle } = make();
    vi.advanceTimersByTime(50_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('never fires while paused, and restarts the full timeout on resume', () => {
    const { timer, onIdle } = make();
    timer.setPaused(true);
    vi.advanceTimersByTime(10 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    timer.setPaused(false);
    vi.advanceTimersByTime(59_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('stops listening once disposed', () => {
    const { timer, onIdle } = make();
    timer.dispose();
    vi.advanceTimersByTime(120_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
