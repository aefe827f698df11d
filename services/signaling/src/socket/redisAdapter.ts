// Node: `REDIS_URL` → Socket.io's Redis adapter, so several instances act as one: rooms,
// broadcasts, fetchSockets and server-side events all span instances.
//
// Redis is not on the path of a visit whose people are on one instance, so an outage must not
// stop it: the clients reconnect by themselves, a PING every second (and an idle-socket timeout)
// notices a Redis that stopped answering without closing its connections, and while the link is
// down `isHealthy()` is false — /readyz answers 503 and signaling works on this instance only
// (see `cluster` in signaling.ts) instead of waiting on Redis commands that cannot complete.
import { createAdapter } from '@socket.io/redis-adapter';
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  createClient,
} from 'redis';
import { createLogger, errorFields } from '../logging/index.js';

const log = createLogger('redis');

/** How often each client PINGs Redis; a reply older than `STALE_AFTER_MS` means "down". */
export const PING_INTERVAL_MS = 1000;
const STALE_AFTER_MS = 2500;
/** No byte from Redis for this long (PINGs included) → the socket is dropped and redialled. */
const SOCKET_TIMEOUT_MS = 3000;

export interface RedisLink {
  /** Both clients connected and answered a PING within the last few seconds. */
  isHealthy(): boolean;
  /** Called with the new state whenever `isHealthy()` changes. */
  onChange(fn: (healthy: boolean) => void): void;
}

export interface RedisAdapter extends RedisLink {
  adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

/** Errors a Redis command rejects with when the connection is lost or closed under it. */
export const isRedisConnectionError = (err: unknown): boolean =>
  err instanceof ClientClosedError ||
  err instanceof ClientOfflineError ||
  err instanceof ConnectionTimeoutError ||
  err instanceof DisconnectsClientError ||
  err instanceof SocketClosedUnexpectedlyError ||
  err instanceof SocketTimeoutError;

let guardInstalled = false;
let droppedSinceLog = 0;
/**
 * The adapter publishes without handling the command's promise (socketio/socket.io-redis-emitter
 * #139 describes the same pattern), so a PUBLISH that Redis can no longer answer would be an
 * unhandled rejection, which ends a Node process. Those — and only those — are counted and
 * logged; any other unhandled rejection is rethrown and still ends the process.
 */
function installRejectionGuard(): void {
  if (guardInstalled) return;
  guardInstalled = true;
  process.on('unhandledRejection', (reason) => {
    if (!isRedisConnectionError(reason)) throw reason;
    if (droppedSinceLog++ === 0) {
      setTimeout(() => {
        log.warn({ dropped: droppedSinceLog }, 'redis commands dropped while disconnected');
        droppedSinceLog = 0;
      }, 5000).unref();
    }
  });
}

export async function connectRedisAdapter(url: string): Promise<RedisAdapter> {
  installRejectionGuard();
  const pub = createClient({
    url,
    pingInterval: PING_INTERVAL_MS,
    // Fail fast while disconnected: a broadcast queued now would reach the other instances
    // seconds or minutes late (a stale offer is worse than none), and a fetchSockets would wait
    // for the whole outage. The signaling layer goes local-only instead.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      socketTimeout: SOCKET_TIMEOUT_MS,
      // 100 ms, 200 ms, … capped at 1 s, with jitter so instances do not redial in step.
      reconnectStrategy: (retries) =>
        Math.min(100 * 2 ** retries, 1000) + Math.floor(Math.random() * 100),
    },
  });
  // The subscriber keeps its offline queue: node-redis resubscribes it on every reconnect.
  const sub = pub.duplicate({ disableOfflineQueue: false });
  const lastPong = new Map<string, number>();
  const listeners: ((healthy: boolean) => void)[] = [];
  let healthy = false;

  const compute = () =>
    pub.isReady &&
    sub.isReady &&
    [...lastPong.values()].every((t) => Date.now() - t < STALE_AFTER_MS) &&
    lastPong.size === 2;
  const update = () => {
    const now = compute();
    if (now === healthy) return;
    healthy = now;
    if (now) log.info('redis reachable again');
    else log.warn('redis unreachable; signaling continues on this instance only');
    for (const fn of listeners) fn(now);
  };

  for (const [name, client] of [
    ['pub', pub],
    ['sub', sub],
  ] as const) {
    // node-redis reconnects by itself; an unhandled 'error' would crash the process instead.
    client.on('error', (err: unknown) =>
      log.warn({ ...errorFields(err), client: name }, 'redis error'),
    );
    client.on('ready', () => {
      lastPong.set(name, Date.now());
      update();
    });
    client.on('ping-interval', () => {
      lastPong.set(name, Date.now());
      update();
    });
    client.on('end', update);
    client.on('reconnecting', update);
  }
  await Promise.all([pub.connect(), sub.connect()]);
  update();
  // A Redis that stops answering (SIGSTOP, a hung host) keeps its connections open: only the
  // PING replies stop. Look at their age between replies as well.
  const watchdog = setInterval(update, PING_INTERVAL_MS / 2);
  watchdog.unref();
  log.info('redis adapter connected');
  return {
    adapter: createAdapter(pub, sub, { key: 'bedside', requestsTimeout: 3000 }),
    isHealthy: () => healthy,
    onChange: (fn) => listeners.push(fn),
    async close() {
      clearInterval(watchdog);
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}
