// Node: the Express application: security headers, the Origin allowlist, JSON bodies capped at
// 16 KB, every route of the wire contract (docs/architecture.md), the clinician console at
// /app, the built patient page, and one error handler.
import express, { type Express, type Router } from 'express';
import type { ServiceContext } from '../context.js';
import { AppError, errorHandler, notFoundHandler, routeOf } from '../errors.js';
import { authenticate, requireRole } from './authMiddleware.js';
import { authRouter } from './authRoutes.js';
import { consoleWebRouter } from './consoleWeb.js';
import { corsAllowlist } from './cors.js';
import { guestsRouter } from './guestsRoutes.js';
import { iceServersRouter } from './iceServers.js';
import { meetingsRouter } from './meetingsRoutes.js';
import { opsRouter } from './opsRoutes.js';
import { patientWebRouter } from './patientWeb.js';
import { consoleContentSecurityPolicy, securityHeaders } from './security.js';

export interface AppOptions {
  isShuttingDown: () => boolean;
  /** GET /api/reports/*, mounted behind authentication and the manager role. */
  reportsRouter?: Router | null;
}

export function createApp(ctx: ServiceContext, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  // Flat `key=value` only: `a[b]=c` stays a literal (and unknown) key, never a nested object.
  app.set('query parser', 'simple');
  app.set('etag', false);

  app.use((req, res, next) => {
    const end = ctx.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      end({ method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  });
  app.use(securityHeaders(ctx.config));
  app.use(corsAllowlist((o) => ctx.isAllowedOrigin(o)));
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use('/api', express.json({ limit: '16kb', strict: true, type: 'application/json' }));

  app.use(opsRouter(ctx, options.isShuttingDown));
  app.use('/api/auth', authRouter(ctx));
  const { create, meetings } = meetingsRouter(ctx);
  app.use('/api/create-meeting', create);
  app.use('/api/meetings/:roomId/guests', guestsRouter(ctx));
  app.use('/api/meetings', meetings);
  app.use('/api/ice-servers', iceServersRouter(ctx));
  if (options.reportsRouter) {
    app.use('/api/reports', authenticate(ctx), requireRole('manager'), options.reportsRouter);
  } else {
    app.use('/api/reports', authenticate(ctx), requireRole('manager'), () => {
      throw new AppError('unavailable', 'Reports are not available in this build');
    });
  }
  app.use('/api', notFoundHandler);

  app.use(consoleWebRouter(ctx.config.consoleWebDir, consoleContentSecurityPolicy(ctx.config)));
  app.use(patientWebRouter(ctx.config.patientWebDir));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
