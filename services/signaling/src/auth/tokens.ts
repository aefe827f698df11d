// Node: signed tokens (JWT, HS256 via jose). The token is the identity: access tokens name a
// user and role; patient join tokens name a patient and the one room they may enter.
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import {
  GuestRoleSchema,
  RoleSchema,
  RoomIdSchema,
  UserIdSchema,
  type GuestRole,
  type Role,
} from '@bedside/shared';
import { AppError } from '../errors.js';

const ISSUER = 'bedside';
const AUDIENCE = 'bedside';
export const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;
export const PATIENT_TOKEN_GRACE_SECONDS = 24 * 60 * 60;
/** How long a sign-in lasts through refreshes unless SESSION_MAX_AGE_HOURS says otherwise. */
export const DEFAULT_SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export type TokenClaims =
  | {
      typ: 'access';
      sub: string;
      role: Role;
      name: string;
      /** The user's tokenVersion when issued: a reset, sign-out or disable bumps it. */
      ver: number;
      /** Seconds since the epoch of the password sign-in this token descends from. */
      authTime: number;
      exp: number;
    }
  | { typ: 'patient'; sub: string; roomId: string; exp: number }
  | { typ: 'guest'; sub: string; roomId: string; role: GuestRole; lv?: number; exp: number };

const ClaimsSchema = z.discriminatedUnion('typ', [
  z.object({
    typ: z.literal('access'),
    sub: UserIdSchema,
    role: RoleSchema,
    name: z.string().max(200),
    ver: z.number().int().min(0),
    authTime: z.number().int().min(0),
    exp: z.number(),
  }),
  z.object({ typ: z.literal('patient'), sub: UserIdSchema, roomId: RoomIdSchema, exp: z.number() }),
  z.object({
    typ: z.literal('guest'),
    sub: UserIdSchema,
    roomId: RoomIdSchema,
    role: GuestRoleSchema,
    /** The guest's linkVersion when signed; absent on a first link. */
    lv: z.number().int().min(0).optional(),
    exp: z.number(),
  }),
]);

export interface TokenService {
  /**
   * An hour's access, never past `authTime` + the session's maximum age. `authTime` (seconds)
   * is the original sign-in: a refresh passes the old token's, a login leaves it out (now).
   */
  signAccess(
    user: { id: string; role: Role; displayName: string; tokenVersion: number },
    authTime?: number,
  ): Promise<{
    token: string;
    expiresAt: string;
  }>;
  /** Valid until the later of scheduled time + 24 h and now + 24 h, so a late link still works. */
  signPatient(input: { patientId: string; roomId: string; scheduledTime: string }): Promise<{
    token: string;
    expiresAt: string;
  }>;
  /** A guest's link: bound to the room, the guest and the role; expires like a patient's. */
  signGuest(input: {
    guestId: string;
    roomId: string;
    role: GuestRole;
    scheduledTime: string;
    /** The guest's linkVersion (0 for the first link). */
    linkVersion?: number;
  }): Promise<{ token: string; expiresAt: string }>;
  /**
   * Throws `AppError('unauthorized')` for anything but a valid, unexpired token of ours; an
   * access token also expires with its session (`authTime` + the maximum age).
   */
  verify(token: string): Promise<TokenClaims>;
}

export function createTokenService(
  secret: string,
  now: () => number = Date.now,
  sessionMaxAgeSeconds: number = DEFAULT_SESSION_MAX_AGE_SECONDS,
): TokenService {
  // Imported once: handing jose raw bytes would re-import the key on every sign and verify.
  const keyPromise = globalThis.crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );

  const sign = async (claims: Record<string, unknown>, sub: string, exp: number) => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(sub)
      .setIssuedAt(Math.floor(now() / 1000))
      .setExpirationTime(exp)
      .sign(await keyPromise);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  };

  return {
    signAccess(user, authTime) {
      const nowS = Math.floor(now() / 1000);
      const since = authTime ?? nowS;
      const sessionEnd = since + sessionMaxAgeSeconds;
      if (sessionEnd <= nowS) {
        throw new AppError('unauthorized', 'Your session has ended; sign in again');
      }
      const exp = Math.min(nowS + ACCESS_TOKEN_TTL_SECONDS, sessionEnd);
      return sign(
        {
          typ: 'access',
          role: user.role,
          name: user.displayName,
          ver: user.tokenVersion,
          authTime: since,
        },
        user.id,
        exp,
      );
    },
    signPatient({ patientId, roomId, scheduledTime }) {
      const nowS = Math.floor(now() / 1000);
      const scheduledS = Math.floor(Date.parse(scheduledTime) / 1000);
      const exp = Math.max(scheduledS, nowS) + PATIENT_TOKEN_GRACE_SECONDS;
      return sign({ typ: 'patient', roomId }, patientId, exp);
    },
    signGuest({ guestId, roomId, role, scheduledTime, linkVersion = 0 }) {
      const nowS = Math.floor(now() / 1000);
      const scheduledS = Math.floor(Date.parse(scheduledTime) / 1000);
      const exp = Math.max(scheduledS, nowS) + PATIENT_TOKEN_GRACE_SECONDS;
      const claims = {
        typ: 'guest',
        roomId,
        role,
        ...(linkVersion > 0 ? { lv: linkVersion } : {}),
      };
      return sign(claims, guestId, exp);
    },
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, await keyPromise, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          clockTolerance: 5,
          currentDate: new Date(now()),
        }));
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) {
          throw new AppError('unauthorized', 'Token has expired', { cause: err });
        }
        throw new AppError('unauthorized', 'Token is not valid', { cause: err });
      }
      const claims = ClaimsSchema.safeParse(payload);
      if (!claims.success) throw new AppError('unauthorized', 'Token is not valid');
      // Refreshes only ever shorten exp to the session's end; this catches a token signed
      // under a longer SESSION_MAX_AGE_HOURS than the one now configured.
      if (
        claims.data.typ === 'access' &&
        claims.data.authTime + sessionMaxAgeSeconds <= Math.floor(now() / 1000)
      ) {
        throw new AppError('unauthorized', 'Your session has ended; sign in again');
      }
      return claims.data;
    },
  };
}
