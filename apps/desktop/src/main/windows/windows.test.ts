import { describe, expect, it, vi } from 'vitest';
import { ManualTimers } from '../testing/fakes.js';
import { DEFAULT_SIZE, initialBounds, isVisibleOnSomeDisplay, trackBounds } from './bounds.js';
import { WindowRegistry } from './registry.js';
import { acquireSingleInstance } from './singleInstance.js';

const display = { workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
const second = { workArea: { x: 1920, y: 0, width: 1280, height: 1024 } };

describe('window bounds', () => {
  it('restores saved bounds that are on a visible display', () => {
    const saved = { x: 2000, y: 100, width: 1100, height: 800, maximized: true };
    expect(initialBounds(saved, [display, second])).toEqual({
      bounds: { x: 2000, y: 100, width: 1100, height: 800 },
      maximized: true,
    });
  });

  it('falls back to the default size when that monitor is gone', () => {
    const saved = { x: 2000, y: 100, width: 1100, height: 800, maximized: false };
    expect(initialBounds(saved, [display])).toEqual({
      bounds: { ...DEFAULT_SIZE },
      maximized: false,
    });
    expect(initialBounds(null, [display]).bounds).toEqual(DEFAULT_SIZE);
  });

  it('needs a grab-able part of the window on screen, not a sliver', () => {
    expect(isVisibleOnSomeDisplay({ x: 1900, y: 0, width: 800, height: 600 }, [display])).toBe(
      false,
    );
    expect(isVisibleOnSomeDisplay({ x: 1700, y: 0, width: 800, height: 600 }, [display])).toBe(
      true,
    );
  });

  it('saves once after moves and resizes settle, and on close', () => {
    const timers = new ManualTimers();
    const listeners: Record<string, () => void> = {};
    let bounds = { x: 0, y: 0, width: 1000, height: 700 };
    const save = vi.fn();
    trackBounds(
      {
        on: (e, l) => (listeners[e] = l),
        getNormalBounds: () => bounds,
        isMaximized: () => false,
      },
      save,
      timers,
    );
    listeners.move!();
    bounds = { ...bounds, x: 50 };
    listeners.resize!();
    listeners.move!();
    expect(save).not.toHaveBeenCalled();
    timers.advance(500);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenLastCalledWith({
      x: 50,
      y: 0,
      width: 1000,
      height: 700,
      maximized: false,
    });
    listeners.close!();
    expect(save).toHaveBeenCalledTimes(2);
  });
});

describe('window registry', () => {
  it('trusts only live Bedside windows', () => {
    const reg = new WindowRegistry();
    let destroyed = false;
    const win = {
      webContents: { id: 3 },
      getMediaSourceId: () => 'window:77:0',
      isDestroyed: () => destroyed,
    };
    const remove = reg.add(win);
    expect(reg.isBedsideContents(3)).toBe(true);
    expect(reg.isBedsideContents(4)).toBe(false);
    expect(reg.mediaSourceIds()).toEqual(['window:77:0']);
    destroyed = true;
    expect(reg.isBedsideContents(3)).toBe(false);
    remove();
    expect(reg.all()).toEqual([]);
  });
});

describe('single instance', () => {
  it('a second instance quits; the first focuses its window', () => {
    const first = { requestSingleInstanceLock: () => true, on: vi.fn(), quit: vi.fn() };
    const win = {
      isDestroyed: () => false,
      isMinimized: () => true,
      restore: vi.fn(),
      show: vi.fn(),
      focus: vi.fn(),
    };
    expect(acquireSingleInstance(first, () => win)).toBe(true);
    const onSecond = first.on.mock.calls[0]![1] as () => void;
    onSecond();
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();

    const secondApp = { requestSingleInstanceLock: () => false, on: vi.fn(), quit: vi.fn() };
    expect(acquireSingleInstance(secondApp, () => null)).toBe(false);
    expect(secondApp.quit).toHaveBeenCalled();
    expect(secondApp.on).not.toHaveBeenCalled();
  });
});
