import { afterEach, describe, expect, it, vi } from 'vitest';
import { MIN_FPS_OVERRIDE_KEY, minFpsOverride } from './BackgroundBlur.js';

/** A sessionStorage holding `value` under the override key. */
function storage(value: string | null): Pick<Storage, 'getItem'> {
  return { getItem: (key) => (key === MIN_FPS_OVERRIDE_KEY ? value : null) };
}

describe('minFpsOverride (the e2e tests’ frame-rate floor)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is absent without sessionStorage or without the key', () => {
    vi.stubGlobal('sessionStorage', undefined);
    expect(minFpsOverride()).toBeUndefined();
    vi.stubGlobal('sessionStorage', storage(null));
    expect(minFpsOverride()).toBeUndefined();
  });

  it('takes a positive number of frames a second', () => {
    vi.stubGlobal('sessionStorage', storage('1'));
    expect(minFpsOverride()).toBe(1);
    vi.stubGlobal('sessionStorage', storage('0.5'));
    expect(minFpsOverride()).toBe(0.5);
  });

  it('ignores anything else', () => {
    for (const bad of ['', 'abc', '0', '-3', 'Infinity', '1e9', 'NaN']) {
      vi.stubGlobal('sessionStorage', storage(bad));
      expect(minFpsOverride(), bad).toBeUndefined();
    }
  });

  it('is absent when the browser blocks storage', () => {
    vi.stubGlobal('sessionStorage', {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    expect(minFpsOverride()).toBeUndefined();
  });
});
