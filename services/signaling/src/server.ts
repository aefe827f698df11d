// Node: assembles and starts the service: store, HTTP (Express), Socket.io, the abandoned-call
// sweeper; `close()` shuts it down in order. Tests start it on port 0 in a temp DATA_DIR.
import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAudit } from './audit/index.js';
import { resolveJwtSecret } from './auth/secret.js';
import { createTokenService } from './auth/tokens.js';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import type { ServiceContext } from './context.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { createApp } from './http/app.js';
import { createLogger, errorFields, setLogLevel } from './logging/index.js';
import { startSweeper } from './meetings/lifecycle.js';
import { startPresence, type Presence } from './meetings/presence.js';
import { createMetrics, timedStore } from './metrics/index.js';
import { createReportsRouter } from './reports/router.js';
import { demoUsersIn, seedDemoUsers } from './seed.js';
import { connectRedisAdapter, type RedisAdapter } from './socket/redisAdapter.js';
import { createSignaling } from './socket/signaling.js';
import type { IoServer } from './socket/types.js';
import express from 'express';
import { metricsHandler } from './http/opsRoutes.js';
import { ensurePrivateDir } from './store/files.js';
import { openStore } from './store/index.js';
import type { MeetingStore } from './store/types.js';

const log = createLogger('server');

export interface RunningService {
  /** Where this instance listens, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The ops listener serving /metrics (METRICS_PORT), when configured. */
  metricsUrl: string | null;
  config: Config;
  store: MeetingStore;
  io: IoServer;
  close(): Promise<void>;
}

const listen = (server: HttpServer, port: number, host: string) =>
  new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });

const closeServer = (server: HttpServer | null) =>
  new Promise<void>((resolve) => {
    if (!server?.listening) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function startService(overrides: Partial<Config> = {}): Promise<RunningService> {
  const config: Config = { ...loadConfig(process.env), ...overrides };
  setLogLevel(config.logLevel);
  // 0700 before anything is written into it: the store and the JWT secret live here.
  ensurePrivateDir(config.dataDir);

  const metrics = createMetrics();
  const rawStore = await openStore({
    ...(config.mongodbUri ? { mongodbUri: config.mongodbUri } : {}),
    dataDir: config.dataDir,
    sqliteSynchronous: config.sqliteSynchronous,
  });
  const store = timedStore(rawStore, metrics);
  let redis: RedisAdapter | null = null;
  let stopSweeper = () => {};
  let metricsServer: HttpServer | null = null;
  let presence: Presence | null = null;
  try {
    await seedDemoUsers(store, config);
    if (config.nodeEnv === 'production') {
      // Development seeds these with a published password; they must not reach patients' data.
      const demo = await demoUsersIn(store);
      if (demo.length > 0) {
        throw new ConfigError([
          `This store holds the development demo account(s) ${demo.join(', ')}, whose ` +
            `password is public. Before starting in production, disable them ` +
            `(bedside users disable --email ${demo[0]}) or use a fresh DATA_DIR / database.`,
        ]);
      }
    }
    const tokens = createTokenService(
      resolveJwtSecret(config),
      Date.now,
      config.sessionMaxAgeHours * 60 * 60,
    );

    let url = '';
    let boundOrigins: string[] = [];
    const allowed = new Set(config.corsOrigins);
    const ctx: ServiceContext = {
      config,
      instanceId: randomUUID(),
      store,
      tokens,
      metrics,
      audit: createAudit(store),
      publicUrl: () => config.publicUrl ?? url,
      // Without PUBLIC_URL (development) the service's own address counts as its origin.
      isAllowedOrigin: (origin) => allowed.has(origin) || boundOrigins.includes(origin),
      rooms: null,
      redis: null,
    };

    let shuttingDown = false;
    const app = createApp(ctx, {
      isShuttingDown: () => shuttingDown,
      reportsRouter: createReportsRouter({ store, clinicTimeZone: config.clinicTimeZone }),
    });
    const server = createServer(app);
    if (config.redisUrl) redis = await connectRedisAdapter(config.redisUrl);
    ctx.redis = redis;
    const signaling = createSignaling(server, ctx, {
      multiInstance: redis !== null,
      ...(redis ? { adapter: redis.adapter, redis } : {}),
    });
    ctx.rooms = signaling.rooms;

    // Beating before listening: no participants entry ever names an instance the store
    // has not heard of.
    presence = await startPresence(ctx);
    const address = await listen(server, config.port, config.host);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    if (!config.publicUrl) {
      boundOrigins = [url, `http://localhost:${address.port}`, `http://127.0.0.1:${address.port}`];
    }
    stopSweeper = startSweeper(ctx);
    let metricsUrl: string | null = null;
    if (config.metricsPort !== null) {
      const ops = express();
      ops.disable('x-powered-by');
      ops.get('/metrics', metricsHandler(ctx, 'ops'));
      ops.use(notFoundHandler);
      ops.use(errorHandler);
      metricsServer = createServer(ops);
      const a = await listen(metricsServer, config.metricsPort, config.metricsHost);
      metricsUrl = `http://${config.metricsHost.includes(':') ? `[${config.metricsHost}]` : config.metricsHost}:${a.port}`;
    } else if (config.nodeEnv === 'production' && !config.metricsToken) {
      log.warn('metrics are not served: set METRICS_PORT (ops listener) or METRICS_TOKEN');
    }
    log.info(
      {
        url,
        store: config.mongodbUri ? 'mongodb' : 'embedded',
        redis: !!redis,
        instanceId: ctx.instanceId,
      },
      'listening',
    );

    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        shuttingDown = true;
        stopSweeper();
        // Socket.io closes the HTTP server too (no new connections), after signaling drains.
        await signaling.shutdown();
        server.closeAllConnections();
        await presence
          ?.stop()
          .catch((err: unknown) => log.error(errorFields(err), 'forgetting this instance failed'));
        await redis?.close();
        await closeServer(metricsServer);
        await rawStore.close();
        log.info('closed');
      })();
      return closing;
    };

    return { url, port: address.port, metricsUrl, config, store, io: signaling.io, close };
  } catch (err) {
    log.error(errorFields(err), 'start failed');
    stopSweeper();
    await closeServer(metricsServer);
    await presence?.stop().catch(() => undefined);
    await redis?.close();
    await rawStore.close();
    throw err;
  }
}
