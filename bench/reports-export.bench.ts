// Call-duration export at scale: the embedded store (SQLite in a temp dir) filled with
// 100,000 and then 1,000,000 crafted meetings (bulk insert, not timed), then each export runs
// in a fresh child process so its peak RSS is its own:
//   baseline  raw `store.streamMeetings` iteration, no filter (the store's lower bound)
//   ranged    the same with the export's own query (its date range): the store's share of it
//   csv       `bedside report --out file.csv` (runReportCli: the CLI's and the route's code path)
//   json      the same as JSON
// Target (issue): 1,000,000 rows in ≤ 10 s with peak RSS ≤ 150 MB.
// Sizes: BENCH_REPORT_SIZES=100000,1000000 (default). The service is built first (`tsc -b`).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Meeting, Participant } from '@bedside/shared';
import { openStore } from '../services/signaling/src/store/index.js';
import type { MeetingStore } from '../services/signaling/src/store/types.js';

const ZONE = 'Europe/Berlin';
const FROM = '2026-01-01';
const TO = '2026-12-31';
const DOCTORS = 20;
const TARGET_ROWS = 1_000_000;
const TARGET_SECONDS = 10;
const TARGET_RSS_MB = 150;

type Mode = 'baseline' | 'ranged' | 'csv' | 'json';
interface ChildResult {
  mode: Mode;
  rows: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  startRssMb: number;
  bytes: number;
}

const mb = (bytes: number) => bytes / (1024 * 1024);

// ---- child: one export in a fresh process, figures as one JSON line ------------------------
// Written out as a plain ES module importing the compiled service (dist/), as `bedside report`
// runs in production: no TypeScript loader inflating memory. Falls back to the sources under
// tsx when the build is unavailable (then said in the output).

function childSource(modules: { cli: string; store: string; compute: string }): string {
  return `
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { runReportCli } from ${JSON.stringify(modules.cli)};
import { openStore } from ${JSON.stringify(modules.store)};
import { resolveReport } from ${JSON.stringify(modules.compute)};
const [mode, dataDir, out] = process.argv.slice(2);
const store = await openStore({ dataDir });
const startRssMb = process.memoryUsage().rss / 1048576;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let rows = 0;
if (mode === 'baseline') {
  for await (const m of store.streamMeetings({})) if (m) rows++;
} else if (mode === 'ranged') {
  const { storeQuery } = resolveReport({ from: ${JSON.stringify(FROM)}, to: ${JSON.stringify(TO)} }, ${JSON.stringify(ZONE)});
  for await (const m of store.streamMeetings(storeQuery)) if (m) rows++;
} else {
  let said = '';
  const stderr = { write: (s) => ((said += s), true) };
  const code = await runReportCli(
    ['report', '--from', ${JSON.stringify(FROM)}, '--to', ${JSON.stringify(TO)}, '--format', mode, '--out', out],
    { store, clinicTimeZone: ${JSON.stringify(ZONE)}, stdout: process.stdout, stderr },
  );
  if (code !== 0) throw new Error('export failed: ' + said);
  rows = Number(/(\\d+) rows/.exec(said)?.[1] ?? -1);
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// resourceUsage().maxRSS (kilobytes) is the process's true peak, which sampling could miss.
const maxRssMb = process.resourceUsage().maxRSS / 1024;
await store.close();
const bytes = mode === 'csv' || mode === 'json' ? (await stat(out)).size : 0;
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(JSON.stringify({ mode, rows, seconds, cpuSeconds, maxRssMb, startRssMb, bytes }) + '\\n');
`;
}

// ---- parent: fill, run children, print -----------------------------------------------------

/** Deterministic pseudo-random numbers (mulberry32), so every run exports the same data. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const YEAR_START = Date.parse('2026-01-01T06:00:00Z');
const YEAR_MS = 364 * 86_400_000;

/** A realistic mix: mostly completed visits (some with reconnects), some cancelled or no-shows. */
function craft(i: number, rand: () => number): Meeting {
  const scheduled = YEAR_START + Math.floor(rand() * YEAR_MS);
  const iso = (ms: number) => new Date(ms).toISOString();
  const doctorId = `doc-${i % DOCTORS}`;
  const patientId = `pat-${i}`;
  const kind = rand();
  const base = {
    appointmentId: `bench-${i}`,
    roomId: `room-bench-${i}`,
    doctorId,
    patientId,
    patientName: null,
    scheduledTime: iso(scheduled),
    createdAt: iso(scheduled - 86_400_000),
  };
  if (kind < 0.1) {
    return {
      ...base,
      startTime: null,
      endTime: null,
      status: 'cancelled',
      participants: [],
      duration: null,
      updatedAt: iso(scheduled - 3_600_000),
    };
  }
  if (kind < 0.14) {
    return {
      ...base,
      startTime: null,
      endTime: null,
      status: 'scheduled',
      participants: [],
      duration: null,
      updatedAt: base.createdAt,
    };
  }
  const start = scheduled + Math.floor(rand() * 600_000);
  const length = 300_000 + Math.floor(rand() * 2_400_000);
  const end = start + length;
  const participants: Participant[] = [
    { userId: doctorId, userType: 'doctor', joinedAt: iso(start - 60_000), leftAt: iso(end) },
  ];
  if (kind < 0.4) {
    // A reconnect: the patient drops for half a minute mid-visit.
    const drop = start + Math.floor(length / 2);
    participants.push(
      { userId: patientId, userType: 'patient', joinedAt: iso(start), leftAt: iso(drop) },
      { userId: patientId, userType: 'patient', joinedAt: iso(drop + 30_000), leftAt: iso(end) },
    );
  } else {
    participants.push({
      userId: patientId,
      userType: 'patient',
      joinedAt: iso(start),
      leftAt: iso(end),
    });
  }
  return {
    ...base,
    startTime: iso(start),
    endTime: iso(end),
    status: 'completed',
    participants,
    duration: Math.floor(length / 1000),
    updatedAt: iso(end),
  };
}

