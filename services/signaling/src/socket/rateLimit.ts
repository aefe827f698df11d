// Pure: a token bucket. Signaling is bursty (a dozen ICE candidates at once), so the limit is a
// sustained rate with room for bursts rather than a fixed window.
const monotonicNow = () => performance.now();

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number = monotonicNow,
  ) {
    this.tokens = capacity;
    this.last = this.now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((t - this.last) / 1000) * this.refillPerSecond,
    );
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Per connection: 50 events/s sustained, bursts of 100. */
export const EVENT_RATE = { capacity: 100, perSecond: 50 };
/**
 * Refused events drain a second bucket; when it empties (≈ 200 refusals faster than 20/s),
 * the client is flooding and is disconnected.
 */
export const ABUSE_RATE = { capacity: 200, perSecond: 20 };
