// Property-based fuzzing of every socket event and REST route (fixed seed, so CI runs the
// same inputs every time; `npm run bench -- fuzz` runs ≥ 100,000). Invariants: see
// testing/fuzz.ts — the service never crashes, nothing reaches another room, rejected input
// changes no stored record, and a connection survives anything but an oversized frame.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../testing/fuzz.js';

const SEED = 20261203;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

describe('fuzzing the service', () => {
  it(`keeps every invariant over ${RUNS} generated inputs (seed ${SEED})`, async () => {
    const stats = await runFuzz({ seed: SEED, numRuns: RUNS, oversized: 3 });
    expect(stats.inputs).toBeGreaterThanOrEqual(RUNS);
    // The generators reach both sides: most inputs are refused, some get through.
    expect(stats.rejected).toBeGreaterThan(0);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.restInputs).toBeGreaterThan(0);
    expect(stats.oversized).toBe(3);
  }, 120_000);
});
