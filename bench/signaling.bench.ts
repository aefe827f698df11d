// Signaling relay latency and idle-connection memory: the Bedside service beside PeerJS server
// (`peer`), measured in the same run, on the same machine, with the same client code (raw `ws`
// clients on both sides speaking each server's wire protocol, so client cost is equal and only
// the servers differ; Socket.io's websocket transport is one the product's clients use too).
//
//  • Relay latency: in each room a doctor and an admitted patient (PeerJS: two peers) do
//    offer→answer and ICE→ICE round trips through the server (two relays each), with a ~4 KB
//    SDP. One room paces itself under the service's per-connection event limit; 100 and 500
//    rooms pause 0.5–1.5 s between exchanges (busy, not a saturation test). The two servers run
//    side by side and take turns, so other load on the machine falls on both alike. p50 / p99 of
//    the round trips, and the server's CPU time per relayed message (steadier than wall-clock
//    tails on a busy machine). A third server beside them, bare Socket.io (the same version,
//    same options, a handler that only forwards to the target socket: no auth, rooms, checks
//    or limits), says how much of Bedside's figure is Socket.io itself and how much its own
//    per-event work.
//  • Memory: RSS growth per idle authenticated connection, as the slope from 1000 to 3000
//    connections in a fresh server process, after forced GC, so the clients' memory does not
//    count. Heap growth per connection is printed beside it.
//
//   npm run bench -- signaling        (needs packages/shared built: `npx tsc -b`)
//   BENCH_ROOMS=1,100  BENCH_PHASE_MS=4000  BENCH_IDLE_CONNECTIONS=500  BENCH_ONLY=memory|latency
//   BENCH_CPU_PROF=<dir> (CPU profiles of the servers)  BENCH_DEBUG_MEMORY=1
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { WebSocket } from 'ws';
import { quantile } from './harness/common.ts';
import { DEMO_DOCTOR, startBenchService } from './harness/service.ts';

const ROLE = process.argv[2];
const HERE = fileURLToPath(import.meta.url);
const DEMO = DEMO_DOCTOR;
const ROOM_LEVELS = (process.env.BENCH_ROOMS ?? '1,100,500').split(',').map(Number);
const IDLE_CONNECTIONS = Number(process.env.BENCH_IDLE_CONNECTIONS ?? 2000);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 8000);
const SINGLE_ROOM_EXCHANGES = 150;
const TURNS = 2;
// Between exchanges in a room: 500 rooms make ~1000 round trips/s, busy but not saturated.
const PACED_PAUSE_MS: [number, number] = [500, 1500];
const LOST_AFTER_MS = 5000;
// Each client sends two events per exchange; pausing ≥ 45 ms keeps one room under the
// service's per-connection limit (50 events/s sustained), as a real client stays.
const SINGLE_ROOM_PAUSE_MS: [number, number] = [45, 55];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- server processes -----------------------------------------------------------------------

interface MemorySample {
  rss: number;
  heapUsed: number;
  /**
   * Resident pages of V8's young generation. Empty after a full GC, but V8 keeps (and grows,
   * up to 2 × 16 MB) them in reaction to allocation bursts: a fixed reserve, not per-connection.
   */
  youngPages: number;
}

type ServerMessage =
  | { type: 'ready'; url: string }
  | ({ type: 'memory' } & MemorySample)
  | { type: 'cpu'; micros: number };

async function measureMemory(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(100);
  }
  const m = process.memoryUsage();
  if (process.env.BENCH_DEBUG_MEMORY) {
    const spaces = getHeapSpaceStatistics().map((x) => [x.space_name, x.physical_space_size]);
    process.stderr.write(`${JSON.stringify({ ...m, spaces: Object.fromEntries(spaces) })}\n`);
  }
  const young = getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
  return { rss: m.rss, heapUsed: m.heapUsed, youngPages: young?.physical_space_size ?? 0 };
}

