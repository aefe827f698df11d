// Node: caps on what one client may hold open. Per address: live engine.io connections
// (WebSockets and long-polling sessions alike, counted from the handshake request) and a
// backoff on failed handshakes. Per principal (one user, one patient link): live sockets.
// All counts are per instance: behind a load balancer each instance enforces its own.
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { Backoff } from '../auth/loginThrottle.js';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config/index.js';

/** Set on the handshake request by `admit`, read back by the socket middleware. */
const CLIENT_ADDRESS = Symbol('bedside.client-address');
/** Set while the request's connection is counted, so it is released exactly once. */
const COUNTED = Symbol('bedside.counted');
type Tagged = IncomingMessage & { [CLIENT_ADDRESS]?: string; [COUNTED]?: boolean };

/** Failed handshakes allowed per address before each further one waits 1 s, 2 s … 30 s. */
const FAILED_HANDSHAKES = {
  free: 20,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  forgetAfterMs: 600_000,
};

export const principalKey = (p: Principal): string =>
  p.kind === 'user'
    ? `u:${p.userId}`
    : p.kind === 'patient'
      ? `p:${p.roomId}:${p.patientId}`
      : `g:${p.roomId}:${p.guestId}`;

export class ConnectionLimits {
  private readonly trust: (addr: string, i: number) => boolean;
  private readonly perAddress = new Map<string, number>();
  private readonly perPrincipal = new Map<string, number>();
  private readonly failures = new Backoff(FAILED_HANDSHAKES);
  /** engine.io connection → client address (the service drops the request object early). */
  private readonly addressByConn = new WeakMap<object, string>();

  constructor(
    private readonly config: Pick<
      Config,
      'trustProxy' | 'maxSocketsPerAddress' | 'maxSocketsPerPrincipal'
    >,
  ) {
    const t = config.trustProxy;
    // The same rule Express applies to req.ip, so both layers see the same client address.
    this.trust =
      t === false
        ? () => false
        : typeof t === 'number'
          ? (_addr, i) => i < t
          : proxyAddr.compile(t);
  }

  /** The client's address as the trusted proxies report it. */
  addressOf(req: IncomingMessage): string {
    const tagged = req as Tagged;
    tagged[CLIENT_ADDRESS] ??= req.socket?.remoteAddress ? proxyAddr(req, this.trust) : 'unknown';
    return tagged[CLIENT_ADDRESS];
  }

  /** A new engine.io connection: a refusal message, or null and the connection is counted. */
  admit(req: IncomingMessage): string | null {
    const address = this.addressOf(req);
    if (this.failures.waitMs(address) > 0) {
      return 'Too many failed connection attempts; try again shortly';
    }
    const n = this.perAddress.get(address) ?? 0;
    if (n >= this.config.maxSocketsPerAddress) return 'Too many connections from this address';
    this.perAddress.set(address, n + 1);
    (req as Tagged)[COUNTED] = true;
    return null;
  }

  /** The engine.io connection admitted for `req` closed (or never opened); idempotent. */
  release(req: IncomingMessage): void {
    const tagged = req as Tagged;
    const address = tagged[CLIENT_ADDRESS];
    if (!tagged[COUNTED] || address === undefined) return;
    tagged[COUNTED] = false;
    const n = (this.perAddress.get(address) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, n);
  }

  /** Remembers the address of an opened engine.io connection, for `handshakeFailed`. */
  opened(conn: object, req: IncomingMessage): void {
    this.addressByConn.set(conn, this.addressOf(req));
  }

  handshakeFailed(conn: object): void {
    const address = this.addressByConn.get(conn);
    if (address !== undefined) this.failures.fail(address);
  }

  /** Takes a socket slot for the principal; false when it holds its maximum already. */
  takeSocket(p: Principal): boolean {
    const key = principalKey(p);
    const n = this.perPrincipal.get(key) ?? 0;
    if (n >= this.config.maxSocketsPerPrincipal) return false;
    this.perPrincipal.set(key, n + 1);
    return true;
  }

  releaseSocket(p: Principal): void {
    const key = principalKey(p);
    const n = (this.perPrincipal.get(key) ?? 1) - 1;
    if (n <= 0) this.perPrincipal.delete(key);
    else this.perPrincipal.set(key, n);
  }
}
