// Node: GET /api/ice-servers. TURN credentials follow the TURN REST scheme coturn checks with
// `use-auth-secret`: username `${expiry}:${id}`, credential base64(HMAC-SHA1(secret, username)).
import { createHmac } from 'node:crypto';
import { Router } from 'express';
import type { IceServersResponse } from '@bedside/shared';
import { actorOf } from '../auth/principal.js';
import type { Config } from '../config/index.js';
import type { ServiceContext } from '../context.js';
import { authenticate } from './authMiddleware.js';

export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export function iceServersFor(
  config: Pick<Config, 'turnUrls' | 'turnSecret' | 'turnTtlSeconds' | 'stunUrls'>,
  userId: string,
  nowMs = Date.now(),
): IceServersResponse {
  const iceServers: IceServersResponse['iceServers'] = [];
  if (config.stunUrls.length > 0) iceServers.push({ urls: config.stunUrls });
  if (config.turnUrls.length === 0 || !config.turnSecret) {
    return { iceServers, ttlSeconds: null };
  }
  const expiry = Math.floor(nowMs / 1000) + config.turnTtlSeconds;
  const username = `${expiry}:${userId}`;
  iceServers.push({
    urls: config.turnUrls,
    username,
    credential: turnCredential(config.turnSecret, username),
  });
  return { iceServers, ttlSeconds: config.turnTtlSeconds };
}

export function iceServersRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/', authenticate(ctx), (req, res) => {
    const { actorId } = actorOf(req.principal!);
    res.setHeader('Cache-Control', 'no-store');
    res.json(iceServersFor(ctx.config, actorId));
  });
  return router;
}
