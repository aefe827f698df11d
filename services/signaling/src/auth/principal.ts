// Node: from a bearer token to the identity behind it. Shared by REST and the socket handshake,
// so both refuse exactly the same tokens.
import type { Role } from '@bedside/shared';
import { AppError } from '../errors.js';
import type { MeetingStore } from '../store/types.js';
import type { TokenService } from './tokens.js';

/** `expiresAt`: when the token behind it expires (ms since the epoch); sockets end there. */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      role: Role;
      name: string;
      /** The original sign-in (seconds), carried through refreshes. */
      authTime: number;
      expiresAt: number;
    }
  | { kind: 'patient'; patientId: string; roomId: string; expiresAt: number };

export const actorOf = (p: Principal): { actorId: string; actorRole: Role | 'patient' } =>
  p.kind === 'user'
    ? { actorId: p.userId, actorRole: p.role }
    : { actorId: p.patientId, actorRole: 'patient' };

export async function resolvePrincipal(
  token: string,
  deps: { tokens: TokenService; store: MeetingStore },
): Promise<Principal> {
  const claims = await deps.tokens.verify(token);
  if (claims.typ === 'access') {
    const user = await deps.store.getUserById(claims.sub);
    // A deleted account or a changed role voids the tokens issued before; a password reset,
    // sign-out or disable bumps the version, voiding every token issued under the old one.
    if (!user || user.role !== claims.role || user.tokenVersion !== claims.ver) {
      throw new AppError('unauthorized', 'Your session has ended; sign in again');
    }
    if (user.disabled) throw new AppError('unauthorized', 'This account is disabled');
    return {
      kind: 'user',
      userId: user.id,
      role: user.role,
      name: user.displayName,
      authTime: claims.authTime,
      expiresAt: claims.exp * 1000,
    };
  }
  const meeting = await deps.store.getMeeting(claims.roomId);
  if (!meeting || meeting.patientId !== claims.sub) {
    throw new AppError('unauthorized', 'This join link is not valid');
  }
  if (meeting.status === 'cancelled') {
    throw new AppError('room-closed', 'This visit was cancelled');
  }
  if (meeting.status === 'completed') {
    throw new AppError('room-closed', 'This visit has ended');
  }
  return {
    kind: 'patient',
    patientId: claims.sub,
    roomId: claims.roomId,
    expiresAt: claims.exp * 1000,
  };
}

/** `Authorization: Bearer <token>` → token, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})\s*$/i.exec(header);
  return m ? m[1]! : null;
}
