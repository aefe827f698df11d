// Node: a throwaway coturn (TURN REST `use-auth-secret`) on a free loopback port, and the
// relay-only call check that packages/shared/src/call/turn.e2e.test.ts asserts on.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumAvailable, launchHarness } from './browser.ts';
import { createVisit, loginDoctor, startRealService } from './service.ts';

const TURNSERVER = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';

/** Why the check cannot run here, or null when it can. */
export function missing(): string | null {
  if (!chromiumAvailable()) return 'Chromium not found at /usr/bin/chromium (set CHROMIUM_PATH)';
  if (!existsSync(TURNSERVER))
    return 'coturn not found (apt-get install coturn, or set TURNSERVER_PATH)';
  return null;
}

const freeUdpPort = () =>
  new Promise<number>((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** A STUN Binding request; resolves once the server answers (it is up). */
function stunPing(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0); // Binding request
    req.writeUInt32BE(0x2112a442, 4); // magic cookie
    randomBytes(12).copy(req, 8);
    const timer = setTimeout(() => done(false), timeoutMs);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.close();
      resolve(ok);
    };
    s.on('message', (m) => done(m.readUInt16BE(0) === 0x0101));
    s.send(req, port, '127.0.0.1');
  });
}

export interface Turn {
  url: string;
  secret: string;
  output(): string;
  stop(): void;
}

export async function startTurn(): Promise<Turn> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bedside-turn-'));
  const port = await freeUdpPort();
  const secret = randomBytes(24).toString('hex');
  const conf = path.join(dir, 'turnserver.conf');
  // Test only: loopback peers are allowed because both browsers live on 127.0.0.1.
  writeFileSync(
    conf,
    [
      `listening-port=${port}`,
      'listening-ip=127.0.0.1',
      'relay-ip=127.0.0.1',
      'min-port=40000',
      'max-port=49999',
      'use-auth-secret',
      `static-auth-secret=${secret}`,
      'realm=bedside.test',
      'allow-loopback-peers',
      'no-tls',
      'no-dtls',
      'no-tcp-relay',
      'no-cli',
      'fingerprint',
      `userdb=${path.join(dir, 'turndb')}`,
      `pidfile=${path.join(dir, 'turnserver.pid')}`,
      'log-file=stdout',
      'simple-log',
      '',
    ].join('\n'),
  );
  let out = '';
  const proc: ChildProcess = spawn(TURNSERVER, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  proc.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const stop = () => {
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (proc.exitCode !== null) break;
    if (await stunPing(port, 200))
      return { url: `turn:127.0.0.1:${port}?transport=udp`, secret, output: () => out, stop };
  }
  stop();
  throw new Error(`coturn did not start:\n${out.slice(-2000)}`);
}

export interface TurnCheckResult {
  /** The service's ICE list as the engine received it (credentials redacted). */
  iceServers: Array<{ urls: string | string[]; username: boolean; credential: boolean }>;
  /** Relay candidates gathered with the service's credentials / with a wrong password. */
  relayCandidates: { valid: number; tampered: number };
  patient: { connected: boolean; relay: boolean; framesBefore: number; framesAfter: number };
  doctor: { connected: boolean; relay: boolean; framesBefore: number; framesAfter: number };
}

/**
 * Real coturn + the real service (TURN_URLS / TURN_SECRET) + two Chromium pages running
 * CallEngine with iceTransportPolicy 'relay': the only way for media to flow is through coturn
 * with the credentials the service handed out.
 */
export async function runTurnCheck(): Promise<TurnCheckResult> {
  const turn = await startTurn();
  const service = await startRealService({ turnUrls: [turn.url], turnSecret: turn.secret });
  const harness = await launchHarness(service.url);
  try {
    const doctor = await loginDoctor(service.url);
    const visit = await createVisit(service.url, doctor, `turn-${Date.now()}`);
    const [docPage, patPage] = [await harness.open(), await harness.open()];
    type Ev = (fn: string, arg?: unknown) => Promise<unknown>;
    const ev =
      (page: typeof docPage): Ev =>
      (fn, arg) =>
        page.evaluate(
          ([f, a]) =>
            (window as unknown as Record<string, Record<string, (x: unknown) => unknown>>).bench![
              f as string
            ]!(a),
          [fn, arg] as const,
        );
    const doc = ev(docPage);
    const pat = ev(patPage);

    const ice = (
      await patPage.evaluate(
        async ([base, token]) => {
          const r = await fetch(`${base}/api/ice-servers`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return (await r.json()) as { iceServers: RTCIceServer[] };
        },
        [service.url, visit.patientToken] as const,
      )
    ).iceServers;
    const tampered = ice.map((s) => (s.credential ? { ...s, credential: `${s.credential}x` } : s));
    const valid = (await pat('gatherRelay', ice)) as number;
    const bad = (await pat('gatherRelay', tampered)) as number;

    const common = { serverUrl: service.url, roomId: visit.roomId, iceTransportPolicy: 'relay' };
    await doc('join', {
      ...common,
      token: doctor.token,
      userId: doctor.userId,
      userType: 'doctor',
      userName: doctor.displayName,
      client: 'desktop',
      clientVersion: '0.1.0',
    });
    await pat('join', {
      ...common,
      token: visit.patientToken,
      userId: visit.patientId,
      userType: 'patient',
      userName: 'Relay Patient',
      client: 'patient-web',
    });
    let waiting: string[] = [];
    for (let i = 0; i < 200 && waiting.length === 0; i++) {
      waiting = (await doc('waitingSocketIds')) as string[];
      if (!waiting.length) await new Promise((r) => setTimeout(r, 25));
    }
    if (!waiting[0]) throw new Error('patient never reached the waiting room');
    await pat('watchFirstFrame', 30_000);
    await doc('watchFirstFrame', 30_000);
    await doc('admit', waiting[0]);
    const side = async (e: Ev) => {
      const connected = await e('firstFrameAt').then(
        () => true,
        () => false,
      );
      type Inb = { videoFrames: number; relay: boolean };
      const before = (await e('inbound')) as Inb;
      await new Promise((r) => setTimeout(r, 800));
      const after = (await e('inbound')) as Inb;
      return {
        connected,
        relay: after.relay,
        framesBefore: before.videoFrames,
        framesAfter: after.videoFrames,
      };
    };
    const [p, d] = await Promise.all([side(pat), side(doc)]);
    await doc('endCall').catch(() => {});
    return {
      iceServers: ice.map((s) => ({
        urls: s.urls,
        username: !!s.username,
        credential: !!s.credential,
      })),
      relayCandidates: { valid, tampered: bad },
      patient: p,
      doctor: d,
    };
  } finally {
    await harness.close();
    await service.close();
    turn.stop();
  }
}
