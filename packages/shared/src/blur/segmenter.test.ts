import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CanvasMaker, webGlAvailable, withTimeout } from './segmenter.js';

/** A document whose canvases hand out only the context kinds in `kinds`. */
function maker(kinds: string[]): CanvasMaker & { lost: number } {
  const m = {
    lost: 0,
    createElement: () => ({
      getContext: ((kind: string) =>
        kinds.includes(kind)
          ? {
              getExtension: (name: string) =>
                name === 'WEBGL_lose_context' ? { loseContext: () => m.lost++ } : null,
            }
          : null) as HTMLCanvasElement['getContext'],
    }),
  };
  return m;
}

describe('webGlAvailable (MediaPipe needs a GL context even for CPU inference)', () => {
  it('is false when the browser hands out neither WebGL 2 nor WebGL', () => {
    expect(webGlAvailable(maker(['2d']))).toBe(false);
  });

  it('is true with WebGL 2, or WebGL 1 alone, and frees the probe context', () => {
    const both = maker(['webgl2', 'webgl']);
    expect(webGlAvailable(both)).toBe(true);
    expect(both.lost).toBe(1);
    expect(webGlAvailable(maker(['webgl']))).toBe(true);
  });
});

describe('withTimeout (a model load that never settles becomes a failure)', () => {
  afterEach(() => vi.useRealTimers());

  it('rejects, naming the work, when it does not settle in time', async () => {
    vi.useFakeTimers();
    const never = new Promise<number>(() => {});
    const raced = withTimeout(never, 30_000, 'loading the model');
    const seen = expect(raced).rejects.toThrow('loading the model took longer than 30000 ms');
    await vi.advanceTimersByTimeAsync(29_999);
    await vi.advanceTimersByTimeAsync(1);
    await seen;
  });

  it('passes a result or an error through and leaves no timer behind', async () => {
    vi.useFakeTimers();
    await expect(withTimeout(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'x')).rejects.toThrow('boom');
    expect(vi.getTimerCount()).toBe(0);
  });
});
