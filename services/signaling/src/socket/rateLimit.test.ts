import { describe, expect, it } from 'vitest';
import { limitsFor, newLimitState, takeEvent, type EventLimits } from './rateLimit.js';

const count = (
  st: ReturnType<typeof newLimitState>,
  now: number,
  n: number,
  limits?: EventLimits,
) => {
  const out = { ok: 0, limited: 0, flood: 0 };
  for (let i = 0; i < n; i++) out[takeEvent(st, now, limits)]++;
  return out;
};

describe('per-connection event limit', () => {
  it('allows a burst of 100, then 50 per second', () => {
    const st = newLimitState(0);
    expect(count(st, 0, 150)).toEqual({ ok: 100, limited: 50, flood: 0 });
    // 0.1 s later: 5 more events allowed.
    expect(count(st, 100, 10)).toEqual({ ok: 5, limited: 5, flood: 0 });
    // A minute later the bucket is full again, and no fuller.
    expect(count(st, 60_100, 101).ok).toBe(100);
  });

  it('calls it a flood after ~200 refusals in quick succession', () => {
    const st = newLimitState(0);
    expect(count(st, 0, 400)).toEqual({ ok: 100, limited: 200, flood: 100 });
    // Refusals are forgiven at 20/s: ten seconds later the client is in good standing.
    const later = count(st, 10_000, 100);
    expect(later.flood).toBe(0);
  });
});

describe('configured event limit', () => {
  it('scales the sustained rate and the burst with SOCKET_EVENTS_PER_SECOND', () => {
    const limits = limitsFor(500);
    const st = newLimitState(0, limits);
    expect(count(st, 0, 1100, limits)).toEqual({ ok: 1000, limited: 100, flood: 0 });
    expect(count(st, 100, 60, limits)).toEqual({ ok: 50, limited: 10, flood: 0 });
  });
});
