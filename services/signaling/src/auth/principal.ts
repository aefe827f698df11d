// Node: from a bearer token to the identity behind it. Shared by REST and the socket handshake,
// so both refuse exactly the same tokens.
import type { GuestRole, Role } from '@bedside/shared';
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
  | { kind: 'patient'; patientId: string; roomId: string; expiresAt: number }
  | { kind: 'guest'; guestId: string; roomId: string; role: GuestRole; expiresAt: number };

export const actorOf = (
  p: Principal,
): { actorId: string; actorRole: Role | 'patient' | 'guest' } => {
  switch (p.kind) {
    case 'user':
      return { actorId: p.userId, actorRole: p.role };
    case 'patient':
      return { actorId: p.patientId, actorRole: 'patient' };
    case 'guest':
      return { actorId: p.guestId, actorRole: 'guest' };
    default: {
      const never: never = p;
      return never;
    }
  }
};

/** The id a principal goes by in a room and in the record. */
export const principalId = (p: Principal): string =>
  p.kind === 'user' ? p.userId : p.kind === 'patient' ? p.patientId : p.guestId;

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
  if (claims.typ === 'guest') {
    // The link is revoked by removing the guest; the role in it must still be the invited one.
    const guest = meeting ? await deps.store.getGuest(claims.roomId, claims.sub) : null;
    if (!guest || guest.role !== claims.role) {
      throw new AppError('unauthorized', 'This join link is not valid');
    }
    if (guest.removedAt !== null) {
      throw new AppError('forbidden', 'The doctor removed you from this visit');
    }
    // The doctor issued a newer link: this one is revoked.
    if ((claims.lv ?? 0) !== guest.linkVersion) {
      throw new AppError('unauthorized', 'This join link was replaced by a newer one');
    }
  } else if (!meeting || meeting.patientId !== claims.sub) {
    throw new AppError('unauthorized', 'This join link is not valid');
  }
  if (!meeting) throw new AppError('unauthorized', 'This join link is not valid');
  if (meeting.status === 'cancelled') {
    throw new AppError('room-closed', 'This visit was cancelled');
  }
  if (meeting.status === 'completed') {
    throw new AppError('room-closed', 'This visit has ended');
  }
  if (claims.typ === 'guest') {
    return {
      kind: 'guest',
      guestId: claims.sub,
      roomId: claims.roomId,
      role: claims.role,
      expiresAt: claims.exp * 1000,
    };
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
