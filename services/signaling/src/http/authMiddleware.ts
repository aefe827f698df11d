// Node: bearer-token authentication and role checks for Express routes.
import type { Request, RequestHandler } from 'express';
import type { Role } from '@bedside/shared';
import { bearerToken, resolvePrincipal, type Principal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `authenticate`: who the bearer token says is asking. */
      principal?: Principal;
    }
  }
}

export function authenticate(ctx: ServiceContext): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new AppError('unauthorized', 'Sign in first (missing bearer token)');
    req.principal = await resolvePrincipal(token, ctx);
    // Routers written without the Request augmentation (reports) read it from res.locals.
    res.locals.principal = req.principal;
    next();
  };
}

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const p = req.principal;
    if (!p) throw new AppError('unauthorized', 'Sign in first');
    if (p.kind !== 'user' || !roles.includes(p.role)) {
      throw new AppError('forbidden', `This needs the ${roles.join(' or ')} role`);
    }
    next();
  };
}

/** The signed-in user; call only behind `requireRole`. */
export function userOf(req: Request): UserPrincipal {
  const p = req.principal;
  if (!p || p.kind !== 'user') throw new AppError('unauthorized', 'Sign in first');
  return p;
}