async function serveBedside(): Promise<void> {
  // Relay latency is the subject, not disk flushes: on tmpfs, setting up 500 rooms (a few
  // durable store writes each) takes seconds instead of most of the bench's time budget.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dataDir = mkdtempSync(path.join(base, 'bedside-bench-signaling-'));
  // One bench doctor holds a socket in every room, and everything connects from 127.0.0.1.
  const svc = await startBenchService(dataDir, {
    socketCaps: { perPrincipal: 1000, perAddress: 100_000 },
  });
  serveLoop(svc.url, async () => {
    await svc.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

async function servePeer(): Promise<void> {
  const { PeerServer } = await import('peer');
  const url = await new Promise<string>((resolve) => {
    PeerServer({ port: 0, host: '127.0.0.1', path: '/' }, (server) => {
      const { port } = server.address() as { port: number };
      resolve(`http://127.0.0.1:${port}`);
    });
  });
  serveLoop(url, async () => {});
}

/** Socket.io with nothing of Bedside's: forwards offer/answer/ICE to `targetSocketId`. */
async function serveBareSocketIo(): Promise<void> {
  const { createServer } = await import('node:http');
  const { Server } = await import('socket.io');
  const http = createServer();
  // The service's own engine options (services/signaling/src/socket/signaling.ts).
  const io = new Server(http, {
    perMessageDeflate: false,
    connectionStateRecovery: undefined,
    pingInterval: 20_000,
    transports: ['websocket'],
  });
  io.on('connection', (socket) => {
    for (const ev of ['offer', 'answer', 'ice-candidate'])
      socket.on(ev, (p: { targetSocketId?: unknown } & Record<string, unknown>) => {
        const target = io.sockets.sockets.get(String(p?.targetSocketId));
        const { targetSocketId: _to, roomId: _room, ...rest } = p;
        target?.emit(ev, { ...rest, socketId: socket.id });
      });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  serveLoop(`http://127.0.0.1:${port}`, async () => {
    await io.close();
  });
}

function serveLoop(url: string, close: () => Promise<void>) {
  // The bench was stopped (or died): do not outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: { type: string }) => {
    if (m.type === 'memory')
      void measureMemory().then((mem) => process.send?.({ type: 'memory', ...mem }));
    if (m.type === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: u.user + u.system });
    }
    if (m.type === 'stop') void close().finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url });
}

class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(
    role: 'bedside-server' | 'peer-server' | 'socketio-server',
  ): Promise<ServerProcess> {
    const child = fork(HERE, [role], {
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        ...(process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
          : []),
      ],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
      child.on('message', (m: ServerMessage) => {
        if (m.type === 'ready') resolve(m.url);
      });
    });
    return new ServerProcess(child, url);
  }

  memory(): Promise<MemorySample> {
    return new Promise((resolve) => {
      const onMessage = (m: ServerMessage) => {
        if (m.type !== 'memory') return;
        this.child.off('message', onMessage);
        resolve(m);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'memory' });
    });
  }

  /** CPU time (user + system, µs) the server process has used so far. */
  cpu(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (m: ServerMessage) => {
        if (m.type !== 'cpu') return;
        this.child.off('message', onMessage);
        resolve(m.micros);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'cpu' });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'stop' });
    await Promise.race([exited, sleep(10_000)]);
    this.child.kill('SIGKILL');
  }
}

// ---- clients --------------------------------------------------------------------------------

type Kind = 'offer' | 'answer' | 'ice';

/** What a latency run needs of a client: an id, send to a peer, and a handler per kind. */
interface Endpoint {
  id: string;
  send(kind: Kind, to: string): void;
  on(kind: Kind, fn: (from: string) => void): void;
  close(): void;
}

// A realistic audio + video offer is 4–6 KB.
const SDP = `v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n${'a=candidate-ish-line padding for a realistic size\r\n'.repeat(80)}`;
const CANDIDATE = {
  candidate:
    'candidate:842163049 1 udp 1677729535 203.0.113.7 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0',
  sdpMid: '0',
  sdpMLineIndex: 0,
};

/** A minimal Socket.io v5 client over a raw WebSocket (the product's websocket transport). */
class RawSocketIo {
  sid = '';
  private ackId = 0;
  private readonly acks = new Map<number, (v: unknown) => void>();
  private readonly handlers = new Map<string, (payload: unknown) => void>();

  private constructor(private readonly ws: WebSocket) {}

