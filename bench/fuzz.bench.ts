// Hostile input at volume: ≥ 100,000 generated socket events and REST requests against the
// real service (real HTTP, real socket.io-client), every invariant checked after each one
// (services/signaling/src/testing/fuzz.ts). Several fuzzers, each with its own service and
// seed, share the run, each in its own process. Beside it, the baseline: the same checks around a well-formed relay
// (an ICE candidate from the doctor to the admitted patient), so the figure says what the
// hostile mix costs over ordinary traffic through the same harness.
//
// Measured 2026-12-03 on the shared 2-core machine (load average ≈ 12, baseline swinging from
// 36 to 280 relays/s with the load): 20,060 inputs, 0 violations, 53 inputs/s with 4 processes
// (3,010 at 89/s with 2 processes at lighter load) — 100,000 in ≈ 20–30 min there (an idle box
// should be faster, not measured); before, one process and one ever-growing store: ≈ 21 inputs/s.
// Since then a refused input's "after" snapshot is the next input's "before" (snapshots were a
// third of the CPU): 101/118 → 114/201 inputs/s for one fuzzer, A/B at a falling load ≈ 28–20.
// 2026-12-03, FUZZ_SEED=20261203 FUZZ_WORKERS=2 beside a CI run: 100,250 inputs, 0 violations,
// 182 inputs/s in 550 s; baseline 354 relays/s (docs/resilience.md).
//   npm run bench -- fuzz             FUZZ_INPUTS=100000  FUZZ_WORKERS=4  FUZZ_SEED=<n>
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { fuzzInputArb, startFuzzer, type Fuzzer } from '../services/signaling/src/testing/fuzz.ts';

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 100_000);
const WORKERS = Number(process.env.FUZZ_WORKERS ?? 4);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/**
 * Inputs per fresh service. Every check snapshots the whole store (meetings, users, audit) before
 * and after the input; rebuilds add meetings and refusals add audit rows, so with one service
 * for the whole run each check got slower as the store grew (≈ 21 inputs/s late in a 100,000
 * run). A fresh service and world every CHUNK inputs keeps each check's cost flat without
 * checking less.
 */
const CHUNK = Number(process.env.FUZZ_CHUNK ?? 2000);
const BASELINE_INPUTS = 2000;

type Stats = Fuzzer['stats'];

async function fuzzOne(seed: number, runs: number): Promise<Stats> {
  const fuzzer = await startFuzzer();
  try {
    await fc.assert(
      fc.asyncProperty(fuzzInputArb, (input) => fuzzer.check(input)),
      { seed, numRuns: runs, endOnFailure: true },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 64 * 1024 }), (extra) =>
        fuzzer.checkOversized(extra),
      ),
      { seed, numRuns: 5, endOnFailure: true },
    );
    return { ...fuzzer.stats };
  } finally {
    await fuzzer.close();
  }
}

async function baseline(): Promise<number> {
  const fuzzer: Fuzzer = await startFuzzer();
  try {
    const t0 = performance.now();
    for (let i = 0; i < BASELINE_INPUTS; i++) {
      await fuzzer.check({
        kind: 'socket',
        actor: 'docA',
        event: 'ice-candidate',
        args: [
          {
            roomId: { ref: 'room', which: 'A' },
            candidate: {
              candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host',
              sdpMid: '0',
              sdpMLineIndex: 0,
            },
            targetSocketId: { ref: 'socket', which: 'patA' },
          },
        ],
        ack: true,
      });
    }
    return (BASELINE_INPUTS / (performance.now() - t0)) * 1000;
  } finally {
    await fuzzer.close();
  }
}

const add = (a: Stats, b: Stats): Stats =>
  Object.fromEntries(
    Object.keys(a).map((k) => [k, a[k as keyof Stats] + b[k as keyof Stats]]),
  ) as unknown as Stats;

// A child process: one fuzzer's share, chunk by chunk (seeds seed, seed + WORKERS, …); its
// stats go to the parent as the last line of stdout.
if (process.env.FUZZ_CHILD_SEED) {
  const seed = Number(process.env.FUZZ_CHILD_SEED);
  let left = Number(process.env.FUZZ_CHILD_RUNS);
  let total: Stats | null = null;
  for (let chunk = 0; left > 0; chunk++) {
    const runs = Math.min(CHUNK, left);
    const st = await fuzzOne(seed + chunk * WORKERS, runs);
    total = total ? add(total, st) : st;
    left -= runs;
  }
  console.log(JSON.stringify(total));
  process.exit(0);
}

/** Each fuzzer in its own process (service and clients share its event loop), so all cores work. */
function child(seed: number, runs: number): Promise<Stats> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, FUZZ_CHILD_SEED: String(seed), FUZZ_CHILD_RUNS: String(runs) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`fuzzer with seed ${seed} failed (exit ${code})`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Stats);
    });
  });
}

const base = await baseline();
console.log(
  `seed ${SEED}, ${INPUTS} inputs over ${WORKERS} fuzzer processes, fresh service every ${CHUNK}`,
);
const t0 = performance.now();
const per = Math.ceil(INPUTS / WORKERS);
const results = await Promise.all(Array.from({ length: WORKERS }, (_, i) => child(SEED + i, per)));
const seconds = (performance.now() - t0) / 1000;
const sum = (k: keyof Stats) => results.reduce((a, r) => a + r[k], 0);
const inputs = sum('inputs');
console.log(
  [
    `inputs checked        ${inputs} (socket ${sum('socketInputs')}, REST ${sum('restInputs')}, oversized frames ${sum('oversized')})`,
    `refused / accepted    ${sum('rejected')} / ${sum('accepted')}; world rebuilt ${sum('rebuilds')}×; raw packets Socket.io refused ${sum('protocolClosed')}`,
    `invariant violations  0`,
    `throughput            ${(inputs / seconds).toFixed(0)} inputs/s in ${seconds.toFixed(0)} s (${WORKERS} processes on ${availableParallelism()} cores)`,
    `baseline              ${base.toFixed(0)} well-formed relays/s through the same checks (one fuzzer, one process)`,
  ].join('\n'),
);
if (inputs < INPUTS) process.exit(1);
