// Node: from a bearer token to the identity behind it. Shared by REST and the socket handshake,
// so both refuse exactly the same tokens.
import type { Role } from '@bedside/shared';
import { AppError } from '../errors.js';
import type { MeetingStore } from '../store/types.js';
import type { TokenService } from './tokens.js';

export type Principal =
  | { kind: 'user'; userId: string; role: Role; name: string }
  | { kind: 'patient'; patientId: string; roomId: string };

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
    // A deleted account or a changed role voids the tokens issued before.
    if (!user || user.role !== claims.role) {
      throw new AppError('unauthorized', 'Token is no longer valid; sign in again');
    }
    return { kind: 'user', userId: user.id, role: user.role, name: user.displayName };
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
  return { kind: 'patient', patientId: claims.sub, roomId: claims.roomId };
}

/** `Authorization: Bearer <token>` → token, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})\s*$/i.exec(header);
  return m ? m[1]! : null;
}
