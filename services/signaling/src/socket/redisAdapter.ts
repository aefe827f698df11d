// Node: `REDIS_URL` → Socket.io's Redis adapter, so several instances act as one: rooms,
// broadcasts, fetchSockets and server-side events all span instances.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { createLogger, errorFields } from '../logging/index.js';

const log = createLogger('redis');

export interface RedisAdapter {
  adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

export async function connectRedisAdapter(url: string): Promise<RedisAdapter> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const [name, client] of [
    ['pub', pub],
    ['sub', sub],
  ] as const) {
    // node-redis reconnects by itself; an unhandled 'error' would crash the process instead.
    client.on('error', (err: unknown) =>
      log.error({ ...errorFields(err), client: name }, 'redis error'),
    );
  }
  await Promise.all([pub.connect(), sub.connect()]);
  log.info('redis adapter connected');
  return {
    adapter: createAdapter(pub, sub, { key: 'bedside', requestsTimeout: 3000 }),
    async close() {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}
