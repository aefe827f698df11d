// Event-loop delay in the service during a burst of 100 admits, and how long each admit takes
// to reach the doctor as `user-joined` (the moment the doctor's app sends its offer). The
// service runs in its own process (so the 200 client sockets load this one, not it), on a real
// disk (ext4 here, not tmpfs: fsync must cost what it costs), once per store durability level,
// beside an idle baseline measured in the same process:
//   • idle           — no load, same measuring window: the floor of the timer resolution
//   • synchronous=FULL   — the previous setting: every commit fsyncs, on the event loop
//   • synchronous=NORMAL — the default now (WAL; see docs/resilience.md)
// Rounds alternate between the two, so other load on the machine falls on both alike.
//
//   npm run bench -- admit-burst        (needs packages/shared built: `npx tsc -b`)
//   BENCH_ROUNDS=5  BENCH_ADMITS=100  BENCH_DATA_DIR=/path/on/the/disk/to/measure
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { median, quantile } from './harness/common.ts';
import { DEMO_DOCTOR, startBenchService } from './harness/service.ts';

const ROLE = process.argv[2];
const HERE = fileURLToPath(import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ADMITS = Number(process.env.BENCH_ADMITS ?? 100);
const DEMO = DEMO_DOCTOR;
type Sync = 'full' | 'normal';

interface LoopStats {
  /** monitorEventLoopDelay: one sample per timer tick, so one long stall is one sample. */
  p99: number;
  max: number;
}

type FromServer = { type: 'ready'; url: string } | ({ type: 'loop' } & LoopStats);

// ---- the service process -----------------------------------------------------------------------

async function serve(sync: Sync): Promise<void> {
  const dataDir = mkdtempSync(
    path.join(process.env.BENCH_DATA_DIR ?? os.tmpdir(), 'bedside-burst-'),
  );
  const svc = await startBenchService(dataDir, { sqliteSynchronous: sync });
  const h = monitorEventLoopDelay({ resolution: 1 });
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: { type: string }) => {
    if (m.type === 'start') {
      h.reset();
      h.enable();
    } else if (m.type === 'stop') {
      h.disable();
      const ms = (ns: number) => ns / 1e6;
      process.send?.({
        type: 'loop',
        p99: ms(h.percentile(99)),
        max: ms(h.max),
      });
    } else if (m.type === 'exit') {
      void svc.close().then(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
  process.send?.({ type: 'ready', url: svc.url });
}

// ---- the driver --------------------------------------------------------------------------------

class Server {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(sync: Sync): Promise<Server> {
    const child = fork(HERE, [sync], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
      child.on('message', (m: FromServer) => {
        if (m.type === 'ready') resolve(m.url);
      });
    });
    return new Server(child, url);
  }

  start() {
    this.child.send({ type: 'start' });
  }

  stop(): Promise<LoopStats> {
    return new Promise((resolve) => {
      const on = (m: FromServer) => {
        if (m.type !== 'loop') return;
        this.child.off('message', on);
        resolve(m);
      };
      this.child.on('message', on);
      this.child.send({ type: 'stop' });
    });
  }

  async exit() {
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'exit' });
    await gone;
  }
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${new URL(url).pathname}: ${res.status}`);
  return (await res.json()) as T;
}

const connect = (url: string, token: string) =>
  new Promise<Socket>((resolve, reject) => {
    const s = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });

const ack = async (s: Socket, event: string, payload: unknown) => {
  const r = (await s.timeout(30_000).emitWithAck(event, payload)) as {
    ok: boolean;
    data?: { status: string };
  };
  if (!r.ok) throw new Error(`${event} refused: ${JSON.stringify(r)}`);
  return r.data;
};

/**
 * Seconds spent inside store calls so far, from the service's own /metrics. better-sqlite3 runs
 * on the event loop, so this is loop time taken by the store: a figure the machine's other load
 * hardly moves, unlike the latencies.
 */
async function storeSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('bedside_store_query_duration_seconds_sum'))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

interface Burst {
  /** Loop time inside store calls during the burst, per admit (ms). */
  storeMsPerAdmit: number;
  loop: LoopStats;
  idle: LoopStats;
  /** admit emitted → doctor has user-joined, per admit (ms). */
  toUserJoined: number[];
  /** admit emitted → admit acknowledged, per admit (ms). */
  toAck: number[];
}

let visitSeq = 0;

/** 100 doctors with a waiting patient each; all admit at once. */
async function burst(server: Server): Promise<Burst> {
  const login = await post<{ token: string; user: { id: string; displayName: string } }>(
    `${server.url}/api/auth/login`,
    DEMO,
  );
  const pairs = await Promise.all(
    Array.from({ length: ADMITS }, async () => {
      const r = await post<{
        roomId: string;
        patientJoinUrl: string;
        meeting: { patientId: string };
      }>(
        `${server.url}/api/meetings`,
        {
          appointmentId: `burst-${process.pid}-${visitSeq++}`,
          scheduledTime: new Date().toISOString(),
        },
        login.token,
      );
      const patientToken = new URLSearchParams(new URL(r.patientJoinUrl).hash.slice(1)).get(
        'token',
      )!;
      const doc = await connect(server.url, login.token);
      await ack(doc, 'join-room', {
        roomId: r.roomId,
        userId: login.user.id,
        userType: 'doctor',
        userName: login.user.displayName,
      });
      const pat = await connect(server.url, patientToken);
      await ack(pat, 'join-room', {
        roomId: r.roomId,
        userId: r.meeting.patientId,
        userType: 'patient',
        userName: 'Bench Patient',
      });
      return { roomId: r.roomId, doc, pat };
    }),
  );
  await new Promise((r) => setTimeout(r, 300));

  // Idle window first, as long as the burst's will be (measured after).
  server.start();
  await new Promise((r) => setTimeout(r, 300));
  const idle = await server.stop();

  const storeBefore = await storeSeconds(server.url);
  server.start();
  const toUserJoined: number[] = [];
  const toAck: number[] = [];
  await Promise.all(
    pairs.map(async ({ roomId, doc, pat }) => {
      const joined = new Promise<void>((resolve) =>
        doc.once('user-joined', () => {
          toUserJoined.push(performance.now() - t0);
          resolve();
        }),
      );
      const t0 = performance.now();
      await ack(doc, 'admit-patient', { roomId, socketId: pat.id });
      toAck.push(performance.now() - t0);
      await joined;
    }),
  );
  // The tail of each admit (startTime, audit) lands in the window too.
  await new Promise((r) => setTimeout(r, 300));
  const loop = await server.stop();
  const storeMsPerAdmit = (((await storeSeconds(server.url)) - storeBefore) * 1000) / ADMITS;
  for (const p of pairs) {
    p.doc.close();
    p.pat.close();
  }
  return { storeMsPerAdmit, loop, idle, toUserJoined, toAck };
}

const f = (n: number) => `${n.toFixed(1).padStart(7)} ms`;

async function main() {
  const servers = { full: await Server.start('full'), normal: await Server.start('normal') };
  const results: Record<Sync, Burst[]> = { full: [], normal: [] };
  try {
    // One warm-up each (JIT, first fsyncs of a new file), not counted.
    for (let round = -1; round < ROUNDS; round++) {
      for (const sync of ['full', 'normal'] as const) {
        const b = await burst(servers[sync]);
        if (round >= 0) results[sync].push(b);
        if (round >= 0)
          console.log(
            `round ${round + 1} ${sync.padEnd(6)}: store ${f(b.storeMsPerAdmit)}/admit | loop delay p99 ${f(b.loop.p99)} max ${f(b.loop.max)} | admit → user-joined p50 ${f(median(b.toUserJoined))} p99 ${f(quantile(b.toUserJoined, 0.99))}`,
          );
      }
    }
  } finally {
    await servers.full.exit();
    await servers.normal.exit();
  }
  const [load] = os.loadavg();
  console.log(
    `\n${ROUNDS} rounds of ${ADMITS} concurrent admits, ${os.cpus().length} cores, load average ${load!.toFixed(1)}, data dir on ${process.env.BENCH_DATA_DIR ?? os.tmpdir()}`,
  );
  console.log('Service event-loop delay (median over rounds):');
  const idle = [...results.full, ...results.normal].map((b) => b.idle);
  const row = (label: string, xs: LoopStats[]) =>
    console.log(
      `  ${label.padEnd(36)} p99 ${f(median(xs.map((x) => x.p99)))}  max ${f(median(xs.map((x) => x.max)))}`,
    );
  row('idle baseline (same processes)', idle);
  for (const sync of ['full', 'normal'] as const) {
    row(
      `burst, synchronous=${sync.toUpperCase()}`,
      results[sync].map((b) => b.loop),
    );
  }
  console.log(
    '  (monitorEventLoopDelay samples once per loop turn: a long stall is one sample, so it shows in max, hardly in p99)',
  );
  console.log('Event-loop time inside store calls, per admit (median over rounds):');
  for (const sync of ['full', 'normal'] as const)
    console.log(
      `  ${`synchronous=${sync.toUpperCase()}`.padEnd(36)} ${f(median(results[sync].map((b) => b.storeMsPerAdmit)))}`,
    );
  console.log('Admit → doctor gets user-joined (all admits of all rounds):');
  for (const sync of ['full', 'normal'] as const) {
    const all = results[sync].flatMap((b) => b.toUserJoined);
    const acks = results[sync].flatMap((b) => b.toAck);
    console.log(
      `  ${`synchronous=${sync.toUpperCase()}`.padEnd(36)} p50 ${f(median(all))}  p99 ${f(quantile(all, 0.99))}  (admit ack p99 ${f(quantile(acks, 0.99))})`,
    );
  }
}

if (ROLE === 'full' || ROLE === 'normal') await serve(ROLE);
else await main();
