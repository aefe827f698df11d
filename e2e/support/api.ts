// Node (Playwright worker): the service's REST API and a doctor's Socket.io client, driven the
// way the desktop app drives them, for end-to-end tests.
import type {
  ClientToServerEvents,
  CreateMeetingResponse,
  LoginResponse,
  ServerToClientEvents,
} from '@bedside/shared';
import { SignJWT, decodeJwt } from 'jose';
import { io, type Socket } from 'socket.io-client';
import type { TestService } from './service.ts';

/** Seeded in every non-production store (see docs/architecture.md, "Roles and identity"). */
export const DEMO_USERS = {
  doctor: { email: 'doctor@demo.test', password: 'demo-password' },
  manager: { email: 'manager@demo.test', password: 'demo-password' },
} as const;

export type DoctorSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function call<T>(
  service: TestService,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

export async function loginAs(
  service: TestService,
  role: keyof typeof DEMO_USERS,
): Promise<LoginResponse> {
  return call<LoginResponse>(service, 'POST', '/api/auth/login', null, DEMO_USERS[role]);
}

/** A unique appointment id, so tests sharing one service never collide. */
export function uniqueAppointmentId(prefix = 'e2e'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function createMeeting(
  service: TestService,
  token: string,
  input: {
    appointmentId?: string;
    scheduledTime?: string;
    patientName?: string;
    patientId?: string;
  } = {},
): Promise<CreateMeetingResponse> {
  return call<CreateMeetingResponse>(service, 'POST', '/api/meetings', token, {
    appointmentId: input.appointmentId ?? uniqueAppointmentId(),
    scheduledTime: input.scheduledTime ?? new Date().toISOString(),
    ...(input.patientName ? { patientName: input.patientName } : {}),
    ...(input.patientId ? { patientId: input.patientId } : {}),
  });
}

export async function cancelMeeting(
  service: TestService,
  token: string,
  roomId: string,
): Promise<unknown> {
  return call(service, 'POST', `/api/meetings/${encodeURIComponent(roomId)}/cancel`, token, {});
}

export async function getMeeting<T = CreateMeetingResponse['meeting']>(
  service: TestService,
  token: string,
  roomId: string,
): Promise<T> {
  const body = await call<T | { meeting: T }>(
    service,
    'GET',
    `/api/meetings/${encodeURIComponent(roomId)}`,
    token,
  );
  return body && typeof body === 'object' && 'meeting' in body ? body.meeting : (body as T);
}

/** The patient token inside a join link (`…#token=…`). */
export function tokenFromJoinUrl(joinUrl: string): string {
  const token = new URLSearchParams(new URL(joinUrl).hash.slice(1)).get('token');
  if (!token) throw new Error('join link carries no token');
  return token;
}

/**
 * Re-signs a token with the service's own secret after changing claims (e.g. `exp` in the
 * past): a token the service would have issued, not a forgery.
 */
export async function resignToken(
  service: TestService,
  token: string,
  patch: Record<string, unknown>,
): Promise<string> {
  const claims = { ...decodeJwt(token), ...patch };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(service.jwtSecret));
}

/** A doctor's signaling connection from Node (no media): sees the waiting room, admits, ends. */
export async function connectDoctor(service: TestService, token: string): Promise<DoctorSocket> {
  const socket: DoctorSocket = io(service.url, {
    auth: { token, client: 'other' },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Resolves with the next `event` payload that satisfies `accept`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: DoctorSocket,
  event: E,
  accept: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no matching "${String(event)}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}

/** The doctor enters the room (and so starts receiving `waiting-room`). */
export async function doctorJoins(
  socket: DoctorSocket,
  roomId: string,
  doctor: LoginResponse['user'],
): Promise<void> {
  const ack = await socket.timeout(10_000).emitWithAck('join-room', {
    roomId,
    userId: doctor.id,
    userType: 'doctor',
    userName: doctor.displayName,
  });
  if (!ack.ok) throw new Error(`doctor join-room refused: ${ack.error.code} ${ack.error.message}`);
}