  static connect(base: string, auth: Record<string, unknown>): Promise<RawSocketIo> {
    const ws = new WebSocket(
      `${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`,
      {
        perMessageDeflate: false,
      },
    );
    const client = new RawSocketIo(ws);
    return new Promise((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (raw) => {
        const s = raw.toString();
        if (s === '2') ws.send('3');
        else if (s.startsWith('0')) ws.send(`40${JSON.stringify(auth)}`);
        else if (s.startsWith('40')) {
          client.sid = (JSON.parse(s.slice(2)) as { sid: string }).sid;
          resolve(client);
        } else if (s.startsWith('44')) reject(new Error(`refused: ${s.slice(2)}`));
        else if (s.startsWith('42')) {
          const [event, payload] = JSON.parse(s.slice(2)) as [string, unknown];
          client.handlers.get(event)?.(payload);
        } else if (s.startsWith('43')) {
          const m = /^43(\d+)(.*)$/s.exec(s);
          if (m) {
            const [result] = JSON.parse(m[2]!) as [unknown];
            client.acks.get(Number(m[1]))?.(result);
            client.acks.delete(Number(m[1]));
          }
        }
      });
    });
  }

  emit(event: string, payload: unknown): void {
    this.ws.send(`42${JSON.stringify([event, payload])}`);
  }

  emitAck<T>(event: string, payload: unknown): Promise<T> {
    const id = this.ackId++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve as (v: unknown) => void);
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  on(event: string, fn: (payload: unknown) => void): void {
    this.handlers.set(event, fn);
  }

  close(): void {
    this.ws.close();
  }
}

function bedsideEndpoint(s: RawSocketIo, roomId: string): Endpoint {
  const EVENT: Record<Kind, string> = { offer: 'offer', answer: 'answer', ice: 'ice-candidate' };
  return {
    id: s.sid,
    send(kind, to) {
      if (kind === 'offer')
        s.emit('offer', { roomId, offer: { type: 'offer', sdp: SDP }, targetSocketId: to });
      else if (kind === 'answer')
        s.emit('answer', { roomId, answer: { type: 'answer', sdp: SDP }, targetSocketId: to });
      else s.emit('ice-candidate', { roomId, candidate: CANDIDATE, targetSocketId: to });
    },
    on(kind, fn) {
      s.on(EVENT[kind], (p) => fn((p as { socketId: string }).socketId));
    },
    close: () => s.close(),
  };
}

async function json<T>(
  url: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function bedsideDoctor(base: string) {
  return json<{ token: string; user: { id: string; displayName: string } }>(
    `${base}/api/auth/login`,
    {
      method: 'POST',
      body: DEMO,
    },
  );
}

let roomSeq = 0;
/** One Bedside room: meeting created, doctor joined, patient admitted. */
async function bedsideRoom(
  base: string,
  doctor: Awaited<ReturnType<typeof bedsideDoctor>>,
): Promise<[Endpoint, Endpoint]> {
  const appointmentId = `bench-${process.pid}-${roomSeq++}`;
  const created = await json<{
    roomId: string;
    patientJoinUrl: string;
    meeting: { patientId: string };
  }>(`${base}/api/meetings`, {
    method: 'POST',
    token: doctor.token,
    body: { appointmentId, scheduledTime: new Date().toISOString() },
  });
  const { roomId } = created;
  const patientToken = decodeURIComponent(created.patientJoinUrl.split('#token=')[1]!);
  const doc = await RawSocketIo.connect(base, { token: doctor.token, client: 'other' });
  const joined = await doc.emitAck<{ ok: boolean }>('join-room', {
    roomId,
    userId: doctor.user.id,
    userType: 'doctor',
    userName: doctor.user.displayName,
  });
  if (!joined.ok) throw new Error(`doctor join failed: ${JSON.stringify(joined)}`);
  const pat = await RawSocketIo.connect(base, { token: patientToken, client: 'patient-web' });
  const admitted = new Promise<void>((resolve) => pat.on('admitted', () => resolve()));
  await pat.emitAck('join-room', {
    roomId,
    userId: created.meeting.patientId,
    userType: 'patient',
    userName: 'Bench',
  });
  const r = await doc.emitAck<{ ok: boolean }>('admit-patient', { roomId, socketId: pat.sid });
  if (!r.ok) throw new Error(`admit failed: ${JSON.stringify(r)}`);
  await admitted;
  return [bedsideEndpoint(doc, roomId), bedsideEndpoint(pat, roomId)];
}

/** Two bare Socket.io clients (nothing to join: the bare server forwards by socket id). */
async function bareRoom(base: string): Promise<[Endpoint, Endpoint]> {
  const [a, b] = await Promise.all([RawSocketIo.connect(base, {}), RawSocketIo.connect(base, {})]);
  return [bedsideEndpoint(a, 'bare'), bedsideEndpoint(b, 'bare')];
}

let peerSeq = 0;
async function peerClient(base: string): Promise<Endpoint> {
  const id = `peer-${process.pid}-${peerSeq++}`;
  const ws = new WebSocket(
    `${base.replace(/^http/, 'ws')}/peerjs?key=peerjs&id=${id}&token=t${peerSeq}`,
    {
      perMessageDeflate: false,
    },
  );
  const TYPE: Record<Kind, string> = { offer: 'OFFER', answer: 'ANSWER', ice: 'CANDIDATE' };
  const handlers = new Map<string, (from: string) => void>();
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as { type: string; src?: string };
      if (m.type === 'OPEN') resolve();
      else handlers.get(m.type)?.(m.src ?? '');
    });
  });
  return {
    id,
    send(kind, to) {
      const payload = kind === 'ice' ? { candidate: CANDIDATE } : { sdp: { type: kind, sdp: SDP } };
      ws.send(JSON.stringify({ type: TYPE[kind], dst: to, payload }));
    },
    on(kind, fn) {
      handlers.set(TYPE[kind], fn);
    },
    close: () => ws.close(),
  };
}

