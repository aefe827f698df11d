// Node: the Socket.io handshake. The Origin is checked before the upgrade (`allowRequest`);
// the token in `auth` decides who the socket is. Signaling re-checks it as the socket lives (a
// revoked or expired token ends it). Caps per address and per principal are applied here.
import type { IncomingMessage } from 'node:http';
import { HandshakeAuthSchema, compareVersions, type ErrorCode } from '@bedside/shared';
import { principalId, resolvePrincipal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';
import { toAppError } from '../errors.js';
import { createLogger, errorFields } from '../logging/index.js';
import type { ConnectionLimits } from './connectionLimits.js';
import type { IoSocket } from './types.js';

const log = createLogger('socket');

/** The error a refused client sees in `connect_error` (`err.message`, `err.data`). */
export class HandshakeError extends Error {
  readonly data: { code: ErrorCode; message: string };
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.data = { code, message };
  }
}

export function allowRequest(ctx: ServiceContext, limits: ConnectionLimits) {
  return (
    req: IncomingMessage,
    callback: (err: string | null | undefined, success: boolean) => void,
  ) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !ctx.isAllowedOrigin(origin)) {
      ctx.metrics.connectionAttempts.inc();
      ctx.metrics.connectionFailures.inc({ code: 'forbidden' });
      callback('Origin not allowed', false);
      return;
    }
    // Before any work: a flood of connections or of bad tokens from one address stops here.
    const refused = limits.admit(req);
    if (refused) {
      ctx.metrics.connectionAttempts.inc();
      ctx.metrics.connectionFailures.inc({ code: 'rate-limited' });
      callback(refused, false);
      return;
    }
    callback(null, true);
  };
}

export function authenticateSocket(ctx: ServiceContext, limits: ConnectionLimits) {
  return async (socket: IoSocket, next: (err?: Error) => void): Promise<void> => {
    ctx.metrics.connectionAttempts.inc();
    const refuse = (code: ErrorCode, message: string) => {
      ctx.metrics.connectionFailures.inc({ code });
      limits.handshakeFailed(socket.conn);
      next(new HandshakeError(code, message));
    };
    const auth = HandshakeAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) {
      refuse('unauthorized', 'A token is required to connect (auth: { token })');
      return;
    }
    const { token, client = 'other', clientVersion } = auth.data;
    if (
      client === 'desktop' &&
      (!clientVersion || compareVersions(clientVersion, ctx.config.minDesktopVersion) < 0)
    ) {
      refuse(
        'client-outdated',
        `This version of Bedside is too old; version ${ctx.config.minDesktopVersion} or newer is required`,
      );
      return;
    }
    try {
      const principal = await resolvePrincipal(token, ctx);
      if (!limits.takeSocket(principal)) {
        refuse(
          'rate-limited',
          'Too many connections with this sign-in or link; close the other tabs or devices',
        );
        return;
      }
      // The engine connection's close comes for every socket, connected or not.
      socket.conn.once('close', () => limits.releaseSocket(principal));
      socket.data = {
        principal,
        client,
        roomId: null,
        userType: null,
        role: null,
        userId: principalId(principal),
        userName: null,
        waitingSince: null,
        precheck: null,
        deviceId: null,
      };
      next();
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'internal') log.error(errorFields(err), 'handshake failed');
      refuse(e.code, e.message);
    }
  };
}
