// Node (root only): a real call between two Chromiums, each in its own network namespace
// (bench/harness/netns.ts), through the real service listening on the host's bridge address.
// The doctor runs in peers[0], the patient in peers[1]. Used by
// packages/shared/src/call/networks.e2e.test.ts and bench/blackhole.bench.ts.
import type { Page } from '@playwright/test';
import { chromiumAvailable, launchHarness, type Harness } from './browser.ts';
import { createNet, netnsMissing, type Net, type Peer } from './netns.ts';
import { createVisit, loginDoctor, startRealService, type BenchService } from './service.ts';
import { CHROMIUM_PATH } from '../../playwright.config.ts';

/** Null when the bad-network call can run here, else what is missing. */
export function missing(): string | null {
  if (!chromiumAvailable()) return `${CHROMIUM_PATH} not found (apt-get install chromium)`;
  return netnsMissing();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every `everyMs` until it returns a truthy value; throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | null | false | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(everyMs);
  }
}

export interface Inbound {
  videoFrames: number;
  videoBytes: number;
  audioBytes: number;
  connected: boolean;
}

export interface Side {
  page: Page;
  peer: Peer;
  eval<T>(fn: string, arg?: unknown): Promise<T>;
  inbound(): Promise<Inbound>;
}

export interface NetworkCall {
  net: Net;
  service: BenchService;
  doctor: Side;
  patient: Side;
  /** Joins both, admits the patient; resolves once video is decoded both ways. */
  connect(): Promise<void>;
  /** Ends the visit (a new `connect()` makes a new one). */
  hangUp(): Promise<void>;
  diagnostics(): Promise<string>;
  close(): Promise<void>;
}

const side = (page: Page, peer: Peer): Side => {
  const ev = <T>(fn: string, arg?: unknown) =>
    page.evaluate(
      ([f, a]) =>
        (window as unknown as Record<string, Record<string, (x: unknown) => unknown>>).bench![
          f as string
        ]!(a),
      [fn, arg] as const,
    ) as Promise<T>;
  return { page, peer, eval: ev, inbound: () => ev<Inbound>('inbound') };
};

/** Creates the namespaces, starts the service on the bridge and a Chromium in each namespace. */
export async function startNetworkCall(): Promise<NetworkCall> {
  const net = createNet(2, CHROMIUM_PATH);
  const harnesses: Harness[] = [];
  let service: BenchService | null = null;
  const close = async () => {
    for (const h of harnesses) await h.close().catch(() => {});
    await service?.close().catch(() => {});
    net.close();
  };
  try {
    service = await startRealService({ host: net.hostAddress });
    const origin = service.url;
    // Plain http on a non-loopback address is not a secure context: getUserMedia needs this.
    const args = [`--unsafely-treat-insecure-origin-as-secure=${origin}`];
    const sides: Side[] = [];
    for (const peer of net.peers) {
      const h = await launchHarness(origin, [], { executablePath: peer.chromium, args });
      harnesses.push(h);
      sides.push(side(await h.open(), peer));
    }
    const [doctor, patient] = sides as [Side, Side];
    const svc = service;
    const doc = await loginDoctor(svc.url);
    let visits = 0;
    const call: NetworkCall = {
      net,
      service: svc,
      doctor,
      patient,
      async connect() {
        const v = await createVisit(svc.url, doc, `net-${process.pid}-${Date.now()}-${++visits}`);
        const common = { serverUrl: svc.url, roomId: v.roomId };
        const d = await doctor.eval<string>('join', {
          ...common,
          token: doc.token,
          userId: doc.userId,
          userType: 'doctor',
          userName: doc.displayName,
          client: 'desktop',
          clientVersion: '0.1.0',
        });
        if (d !== 'connected') throw new Error(`doctor state after join: ${d}`);
        const p = await patient.eval<string>('join', {
          ...common,
          token: v.patientToken,
          userId: v.patientId,
          userType: 'patient',
          userName: 'Network Patient',
          client: 'patient-web',
        });
        if (p !== 'waiting') throw new Error(`patient state after join: ${p}`);
        const [socketId] = await until(
          'the patient in the waiting room',
          async () => {
            const ids = await doctor.eval<string[]>('waitingSocketIds');
            return ids.length ? ids : null;
          },
          15_000,
        );
        await doctor.eval('admit', socketId);
        for (const s of [doctor, patient])
          await until(
            'video decoded both ways',
            async () => (await s.inbound()).videoFrames > 0,
            30_000,
          );
      },
      async hangUp() {
        await doctor.eval('endCall');
        await until(
          'the patient to see the end',
          async () => (await patient.eval<{ kind: string } | null>('state'))?.kind === 'ended',
          15_000,
        );
      },
      async diagnostics() {
        const d = await doctor.eval('diagnostics').catch((e: Error) => e.message);
        const p = await patient.eval('diagnostics').catch((e: Error) => e.message);
        return `doctor: ${JSON.stringify(d)}\npatient: ${JSON.stringify(p)}`;
      },
      close,
    };
    return call;
  } catch (err) {
    await close();
    throw err;
  }
}

/** Resolves once `side` decodes more video frames than it had when called, with the time taken. */
export async function framesRising(s: Side, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  const start = (await s.inbound()).videoFrames;
  await until(
    'decoded video frames rising',
    async () => (await s.inbound()).videoFrames > start,
    timeoutMs,
    50,
  );
  return performance.now() - t0;
}

// ---- the checks networks.e2e.test.ts asserts on (plain data back) ---------------------------

