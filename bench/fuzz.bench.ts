// Hostile input at volume: ≥ 100,000 generated socket events and REST requests against the
// real service (real HTTP, real socket.io-client), every invariant checked after each one
// (services/signaling/src/testing/fuzz.ts). Several fuzzers, each with its own service and
// seed, share the run. Beside it, the baseline: the same checks around a well-formed relay
// (an ICE candidate from the doctor to the admitted patient), so the figure says what the
// hostile mix costs over ordinary traffic through the same harness.
//
//   npm run bench -- fuzz             FUZZ_INPUTS=100000  FUZZ_WORKERS=4  FUZZ_SEED=<n>
import fc from 'fast-check';
import { fuzzInputArb, startFuzzer, type Fuzzer } from '../services/signaling/src/testing/fuzz.ts';

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 100_000);
const WORKERS = Number(process.env.FUZZ_WORKERS ?? 4);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const BASELINE_INPUTS = 2000;

async function fuzzOne(seed: number, runs: number) {
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

const base = await baseline();
console.log(`seed ${SEED}, ${INPUTS} inputs over ${WORKERS} fuzzers`);
const t0 = performance.now();
const per = Math.ceil(INPUTS / WORKERS);
const results = await Promise.all(
  Array.from({ length: WORKERS }, (_, i) => fuzzOne(SEED + i, per)),
);
const seconds = (performance.now() - t0) / 1000;
const sum = (k: keyof (typeof results)[number]) => results.reduce((a, r) => a + r[k], 0);
const inputs = sum('inputs');
console.log(
  [
    `inputs checked        ${inputs} (socket ${sum('socketInputs')}, REST ${sum('restInputs')}, oversized frames ${sum('oversized')})`,
    `refused / accepted    ${sum('rejected')} / ${sum('accepted')}; world rebuilt ${sum('rebuilds')}×; raw packets Socket.io refused ${sum('protocolClosed')}`,
    `invariant violations  0`,
    `throughput            ${(inputs / seconds).toFixed(0)} inputs/s in ${seconds.toFixed(0)} s (${WORKERS} in parallel)`,
    `baseline              ${base.toFixed(0)} well-formed relays/s through the same checks (one fuzzer)`,
  ].join('\n'),
);
if (inputs < INPUTS) process.exit(1);