async function peerRoom(base: string): Promise<[Endpoint, Endpoint]> {
  return [await peerClient(base), await peerClient(base)];
}

// ---- measurements ---------------------------------------------------------------------------

/** Runs exchanges in every room until the deadline (or `exchanges` each); returns RTTs in ms. */
async function exchange(
  rooms: [Endpoint, Endpoint][],
  opts: { durationMs?: number; exchanges?: number; pauseMs: [number, number] },
  lost: { count: number } = { count: 0 },
): Promise<number[]> {
  const samples: number[] = [];
  const deadline = performance.now() + (opts.durationMs ?? Infinity);
  await Promise.all(
    rooms.map(async ([a, b]) => {
      b.on('offer', (from) => b.send('answer', from));
      b.on('ice', (from) => b.send('ice', from));
      let pending: (() => void) | null = null;
      a.on('answer', () => pending?.());
      a.on('ice', () => pending?.());
      // A reply that never comes counts as lost (and would fail the run's comparison).
      const roundTrip = (kind: Kind) =>
        new Promise<number | null>((resolve) => {
          const t0 = performance.now();
          const timer = setTimeout(() => {
            pending = null;
            resolve(null);
          }, LOST_AFTER_MS);
          pending = () => {
            clearTimeout(timer);
            pending = null;
            resolve(performance.now() - t0);
          };
          a.send(kind, b.id);
        });
      const sample = (rtt: number | null) => {
        if (rtt === null) lost.count++;
        else samples.push(rtt);
      };
      // Desynchronise the rooms.
      await sleep(Math.random() * opts.pauseMs[1]);
      for (let i = 0; i < (opts.exchanges ?? Infinity) && performance.now() < deadline; i++) {
        sample(await roundTrip('offer'));
        sample(await roundTrip('ice'));
        const [lo, hi] = opts.pauseMs;
        await sleep(lo + Math.random() * (hi - lo));
      }
    }),
  );
  return samples;
}

interface LatencyRow {
  rooms: number;
  p50: number;
  p99: number;
  samples: number;
  lost: number;
  /** Server CPU (µs) per relayed message: robust when the machine is busy with other work. */
  cpuPerRelay: number;
}

interface System {
  name: string;
  server: ServerProcess;
  makeRoom: (base: string) => Promise<[Endpoint, Endpoint]>;
  rooms: [Endpoint, Endpoint][];
}

/** One measured run of `rooms` on one system; pools into `acc`. */
async function run(
  sys: System,
  rooms: [Endpoint, Endpoint][],
  opts: Parameters<typeof exchange>[1],
  acc: { samples: number[]; lost: number; cpuMicros: number },
) {
  const lost = { count: 0 };
  const cpuBefore = await sys.server.cpu();
  acc.samples.push(...(await exchange(rooms, opts, lost)));
  acc.cpuMicros += (await sys.server.cpu()) - cpuBefore;
  acc.lost += lost.count;
}

/**
 * The servers run side by side and take turns (B, P, S, B, P, S at every level), so load from
 * anything else on the machine falls on all alike.
 */