export interface BlackholeResult {
  /** Decoded frames on the doctor's side over the hole's last 2 s (0: the hole held). */
  doctorFramesDuringHole: number;
  /** Lift → decoded frames rising again, per side; null if not within `withinMs`. */
  doctorBackMs: number | null;
  patientBackMs: number | null;
  /** The doctor's quality level seen during the hole. */
  levelDuringHole: string | null;
}

/** A 5 s UDP blackhole on the patient, then how long until media flows again both ways. */
export async function blackholeTrial(
  call: NetworkCall,
  holeMs = 5000,
  withinMs = 10_000,
): Promise<BlackholeResult> {
  const patientPeer = call.patient.peer;
  await Promise.all([framesRising(call.doctor, 10_000), framesRising(call.patient, 10_000)]);
  call.net.blackhole(patientPeer);
  const hole = async () => {
    await sleep(Math.max(0, holeMs - 2000));
    const a = (await call.doctor.inbound()).videoFrames;
    await sleep(Math.min(2000, holeMs));
    const during = (await call.doctor.inbound()).videoFrames - a;
    const level = (await call.doctor.eval<{ level: string } | null>('quality'))?.level ?? null;
    return { during, level };
  };
  let seen: { during: number; level: string | null };
  try {
    seen = await hole();
  } finally {
    call.net.clear(patientPeer);
  }
  const back = (s: Side) => framesRising(s, withinMs).catch(() => null);
  const [doctorBackMs, patientBackMs] = await Promise.all([back(call.doctor), back(call.patient)]);
  return {
    doctorFramesDuringHole: seen.during,
    doctorBackMs,
    patientBackMs,
    levelDuringHole: seen.level,
  };
}

interface Net {
  step: string;
  suggestAudioOnly: boolean;
  availableKbps: number | null;
}
interface Out {
  frameWidth: number;
  bytesSent: number;
  at: number;
}

export interface DegradedResult {
  before: { level: string | null; step: string | null; frameWidth: number; videoKbps: number };
  capped: {
    /** Ms from the cap until the patient's indicator left `good` (null: not within 20 s). */
    indicatorMs: number | null;
    level: string | null;
    step: string | null;
    frameWidth: number;
    videoKbps: number;
    /** Audio bytes the doctor received in each 2 s window while capped (all > 0: audio stayed). */
    audioWindows: number[];
  };
  floor: { suggestAudioOnly: boolean; step: string | null; audioWindows: number[] };
  lifted: { backToGoodMs: number | null; level: string | null; step: string | null };
}

const kbps = (a: Out, b: Out) => ((b.bytesSent - a.bytesSent) * 8) / Math.max(1, b.at - a.at);

async function audioWindows(s: Side, windows: number): Promise<number[]> {
  const out: number[] = [];
  let prev = (await s.inbound()).audioBytes;
  for (let i = 0; i < windows; i++) {
    await sleep(2000);
    const cur = (await s.inbound()).audioBytes;
    out.push(cur - prev);
    prev = cur;
  }
  return out;
}

/**
 * The patient's link capped to `capKbit` (both ways): the indicator, the video the patient
 * sends, the audio the doctor receives; then capped below the floor (`floorKbit`); then lifted.
 */
export async function degradedRun(
  call: NetworkCall,
  capKbit = 300,
  floorKbit = 100,
): Promise<DegradedResult> {
  const { doctor, patient } = call;
  const q = async () => (await patient.eval<{ level: string } | null>('quality'))?.level ?? null;
  const n = () => patient.eval<Net | null>('network');
  const out = () => patient.eval<Out>('outboundVideo');
  const rate = async () => {
    const a = await out();
    await sleep(3000);
    const b = await out();
    return { frameWidth: b.frameWidth, videoKbps: Math.round(kbps(a, b)) };
  };
  // Settle on a clean link first (the estimate ramps up over the first seconds).
  await until('good quality before the cap', async () => (await q()) === 'good', 30_000, 500);
  const before = { level: await q(), step: (await n())?.step ?? null, ...(await rate()) };

  call.net.capBandwidth(patient.peer, capKbit);
  try {
    const t0 = performance.now();
    const left = await until(
      'the indicator to leave good',
      async () => {
        const l = await q();
        return l !== null && l !== 'good' ? l : null;
      },
      20_000,
      250,
    ).catch(() => null);
    const indicatorMs = left ? Math.round(performance.now() - t0) : null;
    // Let the step settle, then measure what is sent while audio is watched.
    await until(
      'video stepped down',
      async () => ((await n())?.step ?? 'full') !== 'full',
      20_000,
      500,
    ).catch(() => null);
    const [sent, audio] = await Promise.all([rate(), audioWindows(doctor, 5)]);
    const capped = {
      indicatorMs,
      level: await q(),
      step: (await n())?.step ?? null,
      ...sent,
      audioWindows: audio,
    };

    call.net.capBandwidth(patient.peer, floorKbit);
    await until(
      'audio-only offered',
      async () => (await n())?.suggestAudioOnly === true,
      30_000,
      500,
    ).catch(() => null);
    const floorNet = await n();
    const floor = {
      suggestAudioOnly: floorNet?.suggestAudioOnly ?? false,
      step: floorNet?.step ?? null,
      audioWindows: await audioWindows(doctor, 3),
    };

    call.net.clear(patient.peer);
    const t1 = performance.now();
    const good = await until(
      'back to good',
      async () => (await q()) === 'good' && (await n())?.step === 'full',
      90_000,
      500,
    ).catch(() => false);
    const lifted = {
      backToGoodMs: good ? Math.round(performance.now() - t1) : null,
      level: await q(),
      step: (await n())?.step ?? null,
    };
    return { before, capped, floor, lifted };
  } finally {
    call.net.clear(patient.peer);
  }
}
