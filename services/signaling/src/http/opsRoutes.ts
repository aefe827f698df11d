// Node: operations endpoints: liveness, readiness (store reachable and, with several instances,
// Redis too), Prometheus metrics, version. Liveness never depends on Redis or the store: a
// process that cannot reach them is not one to restart, it is one to route around until they
// are back.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Router, type RequestHandler } from 'express';
import { bearerToken } from '../auth/principal.js';
import type { VersionResponse } from '@bedside/shared';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import { createLogger, errorFields } from '../logging/index.js';

const log = createLogger('ops');

/** The service's own version (package.json next to src/ and dist/). */
export const SERVER_VERSION: string = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
})();

export function opsRouter(ctx: ServiceContext, isShuttingDown: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (isShuttingDown()) {
      res.status(503).json({ status: 'shutting-down' });
      return;
    }
    let ok = false;
    try {
      ok = await ctx.store.ping();
    } catch (err) {
      log.warn(errorFields(err), 'store ping failed');
    }
    if (!ok) {
      res.status(503).json({ status: 'store-unreachable' });
      return;
    }
    // Visits on this instance keep working without Redis, but it cannot reach the others.
    if (ctx.redis && !ctx.redis.isHealthy()) {
      res.status(503).json({ status: 'redis-unreachable' });
      return;
    }
    res.json({ status: 'ok' });
  });
  router.get('/metrics', metricsHandler(ctx, 'service'));
  router.get('/api/version', (_req, res) => {
    const body: VersionResponse = {
      serverVersion: SERVER_VERSION,
      minDesktopVersion: ctx.config.minDesktopVersion,
    };
    res.json(body);
  });
  return router;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics. With METRICS_TOKEN set it needs that bearer token wherever it is served. On the
 * service port it is open only in development without an ops listener: in production, or with
 * METRICS_PORT set, it answers 404 there (a public port should not tell the world how busy the
 * clinic is), and the ops listener on METRICS_HOST:METRICS_PORT serves it.
 */
export function metricsHandler(ctx: ServiceContext, where: 'service' | 'ops'): RequestHandler {
  const { metricsToken, metricsPort, nodeEnv } = ctx.config;
  const expected = metricsToken ? digest(metricsToken) : null;
  const openHere = where === 'ops' || (nodeEnv !== 'production' && metricsPort === null);
  return async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (expected) {
      const given = bearerToken(req.headers.authorization);
      if (!given || !timingSafeEqual(digest(given), expected)) {
        throw new AppError('unauthorized', 'Metrics need the METRICS_TOKEN bearer token');
      }
    } else if (!openHere) {
      throw new AppError('not-found', 'Not found');
    }
    res.setHeader('Content-Type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  };
}
