// Node: the small helpers every bench shares — quantiles, a polling wait that fails the bench,
// and the figures' formatting.

/** Linear-interpolated quantile (q in 0..1) of a non-empty sample. */
export const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
};

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Milliseconds, right-aligned: `  412 ms`. */
export const fmtMs = (n: number): string => `${n.toFixed(0).padStart(5)} ms`;

/** Ends the bench with a message (a bench that cannot measure what it says must not print figures). */
export function fail(message: string): never {
  console.error(`\nFAILED: ${message}`);
  process.exit(1);
}

/** Polls `fn` every 20 ms until it returns something truthy; fails the bench after `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
