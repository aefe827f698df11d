import { describe, expect, it } from 'vitest';
import { FrameMeter } from './meter.js';

/** Runs frames of `ms` each, one every `every` ms, for `forMs`. */
function run(meter: FrameMeter, clock: { t: number }, ms: number, every: number, forMs: number) {
  const end = clock.t + forMs;
  while (clock.t + every <= end) {
    clock.t += every - ms;
    const start = clock.t;
    clock.t += ms;
    meter.frame(start);
  }
}

describe('FrameMeter', () => {
  const make = () => {
    const clock = { t: 0 };
    const meter = new FrameMeter(() => clock.t, { minFps: 15, warmupMs: 2000, windowMs: 3000 });
    return { clock, meter };
  };

  it('measures frame rate and time per frame over the window', () => {
    const { clock, meter } = make();
    run(meter, clock, 10, 40, 6000); // 25 fps, 10 ms each
    const s = meter.stats()!;
    // 3000 ms window, one frame per 40 ms: 75 frames.
    expect(s.fps).toBeCloseTo(25, 0);
    expect(s.frameMs).toBe(10);
    expect(s.capacityFps).toBe(100);
    expect(s.frames).toBe(150);
    expect(meter.verdict(30)).toBe('ok');
  });

  it('says measuring until warm-up and one window have passed', () => {
    const { clock, meter } = make();
    run(meter, clock, 200, 200, 4800);
    expect(meter.verdict(30)).toBe('measuring');
    run(meter, clock, 200, 200, 400);
    expect(meter.verdict(30)).toBe('too-slow');
  });

  it('is too slow when a frame takes longer than 1/15 s, whatever the camera sends', () => {
    const { clock, meter } = make();
    // 70 ms a frame: 14.3 frames a second at most, even if the camera sends only 10.
    run(meter, clock, 70, 100, 6000);
    expect(meter.stats()!.capacityFps).toBeCloseTo(14.3, 1);
    expect(meter.verdict(10)).toBe('too-slow');
  });

  it('is too slow when frames are dropped although the camera sends 15 or more', () => {
    const { clock, meter } = make();
    // Quick frames (5 ms) but only 10 a second come out.
    run(meter, clock, 5, 100, 6000);
    expect(meter.verdict(30)).toBe('too-slow');
    // A camera that itself sends 10 fps is not the blur's fault.
    expect(meter.verdict(10)).toBe('ok');
  });

  it('is too slow when nothing came out for a whole window', () => {
    const { clock, meter } = make();
    run(meter, clock, 5, 40, 1000);
    clock.t += 5000;
    expect(meter.stats()).toBeNull();
    expect(meter.verdict(30)).toBe('too-slow');
  });

  it('starts over after restart (a hidden page is throttled, not slow)', () => {
    const { clock, meter } = make();
    run(meter, clock, 5, 1000, 6000);
    meter.restart();
    expect(meter.verdict(30)).toBe('measuring');
    run(meter, clock, 5, 40, 5200);
    expect(meter.verdict(30)).toBe('ok');
  });
});
