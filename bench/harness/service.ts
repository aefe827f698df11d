// Node: the real signaling service for benches and e2e checks — started in-process on port 0
// with a temp data dir — plus the REST calls a doctor's app makes before a call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface BenchService {
  url: string;
  close(): Promise<void>;
}

export interface ServiceOptions {
  turnUrls?: string[];
  turnSecret?: string | null;
  /** The embedded store's durability level; default BENCH_SQLITE_SYNCHRONOUS, else the service's. */
  sqliteSynchronous?: 'normal' | 'full';
  /** Address to listen on (default loopback), e.g. a bridge address for namespaced peers. */
  host?: string;
  /**
   * Connection caps (MAX_SOCKETS_PER_PRINCIPAL / _PER_ADDRESS), for a bench whose one signed-in
   * doctor holds a socket per room, all from 127.0.0.1; checked at connect, not per event.
   */
  socketCaps?: { perPrincipal: number; perAddress: number };
}

/** BENCH_SQLITE_SYNCHRONOUS=full|normal, to compare store durability levels in a bench. */
export function benchSqliteSynchronous(): 'normal' | 'full' | undefined {
  const v = process.env.BENCH_SQLITE_SYNCHRONOUS;
  if (v === undefined || v === '') return undefined;
  if (v !== 'normal' && v !== 'full') throw new Error('BENCH_SQLITE_SYNCHRONOUS: normal or full');
  return v;
}

export const DEMO_DOCTOR = { email: 'doctor@demo.test', password: 'demo-password' };

/**
 * The service's configuration for a bench: port 0 on loopback, the embedded store in `dataDir`,
 * no Redis, no MongoDB, silent logs, the demo doctor's password, no public STUN.
 */
export function benchServiceConfig(dataDir: string, o: ServiceOptions = {}) {
  return {
    nodeEnv: 'test' as const,
    port: 0,
    host: o.host ?? '127.0.0.1',
    publicUrl: null,
    dataDir,
    jwtSecret: null,
    mongodbUri: null,
    redisUrl: null,
    logLevel: 'silent' as const,
    demoPassword: DEMO_DOCTOR.password,
    // No internet here: a public STUN server would only add failing lookups.
    stunUrls: [],
    turnUrls: o.turnUrls ?? [],
    turnSecret: o.turnSecret ?? null,
    patientWebDir: path.join(dataDir, 'none'),
    ...(o.sqliteSynchronous ? { sqliteSynchronous: o.sqliteSynchronous } : {}),
    ...(o.socketCaps
      ? {
          maxSocketsPerPrincipal: o.socketCaps.perPrincipal,
          maxSocketsPerAddress: o.socketCaps.perAddress,
        }
      : {}),
  };
}

/** Starts the service in this process with `benchServiceConfig` (lazily imported). */
export async function startBenchService(dataDir: string, o: ServiceOptions = {}) {
  // Imported lazily: the service (and its store) load only when a bench runs.
  const { startService } = await import('../../services/signaling/src/server.ts');
  return startService(benchServiceConfig(dataDir, o));
}

export async function startRealService(o: ServiceOptions = {}): Promise<BenchService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bedside-bench-'));
  const sync = o.sqliteSynchronous ?? benchSqliteSynchronous();
  const svc = await startBenchService(dataDir, {
    ...o,
    ...(sync ? { sqliteSynchronous: sync } : {}),
  });
  return {
    url: svc.url,
    async close() {
      await svc.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
  const json = (await res.json()) as T;
  if (!res.ok)
    throw new Error(`POST ${new URL(url).pathname}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface Doctor {
  token: string;
  userId: string;
  displayName: string;
}

export async function loginDoctor(base: string): Promise<Doctor> {
  const r = await post<{ token: string; user: { id: string; displayName: string } }>(
    `${base}/api/auth/login`,
    DEMO_DOCTOR,
  );
  return { token: r.token, userId: r.user.id, displayName: r.user.displayName };
}

export interface Visit {
  roomId: string;
  patientId: string;
  patientToken: string;
}

export async function createVisit(
  base: string,
  doctor: Doctor,
  appointmentId: string,
): Promise<Visit> {
  const r = await post<{ roomId: string; patientJoinUrl: string; meeting: { patientId: string } }>(
    `${base}/api/meetings`,
    { appointmentId, scheduledTime: new Date().toISOString() },
    doctor.token,
  );
  const token = new URLSearchParams(new URL(r.patientJoinUrl).hash.slice(1)).get('token');
  if (!token) throw new Error('patientJoinUrl carries no #token=');
  return { roomId: r.roomId, patientId: r.meeting.patientId, patientToken: token };
}
