import { describe, expect, it } from 'vitest';
import { WebAudioLevelMeter, rfc6464Level, rmsOf } from './localLevel.js';
import { FakeMediaStreamCtor, FakeMediaStreamTrack, asTrack } from './testing/fakeMedia.js';

const sine = (amplitude: number, n = 1024, rate = 48_000) =>
  Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * 440 * i) / rate));

describe('the local level on the RFC 6464 packet scale', () => {
  it('reads a -12 dBFS tone as the receiver of its packets does (0.178), not as its peak (0.25)', () => {
    const rms = rmsOf(sine(0.25));
    expect(rms).toBeCloseTo(0.25 / Math.SQRT2, 2);
    // -15.05 dBov, carried as 15, read back as 10^(-15/20).
    expect(rfc6464Level(rms)).toBeCloseTo(10 ** (-15 / 20), 6);
    expect(rfc6464Level(rms).toFixed(3)).toBe('0.178');
  });

  it('full scale is 1, silence (and anything at or under -127 dBov) is 0', () => {
    expect(rfc6464Level(rmsOf(new Float32Array(512).fill(1)))).toBe(1);
    expect(rfc6464Level(0)).toBe(0);
    expect(rfc6464Level(rmsOf(new Float32Array(0)))).toBe(0);
    expect(rfc6464Level(10 ** (-127 / 20))).toBe(0);
    expect(rfc6464Level(10 ** (-126 / 20))).toBeCloseTo(10 ** (-126 / 20), 12);
  });
});

/** Just enough of Web Audio for the meter's bookkeeping (Node has none; the bench runs the real one). */
class FakeAudioContext {
  static made: FakeAudioContext[] = [];
  state: AudioContextState = 'running';
  readonly sources: Array<{ stream: unknown; connected: boolean }> = [];
  samples = new Float32Array(1024);
  constructor() {
    FakeAudioContext.made.push(this);
  }
  createAnalyser() {
    return {
      fftSize: 2048,
      getFloatTimeDomainData: (buf: Float32Array) => buf.set(this.samples.subarray(0, buf.length)),
    };
  }
  createMediaStreamSource(stream: unknown) {
    const s = { stream, connected: false };
    this.sources.push(s);
    return { connect: () => (s.connected = true), disconnect: () => (s.connected = false) };
  }
  resume() {
    return Promise.resolve();
  }
  close() {
    this.state = 'closed';
    return Promise.resolve();
  }
}

describe('WebAudioLevelMeter', () => {
  const meter = () => {
    FakeAudioContext.made = [];
    return new WebAudioLevelMeter(
      FakeAudioContext as unknown as typeof AudioContext,
      FakeMediaStreamCtor,
    );
  };

  it('one AudioContext, one live source per track, closed with the meter', () => {
    const m = meter();
    expect(m.read()).toBe(null);
    const a = asTrack(new FakeMediaStreamTrack('audio'));
    const b = asTrack(new FakeMediaStreamTrack('audio'));
    m.attach(a);
    m.attach(a);
    const ctx = FakeAudioContext.made[0]!;
    ctx.samples = sine(0.25);
    expect(m.read()!.toFixed(3)).toBe('0.178');
    m.attach(b);
    expect(FakeAudioContext.made).toHaveLength(1);
    expect(ctx.sources.map((s) => s.connected)).toEqual([false, true]);
    m.attach(null);
    expect(m.read()).toBe(null);
    expect(ctx.sources.every((s) => !s.connected)).toBe(true);
    m.close();
    expect(ctx.state).toBe('closed');
    m.attach(a);
    expect(FakeAudioContext.made).toHaveLength(1);
  });

  it('a suspended context (autoplay policy) is "cannot tell", not silence', () => {
    const m = meter();
    m.attach(asTrack(new FakeMediaStreamTrack('audio')));
    FakeAudioContext.made[0]!.state = 'suspended';
    expect(m.read()).toBe(null);
  });
});
