// Node (tests only): start the real service on port 0 in a temp data dir, and drive it through
// real HTTP (fetch) and real socket.io-client connections.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CreateMeetingResponse,
  JoinRoomResult,
  LoginResponse,
  ServerToClientEvents,
} from '@bedside/shared';
import { createAccount } from '../auth/users.js';
import type { Config } from '../config/index.js';
import { startService, type RunningService } from '../server.js';
import type { MeetingStore } from '../store/types.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const DEMO_PASSWORD = 'demo-password-for-tests';

export function tempDir(prefix = 'bedside-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestService(
  overrides: Partial<Config> = {},
): Promise<RunningService & { dataDir: string }> {
  const dataDir = overrides.dataDir ?? tempDir().dir;
  const service = await startService({
    nodeEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    publicUrl: null,
    jwtSecret: null,
    mongodbUri: null,
    redisUrl: null,
    logLevel: (process.env.LOG_LEVEL as Config['logLevel'] | undefined) ?? 'silent',
    demoPassword: DEMO_PASSWORD,
    patientWebDir: path.join(dataDir, 'no-patient-web'),
    consoleWebDir: path.join(dataDir, 'no-console-web'),
    ...overrides,
    dataDir,
  });
  return { ...service, dataDir };
}

export interface Json {
  status: number;
  body: unknown;
  headers: Headers;
}

export async function api(
  base: string,
  method: string,
  urlPath: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Json> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + urlPath, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON; keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function login(
  base: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<LoginResponse> {
  const r = await api(base, 'POST', '/api/auth/login', { body: { email, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as LoginResponse;
}

export async function addDoctor(store: MeetingStore, email: string, displayName: string) {
  return createAccount(store, { email, displayName, role: 'doctor', password: DEMO_PASSWORD });
}

export async function createMeeting(
  base: string,
  token: string,
  appointmentId: string,
  extra: Record<string, unknown> = {},
): Promise<CreateMeetingResponse & { patientToken: string }> {
  const r = await api(base, 'POST', '/api/meetings', {
    token,
    body: { appointmentId, scheduledTime: new Date().toISOString(), ...extra },
  });
  if (r.status !== 201 && r.status !== 200) {
    throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const body = r.body as CreateMeetingResponse;
  const patientToken = decodeURIComponent(body.patientJoinUrl.split('#token=')[1] ?? '');
  return { ...body, patientToken };
}

const sockets = new Set<ClientSocket>();

/** Connects and resolves once connected; rejects with the handshake error. */
export function connect(
  base: string,
  auth: Record<string, unknown> | null,
  opts: { transports?: string[]; extraHeaders?: Record<string, string> } = {},
): Promise<ClientSocket> {
  const socket: ClientSocket = ioClient(base, {
    ...(auth ? { auth } : {}),
    forceNew: true,
    reconnection: false,
    transports: opts.transports ?? ['websocket'],
    ...(opts.extraHeaders ? { extraHeaders: opts.extraHeaders } : {}),
  });
  sockets.add(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

export function closeAllSockets(): void {
  for (const s of sockets) s.close();
  sockets.clear();
}

/** Emits and waits for the ack (`{ ok, data } | { ok, error }`). */
export function emitAck<T = unknown>(
  socket: ClientSocket,
  event: string,
  payload: unknown,
  timeoutMs = 5000,
): Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }> {
  return (
    socket as unknown as {
      timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<never> };
    }
  )
    .timeout(timeoutMs)
    .emitWithAck(event, payload);
}

/** The `join-room` payload the doctor's app sends (the one place tests spell it out). */
export const doctorJoinPayload = (roomId: string, doctor: { id: string; displayName: string }) => ({
  roomId,
  userId: doctor.id,
  userType: 'doctor' as const,
  userName: doctor.displayName,
});

/** Joins `roomId` as the signed-in doctor, with the payload the doctor's app sends. */
export function joinAsDoctor(socket: ClientSocket, doctor: LoginResponse, roomId: string) {
  return emitAck<JoinRoomResult>(socket, 'join-room', doctorJoinPayload(roomId, doctor.user));
}

/** Resolves with the next `event` payload (optionally the next one matching `pred`). */
export function next<T = unknown>(
  socket: ClientSocket,
  event: string,
  pred: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const s = socket as unknown as {
      on(e: string, fn: (p: T) => void): void;
      off(e: string, fn: (p: T) => void): void;
    };
    const timer = setTimeout(() => {
      s.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const handler = (p: T) => {
      if (!pred(p)) return;
      clearTimeout(timer);
      s.off(event, handler);
      resolve(p);
    };
    s.on(event, handler);
  });
}

/** Emits anything, bypassing the typed event map (for hostile input). */
export function rawEmit(socket: ClientSocket, event: string, ...args: unknown[]): void {
  (socket as unknown as { emit(e: string, ...a: unknown[]): void }).emit(event, ...args);
}

/** Records every event a socket receives, for "nothing arrived" assertions. */
export function record(socket: ClientSocket): { events: { event: string; args: unknown[] }[] } {
  const log: { event: string; args: unknown[] }[] = [];
  socket.onAny((event: string, ...args: unknown[]) => log.push({ event, args }));
  return { events: log };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Meetings and users as stored, for before/after comparisons. */
export async function snapshot(store: MeetingStore) {
  const { items } = await store.listMeetings({}, { page: 1, limit: 1000 });
  const users = await store.listUsers();
  return { meetings: items, users };
}

export const SAMPLE_OFFER = {
  type: 'offer' as const,
  sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n',
};
export const SAMPLE_ANSWER = {
  type: 'answer' as const,
  sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\n',
};
export const SAMPLE_CANDIDATE = {
  candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
};