async function latency(systems: System[]): Promise<Map<string, LatencyRow[]>> {
  const out = new Map<string, LatencyRow[]>(systems.map((s) => [s.name, []]));
  for (const level of ROOM_LEVELS) {
    for (const sys of systems) {
      const started = performance.now();
      while (sys.rooms.length < level) {
        const batch = Math.min(25, level - sys.rooms.length);
        sys.rooms.push(
          ...(await Promise.all(Array.from({ length: batch }, () => sys.makeRoom(sys.server.url)))),
        );
      }
      await exchange(sys.rooms.slice(0, 1), { exchanges: 10, pauseMs: SINGLE_ROOM_PAUSE_MS });
      process.stderr.write(
        `  ${sys.name}: ${level} room(s) ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
    const acc = new Map(
      systems.map((s) => [s.name, { samples: [] as number[], lost: 0, cpuMicros: 0 }]),
    );
    for (let turn = 0; turn < TURNS; turn++) {
      for (const sys of systems) {
        const rooms = sys.rooms.slice(0, level);
        await run(
          sys,
          rooms,
          level === 1
            ? { exchanges: SINGLE_ROOM_EXCHANGES / TURNS, pauseMs: SINGLE_ROOM_PAUSE_MS }
            : { durationMs: PHASE_MS / TURNS, pauseMs: PACED_PAUSE_MS },
          acc.get(sys.name)!,
        );
      }
    }
    for (const sys of systems) {
      const a = acc.get(sys.name)!;
      out.get(sys.name)!.push({
        rooms: level,
        p50: quantile(a.samples, 0.5),
        p99: quantile(a.samples, 0.99),
        samples: a.samples.length,
        lost: a.lost,
        // Each round trip is two relays.
        cpuPerRelay: a.cpuMicros / (2 * a.samples.length),
      });
    }
  }
  return out;
}

interface MemoryRow {
  perConnection: number;
  /** RSS slope less the young generation's resident pages. */
  retainedPerConnection: number;
  heapPerConnection: number;
  n: number;
}

/**
 * RSS growth per connection as a slope: 1000 connections first (which also soak up pages the
 * heap freed earlier and RSS still counts), measure, then IDLE_CONNECTIONS more, measure.
 */
async function memory(
  server: ServerProcess,
  connectOne: (base: string, i: number) => Promise<{ close(): void }>,
): Promise<MemoryRow> {
  const clients: { close(): void }[] = [];
  const open = async (n: number) => {
    for (let i = 0; i < n; i += 50) {
      const batch = Math.min(50, n - i);
      clients.push(
        ...(await Promise.all(
          Array.from({ length: batch }, () => connectOne(server.url, clients.length)),
        )),
      );
    }
    await sleep(1500);
  };
  try {
    await open(1000);
    const before = await server.memory();
    await open(IDLE_CONNECTIONS);
    const after = await server.memory();
    return {
      perConnection: (after.rss - before.rss) / IDLE_CONNECTIONS,
      retainedPerConnection:
        (after.rss - after.youngPages - (before.rss - before.youngPages)) / IDLE_CONNECTIONS,
      heapPerConnection: (after.heapUsed - before.heapUsed) / IDLE_CONNECTIONS,
      n: IDLE_CONNECTIONS,
    };
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const sharedDist = fileURLToPath(new URL('../packages/shared/dist/index.js', import.meta.url));
  if (!existsSync(sharedDist)) {
    console.error('packages/shared is not built: run `npx tsc -b` first');
    process.exit(1);
  }
  const t0 = performance.now();

  const only = process.env.BENCH_ONLY;
  // Every server process starts at once (starting one is most of a second of compiling); the
  // memory ones stay untouched, with nothing connected, until their turn.
  const [bedsideServer, peerServer, bareServer, bedsideMemServer, peerMemServer] =
    await Promise.all([
      only === 'memory' ? null : ServerProcess.start('bedside-server'),
      only === 'memory' ? null : ServerProcess.start('peer-server'),
      only === 'memory' ? null : ServerProcess.start('socketio-server'),
      only === 'latency' ? null : ServerProcess.start('bedside-server'),
      only === 'latency' ? null : ServerProcess.start('peer-server'),
    ]);
  let bedsideRows: LatencyRow[] = [];
  let peerRows: LatencyRow[] = [];
  let bareRows: LatencyRow[] = [];
  if (bedsideServer && peerServer && bareServer) {
    let doctor: ReturnType<typeof bedsideDoctor> | null = null;
    const systems: System[] = [
      {
        name: 'bedside',
        server: bedsideServer,
        rooms: [],
        makeRoom: async (base) => {
          doctor ??= bedsideDoctor(base);
          return bedsideRoom(base, await doctor);
        },
      },
      { name: 'peerjs', server: peerServer, rooms: [], makeRoom: peerRoom },
      { name: 'socket.io', server: bareServer, rooms: [], makeRoom: bareRoom },
    ];
    try {
      const rows = await latency(systems);
      bedsideRows = rows.get('bedside')!;
      peerRows = rows.get('peerjs')!;
      bareRows = rows.get('socket.io')!;
    } finally {
      for (const sys of systems) {
        for (const [a, b] of sys.rooms) {
          a.close();
          b.close();
        }
        await sys.server.stop();
      }
    }
  }

  let doctorToken: Promise<string> | null = null;
  const bedsideMem =
    bedsideMemServer &&
    (await memory(bedsideMemServer, async (base) => {
      doctorToken ??= bedsideDoctor(base).then((d) => d.token);
      return RawSocketIo.connect(base, { token: await doctorToken, client: 'other' });
    }));
  const peerMem = peerMemServer && (await memory(peerMemServer, (base) => peerClient(base)));

  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join(' | ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of rows) console.log(line(r));
  };
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const us = (n: number) => `${n.toFixed(0)} µs`;
  if (bedsideRows.length > 0) {
    console.log(
      '\nRelay round trip through the server (offer→answer and ICE→ICE; ~4 KB SDP), p50 / p99',
    );
    table(
      [
        'rooms',
        'Bedside p50',
        'Bedside p99',
        'PeerJS p50',
        'PeerJS p99',
        'Socket.io p50',
        'Socket.io p99',
        'p99 B/P',
        'CPU/relay B',
        'CPU/relay P',
        'CPU/relay S',
        'samples B / P / S',
        'lost B / P / S',
      ],
      bedsideRows.map((b, i) => {
        const p = peerRows[i]!;
        const so = bareRows[i]!;
        return [
          String(b.rooms),
          ms(b.p50),
          ms(b.p99),
          ms(p.p50),
          ms(p.p99),
          ms(so.p50),
          ms(so.p99),
          `×${(b.p99 / p.p99).toFixed(2)}`,
          us(b.cpuPerRelay),
          us(p.cpuPerRelay),
          us(so.cpuPerRelay),
          `${b.samples} / ${p.samples} / ${so.samples}`,
          `${b.lost} / ${p.lost} / ${so.lost}`,
        ];
      }),
    );
    console.log(
      'B = Bedside, P = PeerJS server, S = bare Socket.io (forwarding only): B − S is what\n' +
        "Bedside's own per-event work (limits, schema, room checks) costs; S − P is Socket.io's.",
    );
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  if (bedsideMem && peerMem) {
    console.log(
      `\nServer memory per idle authenticated connection (slope over ${IDLE_CONNECTIONS} connections, after GC)`,
    );
    table(
      ['server', 'RSS / conn', 'RSS / conn without young gen', 'heap / conn', 'target ≤ 12 KB'],
      [
        [
          'Bedside',
          kb(bedsideMem.perConnection),
          kb(bedsideMem.retainedPerConnection),
          kb(bedsideMem.heapPerConnection),
          bedsideMem.retainedPerConnection <= 12 * 1024 ? 'met' : 'NOT met',
        ],
        [
          'PeerJS',
          kb(peerMem.perConnection),
          kb(peerMem.retainedPerConnection),
          kb(peerMem.heapPerConnection),
          '',
        ],
      ],
    );
    console.log(
      'After a full GC the young generation is empty, but V8 keeps its pages resident (growing\n' +
        'them to up to 32 MB after allocation bursts such as a wave of connections): a fixed\n' +
        'reserve, not memory held per connection, and it swings the raw RSS slope by several KB\n' +
        'at 2000 connections. The target is judged on RSS without it.',
    );
  }
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

if (ROLE === 'bedside-server') await serveBedside();
else if (ROLE === 'peer-server') await servePeer();
else if (ROLE === 'socketio-server') await serveBareSocketIo();
else await main();
