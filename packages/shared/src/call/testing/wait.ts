// Test helper: wait (on real timers) until a condition holds.
export async function until(
  cond: () => boolean,
  what = 'condition',
  timeoutMs = 3000,
): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets pending timers and microtasks run. */
export const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));