async function fill(store: MeetingStore, from: number, to: number): Promise<void> {
  const rand = rng(from + 1);
  const BATCH = 5_000;
  for (let i = from; i < to; i += BATCH) {
    const batch: Meeting[] = [];
    for (let j = i; j < Math.min(to, i + BATCH); j++) batch.push(craft(j, rand));
    await store.bulkInsertMeetings(batch);
  }
}

interface ChildRunner {
  compiled: boolean;
  run(mode: Mode, dataDir: string, out: string): ChildResult;
}

/** Builds the service (incremental) and prepares the child script. */
async function prepareChild(dir: string): Promise<ChildRunner> {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-b', join(root, 'services/signaling')], {
    encoding: 'utf8',
  });
  const compiled = build.status === 0;
  if (!compiled) {
    console.log('note: `tsc -b services/signaling` failed; children run the sources under tsx');
  }
  const src = (p: string) =>
    pathToFileURL(join(root, 'services/signaling', compiled ? 'dist' : 'src', p)).href;
  const script = join(dir, compiled ? 'child.mjs' : 'child.mts');
  await writeFile(
    script,
    childSource({
      cli: src(compiled ? 'reports/cli.js' : 'reports/cli.ts'),
      store: src(compiled ? 'store/index.js' : 'store/index.ts'),
      compute: src(compiled ? 'reports/compute.js' : 'reports/compute.ts'),
    }),
  );
  return {
    compiled,
    run(mode, dataDir, out) {
      // BENCH_REPORT_CPU_PROF=<dir> writes a V8 CPU profile per child, for tuning.
      const prof = process.env.BENCH_REPORT_CPU_PROF;
      const args = [
        ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []),
        ...(compiled ? [script] : ['--import', 'tsx', script]),
      ];
      const r = spawnSync(process.execPath, [...args, mode, dataDir, out], {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });
      if (r.status !== 0) throw new Error(`child ${mode} failed (${r.status}): ${r.stderr}`);
      const line = r.stdout.trim().split('\n').pop() ?? '';
      return JSON.parse(line) as ChildResult;
    },
  };
}

async function parent(): Promise<void> {
  const sizes = (process.env.BENCH_REPORT_SIZES ?? '100000,1000000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
  const dir = await mkdtemp(join(tmpdir(), 'bedside-bench-report-'));
  const dataDir = join(dir, 'data');
  let verdict = true;
  let checked = false;
  try {
    const runner = await prepareChild(dir);
    console.log(
      `children run ${runner.compiled ? 'the compiled service (node, dist/)' : 'the TypeScript sources (tsx)'}; times are wall clock, CPU in brackets`,
    );
    let store = await openStore({ dataDir });
    for (let d = 0; d < DOCTORS; d++) {
      await store.createUser({
        id: `doc-${d}`,
        email: `doc-${d}@bench.test`,
        displayName: `Dr. Bench ${d}`,
        role: 'doctor',
        passwordHash: 'scrypt$bench',
      });
    }
    let filled = 0;
    for (const size of sizes) {
      const t0 = performance.now();
      await fill(store, filled, size);
      filled = size;
      const setup = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`filled ${size.toLocaleString('en-US')} meetings (untimed setup, ${setup} s)`);
      // Closed while the children read, so the WAL is checkpointed and nothing competes.
      await store.close();
      const r = (['baseline', 'ranged', 'csv', 'json'] as const).map((mode) =>
        runner.run(mode, dataDir, join(dir, `export-${size}.${mode}`)),
      );
      printSize(size, r);
      if (size === TARGET_ROWS) {
        const csv = r.find((x) => x.mode === 'csv')!;
        checked = true;
        verdict = csv.seconds <= TARGET_SECONDS && csv.maxRssMb <= TARGET_RSS_MB;
      }
      store = await openStore({ dataDir });
    }
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (checked) {
    console.log(
      `target: ${TARGET_ROWS.toLocaleString('en-US')} rows as CSV in ≤ ${TARGET_SECONDS} s with peak RSS ≤ ${TARGET_RSS_MB} MB → ${verdict ? 'met' : 'NOT met'}`,
    );
  }
}

function printSize(size: number, r: ChildResult[]): void {
  console.log(`\n${size.toLocaleString('en-US')} meetings, ${FROM} … ${TO} in ${ZONE}:`);
  console.log(
    `  ${'export'.padEnd(30)} ${'rows'.padStart(9)}  ${'time s (CPU)'.padStart(14)}  ${'rows/s'.padStart(9)}  ${'peak RSS'.padStart(9)}  ${'idle RSS'.padStart(9)}  output`,
  );
  for (const x of r) {
    const label = {
      baseline: 'baseline: streamMeetings({})',
      ranged: 'store share: same range query',
      csv: 'CSV  (bedside report --out)',
      json: 'JSON (bedside report --out)',
    }[x.mode];
    const time = `${x.seconds.toFixed(2)} (${x.cpuSeconds.toFixed(2)})`;
    console.log(
      `  ${label.padEnd(30)} ${String(x.rows).padStart(9)}  ${time.padStart(14)}  ${String(Math.round(x.rows / x.seconds)).padStart(9)}  ${`${x.maxRssMb.toFixed(0)} MB`.padStart(9)}  ${`${x.startRssMb.toFixed(0)} MB`.padStart(9)}  ${x.bytes ? `${mb(x.bytes).toFixed(1)} MB` : '-'}`,
    );
  }
}

await parent();
