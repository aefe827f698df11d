// Recovery from a UDP blackhole, in real Chromium, each peer in its own network namespace
// (bench/harness/netns.ts, root only). Each trial: a call with video flowing both ways, every
// UDP packet to and from the patient's namespace dropped for 5 s (TCP signaling untouched),
// then the time from lifting it until decoded video frames rise again on both sides. Target:
// ≤ 5 s in ≥ 95 % of trials. Baseline, measured in the same run and namespaces: a fresh call's
// setup, from creating the visit to decoded frames both ways.
//
//   npm run bench -- blackhole        BLACKHOLE_TRIALS=20  BLACKHOLE_MS=5000
import { framesRising, missing, sleep, startNetworkCall } from './harness/networks.ts';
import { quantile } from './harness/common.ts';

const TRIALS = Number(process.env.BLACKHOLE_TRIALS ?? 20);
const HOLE_MS = Number(process.env.BLACKHOLE_MS ?? 5000);
const TARGET_MS = 5000;
/** A trial that has not recovered after this long counts as a failure (and the run goes on). */
const GIVE_UP_MS = 30_000;
const SETUPS = 5;

const fmt = (n: number) => `${(n / 1000).toFixed(2).padStart(6)} s`;

const why = missing();
if (why) {
  console.log(`skipped: ${why}`);
  process.exit(0);
}

const call = await startNetworkCall();
const patientPeer = call.net.peers[1]!;
try {
  // Baseline: fresh calls in the same namespaces.
  const setups: number[] = [];
  for (let i = 0; i < SETUPS; i++) {
    const t0 = performance.now();
    await call.connect();
    setups.push(performance.now() - t0);
    await call.hangUp();
  }

  await call.connect();
  const recoveries: number[] = [];
  let failures = 0;
  for (let t = 0; t < TRIALS; t++) {
    await Promise.all([framesRising(call.doctor, 10_000), framesRising(call.patient, 10_000)]);
    call.net.blackhole(patientPeer);
    await sleep(HOLE_MS);
    call.net.clear(patientPeer);
    const t0 = performance.now();
    try {
      await Promise.all([
        framesRising(call.doctor, GIVE_UP_MS),
        framesRising(call.patient, GIVE_UP_MS),
      ]);
      recoveries.push(performance.now() - t0);
      console.log(
        `trial ${String(t + 1).padStart(2)}  media back both ways ${fmt(recoveries.at(-1)!)}`,
      );
    } catch {
      failures++;
      console.log(
        `trial ${t + 1}: not back after ${GIVE_UP_MS / 1000} s\n${await call.diagnostics()}`,
      );
      // A fresh call for the next trial.
      await call.hangUp().catch(() => {});
      await call.connect();
    }
  }
  const within = recoveries.filter((r) => r <= TARGET_MS).length;
  console.log(
    [
      `blackhole ${HOLE_MS / 1000} s on the patient's UDP, ${TRIALS} trials`,
      `recovery (lift → frames rising both ways)  p50 ${fmt(quantile(recoveries, 0.5))}  p95 ${fmt(quantile(recoveries, 0.95))}  max ${fmt(Math.max(...recoveries))}`,
      `within ${TARGET_MS / 1000} s                               ${within}/${TRIALS} (${((within / TRIALS) * 100).toFixed(0)} %; target ≥ 95 %)${failures ? `, ${failures} never recovered` : ''}`,
      `baseline: fresh call setup (create visit, join, admit → frames both ways), ${SETUPS} calls  p50 ${fmt(quantile(setups, 0.5))}  max ${fmt(Math.max(...setups))}`,
    ].join('\n'),
  );
} finally {
  await call.close();
}
