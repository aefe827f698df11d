// DOM or Node (pure JS): a typed wrapper around a socket.io-client socket. Incoming payloads are
// parsed with the contract's schemas (a malformed server message is dropped, not trusted);
// outgoing ones are only sent while connected, because socket.io buffers emits across a
// reconnect and a stale offer or candidate aimed at an old peer socket does harm.
import { io } from 'socket.io-client';
// From the zod/mini modules, not the index (see CallEngine.ts).
import { type ErrorBody, ErrorCodeSchema, type Result } from '../contracts/common.js';
import {
  type ClientEventName,
  type ClientToServerEvents,
  type HandshakeAuth,
  type ServerEventName,
  type ServerToClientEvents,
  serverEventSchemas,
} from '../contracts/socket.js';
import type { Logger } from './logger.js';

/** The part of socket.io-client's `Socket` the engine uses (and the fakes implement). */
export interface SocketLike {
  readonly id: string | undefined;
  readonly connected: boolean;
  /** False once the socket will not reconnect on its own (refused by middleware, server kick). */
  readonly active: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener?: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
  readonly io: {
    on(event: 'reconnect_attempt', listener: (attempt: number) => void): unknown;
    off(event: 'reconnect_attempt', listener?: (attempt: number) => void): unknown;
  };
}

export interface SocketOptions {
  auth: HandshakeAuth;
  transports: Array<'websocket' | 'polling' | 'webtransport'>;
  tryAllTransports: boolean;
  autoConnect: false;
  reconnection: boolean;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  timeout: number;
}

export type SocketFactory = (url: string, options: SocketOptions) => SocketLike;

export const defaultSocketFactory: SocketFactory = (url, options) =>
  io(url, options) as unknown as SocketLike;

export type ServerPayload<K extends ServerEventName> = Parameters<ServerToClientEvents[K]>[0];
export type ClientPayload<K extends ClientEventName> = Parameters<ClientToServerEvents[K]>[0];
type AckOf<K extends ClientEventName> = Parameters<ClientToServerEvents[K]>[1] extends
  ((r: infer R) => void) | undefined
  ? R
  : never;

export interface ConnectFailure {
  /** The server's refusal code (`data.code`), when it gave one. */
  code: ErrorBody['code'] | null;
  message: string;
  /** Whether socket.io will retry on its own. */
  willRetry: boolean;
}

export interface SignalingLifecycle {
  connect(): void;
  disconnect(reason: string, willReconnect: boolean): void;
  connectError(failure: ConnectFailure): void;
  reconnectAttempt(attempt: number): void;
}

const notConnected: ErrorBody = { code: 'unavailable', message: 'not connected to the service' };

export class SignalingClient {
  private readonly socket: SocketLike;
  private readonly log: Logger;
  private readonly offs: Array<() => void> = [];
  private closed = false;
  /** Acks still awaited: socket.io never calls them once the connection is gone. */
  private readonly pending = new Set<(error: ErrorBody) => void>();

  constructor(socket: SocketLike, log: Logger) {
    this.socket = socket;
    this.log = log;
    this.listen('disconnect', () => this.failPending(notConnected));
  }

  private failPending(error: ErrorBody): void {
    for (const fail of [...this.pending]) fail(error);
  }

  get id(): string | null {
    return this.socket.connected ? (this.socket.id ?? null) : null;
  }
  get connected(): boolean {
    return this.socket.connected;
  }

  private listen(event: string, fn: (...args: never[]) => void): void {
    this.socket.on(event, fn);
    this.offs.push(() => this.socket.off(event, fn));
  }

  /** Subscribes to a server event; payloads failing the contract are logged and dropped. */
  on<K extends ServerEventName>(event: K, handler: (payload: ServerPayload<K>) => void): void {
    const schema = serverEventSchemas[event];
    this.listen(event, ((raw: unknown) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        this.log.warn('dropped malformed server event', { event });
        return;
      }
      handler(parsed.data as ServerPayload<K>);
    }) as (...args: never[]) => void);
  }

  lifecycle(h: SignalingLifecycle): void {
    this.listen('connect', () => h.connect());
    this.listen('disconnect', ((reason: string) => {
      h.disconnect(String(reason), this.socket.active);
    }) as (...args: never[]) => void);
    this.listen('connect_error', ((err: { message?: unknown; data?: unknown }) => {
      const data = err?.data as { code?: unknown; message?: unknown } | undefined;
      const code = ErrorCodeSchema.safeParse(data?.code);
      h.connectError({
        code: code.success ? code.data : null,
        message: typeof err?.message === 'string' ? err.message.slice(0, 200) : 'connect error',
        willRetry: this.socket.active,
      });
    }) as (...args: never[]) => void);
    const onAttempt = (n: number) => h.reconnectAttempt(n);
    this.socket.io.on('reconnect_attempt', onAttempt);
    this.offs.push(() => this.socket.io.off('reconnect_attempt', onAttempt));
  }

  connect(): void {
    if (!this.closed) this.socket.connect();
  }

  /** Fire-and-forget; returns false (and sends nothing) while disconnected. */
  send<K extends ClientEventName>(event: K, payload: ClientPayload<K>): boolean {
    if (this.closed || !this.socket.connected) return false;
    this.socket.emit(event, payload);
    return true;
  }

  /** Emits with an ack; resolves to the server's result, or an `unavailable` error on timeout. */
  request<K extends ClientEventName>(
    event: K,
    payload: ClientPayload<K>,
    timeoutMs: number,
    clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void },
  ): Promise<AckOf<K>> {
    type R = AckOf<K>;
    if (this.closed || !this.socket.connected)
      return Promise.resolve({ ok: false, error: notConnected } as R);
    return new Promise<R>((resolve) => {
      let done = false;
      const finish = (r: Result<unknown>) => {
        if (done) return;
        done = true;
        clock.clearTimeout(timer);
        this.pending.delete(fail);
        resolve(r as R);
      };
      const fail = (error: ErrorBody) => finish({ ok: false, error });
      const timer = clock.setTimeout(
        () => fail({ code: 'unavailable', message: `${event}: no answer` }),
        timeoutMs,
      );
      this.pending.add(fail);
      this.socket.emit(event, payload, (result: unknown) => finish(normalizeAck(result)));
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failPending({ code: 'unavailable', message: 'signaling closed' });
    for (const off of this.offs.splice(0)) off();
    this.socket.disconnect();
  }
}

function normalizeAck(result: unknown): Result<unknown> {
  if (typeof result === 'object' && result !== null && 'ok' in result) {
    const r = result as { ok: unknown; data?: unknown; error?: unknown };
    if (r.ok === true) return { ok: true, data: r.data ?? null };
    const e = r.error as { code?: unknown; message?: unknown } | undefined;
    const code = ErrorCodeSchema.safeParse(e?.code);
    return {
      ok: false,
      error: {
        code: code.success ? code.data : 'internal',
        message: typeof e?.message === 'string' ? e.message.slice(0, 500) : 'refused',
      },
    };
  }
  return { ok: false, error: { code: 'internal', message: 'malformed ack' } };
}
