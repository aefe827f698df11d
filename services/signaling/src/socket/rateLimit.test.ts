import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rateLimit.js';

describe('TokenBucket', () => {
  it('allows a burst up to capacity, then the sustained rate', () => {
    let t = 0;
    const bucket = new TokenBucket(100, 50, () => t);
    let allowed = 0;
    for (let i = 0; i < 150; i++) if (bucket.take()) allowed++;
    expect(allowed).toBe(100);
    t += 100; // 0.1 s → 5 tokens
    allowed = 0;
    for (let i = 0; i < 10; i++) if (bucket.take()) allowed++;
    expect(allowed).toBe(5);
    t += 60_000; // refills to capacity, no further
    allowed = 0;
    for (let i = 0; i < 150; i++) if (bucket.take()) allowed++;
    expect(allowed).toBe(100);
  });
});
