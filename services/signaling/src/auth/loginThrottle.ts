// Pure: sign-in throttling by backoff. Each key (an account, an address) counts its recent
// failures; past a free allowance, the next attempt must wait 1 s, 2 s, 4 s … up to a cap
// after the last failure. A success clears the key. Unlike a fixed window this never locks a
// real user out for long: whoever else failed, the wait is at most `maxDelayMs`.

export interface BackoffPolicy {
  /** Failures allowed before any wait: the next attempt after the `free`-th one waits. */
  free: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  forgetAfterMs: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
}

/** Keys kept at most; the oldest are dropped first (a spray of fresh keys cannot grow memory). */
const MAX_KEYS = 10_000;

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const t = this.now();
    if (t - e.lastFailureAt > this.policy.forgetAfterMs) {
      this.entries.delete(key);
      return 0;
    }
    const over = e.failures - this.policy.free;
    if (over < 0) return 0;
    const delay = Math.min(
      this.policy.maxDelayMs,
      this.policy.baseDelayMs * 2 ** Math.min(over, 30),
    );
    return Math.max(0, e.lastFailureAt + delay - t);
  }

  fail(key: string): void {
    const t = this.now();
    const e = this.entries.get(key);
    const fresh = !e || t - e.lastFailureAt > this.policy.forgetAfterMs;
    // Re-inserted so the map's order is least recently failed first.
    this.entries.delete(key);
    this.entries.set(key, { failures: fresh ? 1 : e.failures + 1, lastFailureAt: t });
    if (this.entries.size > MAX_KEYS) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * At most `concurrency` tasks at once and `queue` waiting; beyond that `run` refuses at once
 * (null) rather than queue. Password hashing is deliberately slow: a burst of sign-ins must not
 * make everyone else's wait for the whole burst.
 */
export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return { value: await task() };
    } finally {
      const nextTask = this.waiting.shift();
      // The slot passes straight to the next waiter, so `running` only drops when none wait.
      if (nextTask) nextTask();
      else this.running--;
    }
  }
}
