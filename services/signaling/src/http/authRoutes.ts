// Node: POST /api/auth/login and /api/auth/refresh.
import { Router } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { LoginRequestSchema, type LoginResponse } from '@bedside/shared';
import { dummyHash, verifyPassword } from '../auth/passwords.js';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import type { StoredUser } from '../store/types.js';
import { authenticate, requireRole, userOf } from './authMiddleware.js';
import { parseInput } from './validate.js';

const WINDOW_MS = 15 * 60 * 1000;
type RateLimitHandler = Options['handler'];

const userView = (u: StoredUser) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
});

export function authRouter(ctx: ServiceContext): Router {
  const router = Router();
  const refuse: RateLimitHandler = (_req, _res, next) => {
    next(new AppError('rate-limited', 'Too many sign-in attempts; try again in a few minutes'));
  };
  // Failed attempts per address and account: slows guessing without locking the account.
  const perAccount = rateLimit({
    windowMs: WINDOW_MS,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const body = req.body as { email?: unknown } | undefined;
      const email =
        typeof body?.email === 'string' ? body.email.trim().toLowerCase().slice(0, 254) : '';
      return `${ipKeyGenerator(req.ip ?? '')}|${email}`;
    },
    handler: refuse,
  });
  // Every attempt per address: caps spraying across many accounts.
  const perAddress = rateLimit({
    windowMs: WINDOW_MS,
    limit: 300,
    standardHeaders: false,
    legacyHeaders: false,
    handler: refuse,
  });

  router.post('/login', perAddress, perAccount, async (req, res) => {
    const { email, password } = parseInput(LoginRequestSchema, req.body, 'login request');
    const user = await ctx.store.getUserByEmail(email);
    // Verify against a dummy hash when the user does not exist, so timing does not tell.
    const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !valid) throw new AppError('unauthorized', 'Email or password is incorrect');
    const { token, expiresAt } = await ctx.tokens.signAccess(user);
    await ctx.audit.record({ actorId: user.id, actorRole: user.role, action: 'user.login' });
    const body: LoginResponse = { token, expiresAt, user: userView(user) };
    res.json(body);
  });

  router.post('/refresh', authenticate(ctx), requireRole('doctor', 'manager'), async (req, res) => {
    const principal = userOf(req);
    const user = await ctx.store.getUserById(principal.userId);
    if (!user) throw new AppError('unauthorized', 'Token is no longer valid; sign in again');
    const { token, expiresAt } = await ctx.tokens.signAccess(user);
    const body: LoginResponse = { token, expiresAt, user: userView(user) };
    res.json(body);
  });

  return router;
}
