// Node: POST /api/auth/login, /api/auth/refresh and /api/auth/logout (sign-out).
import { Router, type Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { LoginRequestSchema, type LoginResponse } from '@bedside/shared';
import { Backoff, Gate } from '../auth/loginThrottle.js';
import { dummyHash, verifyPassword } from '../auth/passwords.js';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import type { StoredUser } from '../store/types.js';
import { authenticate, requireRole, userOf } from './authMiddleware.js';
import { parseInput } from './validate.js';

const WINDOW_MS = 15 * 60 * 1000;

const userView = (u: StoredUser) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
});

/** Per account, whatever the address: a handful of tries, then 1 s, 2 s … up to a minute. */
const ACCOUNT_BACKOFF = {
  free: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  forgetAfterMs: WINDOW_MS,
};
/** Per address: room for a clinic behind one NAT, then the same backoff. */
const ADDRESS_BACKOFF = {
  free: 20,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  forgetAfterMs: WINDOW_MS,
};
/**
 * scrypt takes ~0.1 s and 32 MiB: two at once, eight waiting, the rest refused at once, so a
 * burst of bad sign-ins costs the next real one at most about half a second.
 */
const HASH_CONCURRENCY = 2;
const HASH_QUEUE = 8;

function refuseFor(res: Response, waitMs: number, message: string): never {
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
  throw new AppError('rate-limited', message);
}

export function authRouter(ctx: ServiceContext): Router {
  const router = Router();
  const accounts = new Backoff(ACCOUNT_BACKOFF);
  const addresses = new Backoff(ADDRESS_BACKOFF);
  const hashing = new Gate(HASH_CONCURRENCY, HASH_QUEUE);

  router.post('/login', async (req, res) => {
    const { email, password } = parseInput(LoginRequestSchema, req.body, 'login request');
    const accountKey = email.trim().toLowerCase();
    const addressKey = ipKeyGenerator(req.ip ?? '');
    const wait = Math.max(accounts.waitMs(accountKey), addresses.waitMs(addressKey));
    if (wait > 0) refuseFor(res, wait, 'Too many failed sign-in attempts; try again shortly');

    const checked = await hashing.run(async () => {
      const user = await ctx.store.getUserByEmail(email);
      // Verify against a dummy hash when the user does not exist, so timing does not tell.
      const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
      return valid ? user : null;
    });
    if (!checked) refuseFor(res, 1000, 'The service is busy signing others in; try again');
    const user = checked.value;
    if (!user) {
      accounts.fail(accountKey);
      addresses.fail(addressKey);
      throw new AppError('unauthorized', 'Email or password is incorrect');
    }
    accounts.succeed(accountKey);
    addresses.succeed(addressKey);
    if (user.disabled) throw new AppError('forbidden', 'This account is disabled');
    const { token, expiresAt } = await ctx.tokens.signAccess(user);
    await ctx.audit.record({ actorId: user.id, actorRole: user.role, action: 'user.login' });
    const body: LoginResponse = { token, expiresAt, user: userView(user) };
    res.json(body);
  });

  // A refresh keeps the original sign-in time, so the chain ends SESSION_MAX_AGE_HOURS after it.
  router.post('/refresh', authenticate(ctx), requireRole('doctor', 'manager'), async (req, res) => {
    const principal = userOf(req);
    const user = await ctx.store.getUserById(principal.userId);
    if (!user) throw new AppError('unauthorized', 'Token is no longer valid; sign in again');
    const { token, expiresAt } = await ctx.tokens.signAccess(user, principal.authTime);
    const body: LoginResponse = { token, expiresAt, user: userView(user) };
    res.json(body);
  });

  // Sign-out ends every session of the user (all devices): the token version moves on.
  router.post('/logout', authenticate(ctx), requireRole('doctor', 'manager'), async (req, res) => {
    const principal = userOf(req);
    await ctx.store.revokeSessions(principal.userId);
    await ctx.rooms?.endSessions(principal.userId);
    await ctx.audit.record({
      actorId: principal.userId,
      actorRole: principal.role,
      action: 'user.logout',
    });
    res.status(204).end();
  });

  return router;
}
