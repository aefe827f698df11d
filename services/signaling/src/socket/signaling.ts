// Node: signaling over Socket.io. Rooms as docs/architecture.md describes them: a doctor joins
// the room, a patient waits until the doctor admits them, and offers / answers / ICE candidates
// pass only between sockets admitted to the same room. Every payload is parsed with the shared schema.
//
// Membership is the Socket.io room itself (`roomId` for admitted members, `w:roomId` for the
// waiting room, `d:roomId` for the room's doctors), so it holds across instances behind the
// Redis adapter. Anything done *to* a socket (relay to it, admit it, evict it) runs on the
// instance that holds it: locally when it is here, otherwise through `serverSideEmit`.
//
// While Redis is unreachable (`cluster()` false) everything reaches this instance's sockets only:
// a visit whose people are all here keeps signaling, one split across instances waits (its
// media is peer-to-peer and goes on), and nothing waits on Redis commands that cannot complete.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { z } from 'zod';
import {
  MAX_VISIT_PEOPLE,
  clientEventSchemas,
  fail,
  ok,
  type ClientEventName,
  type ErrorBody,
  type ParticipantRole,
  type RoomUser,
  type UserType,
  type WaitingPatient,
} from '@bedside/shared';
import type { RoomControl, ServiceContext } from '../context.js';
import { resolvePrincipal } from '../auth/principal.js';
import { AppError, toAppError } from '../errors.js';
import { describeIssues } from '../http/validate.js';
import { createLogger, errorFields } from '../logging/index.js';
import { completeMeeting, type CallEndedReason } from '../meetings/lifecycle.js';
import { QualityAccumulator, implausible } from '../quality/summary.js';
import { ConnectionLimits, principalKey } from './connectionLimits.js';
import { allowRequest, authenticateSocket } from './handshake.js';
import { identityOf, requireRoomFor, VISIT_FULL_MESSAGE } from './visitRoles.js';
import { limitsFor, newLimitState, takeEvent, type LimitState } from './rateLimit.js';
import { createRecordingHandlers } from './recording.js';
import type { RedisLink } from './redisAdapter.js';
import {
  doctorsRoom,
  isMember,
  isWaiting,
  waitingRoom,
  type AnySocket,
  type IoServer,
  type IoSocket,
  type SocketOp,
} from './types.js';

const log = createLogger('socket');

/** 64 KB: a full SDP (≤ 32 KB by contract) with room to spare; larger frames close the socket. */
export const MAX_HTTP_BUFFER_SIZE = 64 * 1024;
/**
 * A socket's token is re-checked (revocation, disabled account, cancelled visit) on every
 * event but relays; relays (the ICE burst hot path) re-check once this much has passed.
 */
export const RECHECK_MS = 30_000;
/** How often live sockets are swept for an expired token. */
const EXPIRY_SWEEP_MS = 1000;
/** ICE failures one connection may add to bedside_ice_failures_total. */
const MAX_ICE_FAILURES_PER_CONNECTION = 5;
/** A cross-instance request waits this long (the adapter's own timeout is 3 s once sent). */
const CLUSTER_TIMEOUT_MS = 3500;

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });

export interface Signaling {
  io: IoServer;
  rooms: RoomControl;
  /** Drains in-flight events, records everyone's leave, tells clients, closes Socket.io. */
  shutdown(drainMs?: number): Promise<void>;
}

interface LocalState extends LimitState {
  /** The token the socket authenticated with (or renewed to); never in `socket.data`. */
  token: string;
  /** performance.now() of the last successful re-check of the token. */
  checkedAt: number;
  /** Set once the socket flooded: it is being disconnected and everything else is dropped. */
  flooded: boolean;
  iceFailures: number;
  /** Events from one socket are handled one after another, in order; null when idle. */
  queue: Promise<void> | null;
  /** Tasks in `queue` not yet finished; 0 lets a relay take the synchronous fast path. */
  pending: number;
  lastIceState: string | null;
  lastSignalErrorAt: number;
  /** This connection's call-quality figures while admitted to a room; summarised on leaving. */
  quality: { roomId: string; acc: QualityAccumulator } | null;
}

const STATE = Symbol('bedside.socket-state');
const NO_AUTH = Object.freeze({});
type StatefulSocket = IoSocket & { [STATE]?: LocalState };
const stateOf = (s: IoSocket): LocalState | undefined => (s as StatefulSocket)[STATE];

interface Handled {
  data: unknown;
  /** Runs after the ack is sent, still in the socket's queue (room notifications). */
  after?: () => Promise<void>;
}

type Payload<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;
type Handlers = { [E in ClientEventName]: (socket: IoSocket, p: Payload<E>) => Promise<Handled> };

type LeaveReason = 'left' | 'disconnected' | 'replaced' | 'switched' | 'shutdown' | 'removed';

const userRoom = (userId: string) => `u:${userId}`;
interface Presence {
  roomId: string;
  socketId: string;
  userId: string;
  userType: UserType | null;
  role: ParticipantRole | null;
  member: boolean;
  waiting: boolean;
}

type RelayEvent = 'offer' | 'answer' | 'ice-candidate';
const isRelayEvent = (e: string): e is RelayEvent =>
  e === 'offer' || e === 'answer' || e === 'ice-candidate';
/** What the target receives: the description or candidate, and who sent it. */
const RELAYED: { [E in RelayEvent]: (p: Payload<E>, from: string) => unknown } = {
  offer: (p, from) => ({ offer: p.offer, socketId: from }),
  answer: (p, from) => ({ answer: p.answer, socketId: from }),
  'ice-candidate': (p, from) => ({ candidate: p.candidate, socketId: from }),
};

const isClientEvent = (e: unknown): e is ClientEventName =>
  typeof e === 'string' && Object.hasOwn(clientEventSchemas, e);

export function createSignaling(
  httpServer: HttpServer,
  ctx: ServiceContext,
  options: { multiInstance: boolean; adapter?: ServerOptions['adapter']; redis?: RedisLink },
): Signaling {
  const limits = new ConnectionLimits(ctx.config);
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    perMessageDeflate: false,
    httpCompression: false,
    serveClient: false,
    // Rooms and waiting state are rebuilt by `join-room` after a reconnect (see rejoin below).
    connectionStateRecovery: undefined,
    pingInterval: 20_000,
    pingTimeout: 15_000,
    allowRequest: allowRequest(ctx, limits),
    cors: {
      origin: (origin, cb) => cb(null, origin === undefined || ctx.isAllowedOrigin(origin)),
      methods: ['GET', 'POST'],
    },
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });
  const nsp = io.of('/');
  const { store, metrics, audit } = ctx;
  const eventLimits = limitsFor(ctx.config.socketEventsPerSecond);
  let closing = false;

  // Socket.io keeps each session's first HTTP request; nothing here needs it after the handshake.
  // engine.io still holds the WebSocket upgrade request until the connection closes, so its
  // headers (the bulk of it) are dropped too; polling requests are left alone, as the polling
  // transport reads them while it answers. The request object itself stays reachable from
  // engine.io's private WebSocketResponse (a 'close' listener on the TCP socket) until the
  // connection closes: about 1.3 KB of heap per idle connection (`npm run bench -- signaling`:
  // 9.5 KB with that listener removed, 10.8 KB without). No public API releases it, and
  // finding the listener by its source text would break silently on an engine.io update, so
  // it is left alone.
  io.engine.on(
    'connection',
    (raw: {
      request: IncomingMessage | null;
      transport?: { name?: string };
      once(event: 'close', fn: () => void): void;
    }) => {
      const req = raw.request;
      raw.request = null;
      if (req) {
        limits.opened(raw, req);
        raw.once('close', () => limits.release(req));
      }
      if (req && raw.transport?.name === 'websocket') {
        req.headers = {};
        req.rawHeaders = [];
      }
    },
  );

  // A handshake refused after allowRequest counted it (bad transport, …) never opens.
  io.engine.on('connection_error', (err: { req?: IncomingMessage }) => {
    if (err.req) limits.release(err.req);
  });

  const authenticate = authenticateSocket(ctx, limits);
  io.use((socket, next) => {
    void authenticate(socket, next);
  });

  // ---- helpers ------------------------------------------------------------------------------

  const now = () => new Date().toISOString();
  const localSocket = (id: string): IoSocket | undefined => nsp.sockets.get(id);

  /** Other instances are reachable (always false on a single instance). */
  const cluster = () => options.multiInstance && (options.redis?.isHealthy() ?? true);
  /** Broadcasts: to every instance, or to this one's sockets only while Redis is down. */
  const to = (room: string) => (cluster() ? io.to(room) : io.local.to(room));
  const toOthers = (s: IoSocket, room: string) => (cluster() ? s.to(room) : s.local.to(room));

  /**
   * The room's sockets on every instance. Without Redis (or when the others do not answer in
   * time) this instance's only — unless `strict`, for decisions that must see them all.
   */
  const fetchIn = async (room: string, strict = false) => {
    if (cluster()) {
      try {
        return await withTimeout(io.in(room).fetchSockets(), CLUSTER_TIMEOUT_MS);
      } catch (err) {
        if (strict)
          throw new AppError('unavailable', 'Other instances did not answer', { cause: err });
        log.warn(errorFields(err), 'fetchSockets across instances failed; using local sockets');
      }
    } else if (strict && options.multiInstance) {
      throw new AppError('unavailable', 'Other instances are unreachable');
    }
    return io.local.in(room).fetchSockets();
  };

  const enqueue = (socket: IoSocket, task: () => Promise<void>): Promise<void> => {
    const st = stateOf(socket);
    if (!st) return task();
    st.pending++;
    const run = (st.queue ?? Promise.resolve()).then(task).finally(() => {
      if (--st.pending === 0) st.queue = null;
    });
    st.queue = run.catch(() => undefined);
    return run;
  };

  // prom-client hashes label objects on every call; the hot path keeps the children.
  const eventCounters = new Map<string, { inc(): void }>();
  const countEvent = (event: string, outcome: string) => {
    const key = `${event}|${outcome}`;
    let c = eventCounters.get(key);
    if (!c) {
      c = metrics.signalingEvents.labels(event, outcome);
      eventCounters.set(key, c);
    }
    c.inc();
  };

  const userOf = (s: AnySocket): RoomUser => ({
    socketId: s.id,
    userId: s.data.userId,
    userType: s.data.userType ?? 'patient',
    userName: s.data.userName ?? '',
    role: s.data.role ?? 'patient',
  });

  const roomUsers = async (
    roomId: string,
    exceptId?: string,
    strict = false,
  ): Promise<RoomUser[]> => {
    const sockets = await fetchIn(roomId, strict);
    return sockets.filter((s) => s.id !== exceptId && isMember(s, roomId)).map(userOf);
  };

  const waitingList = async (roomId: string): Promise<WaitingPatient[]> => {
    const sockets = await fetchIn(waitingRoom(roomId));
    return sockets
      .filter((s) => isWaiting(s, roomId))
      .map((s) => {
        const w: WaitingPatient = {
          socketId: s.id,
          userId: s.data.userId,
          userName: s.data.userName ?? '',
          userType: s.data.userType ?? 'patient',
          role: s.data.role ?? 'patient',
          waitingSince: s.data.waitingSince ?? now(),
        };
        if (s.data.precheck) w.precheck = s.data.precheck;
        return w;
      })
      .sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
  };

  const broadcastWaiting = async (roomId: string) => {
    to(doctorsRoom(roomId)).emit('waiting-room', await waitingList(roomId));
  };

  /** startTime is the first moment a doctor and a patient are both in the room. */
  const maybeMarkActive = async (roomId: string) => {
    const users = await roomUsers(roomId);
    if (users.some((u) => u.userType === 'doctor') && users.some((u) => u.userType === 'patient')) {
      const m = await store.getMeeting(roomId);
      if (m?.status === 'scheduled') {
        await store.markActive(roomId, now());
        log.info({ roomId }, 'meeting active');
      }
    }
  };

  const presenceOf = (s: IoSocket): Presence | null => {
    const roomId = s.data.roomId;
    if (!roomId) return null;
    return {
      roomId,
      socketId: s.id,
      userId: s.data.userId,
      userType: s.data.userType,
      role: s.data.role,
      member: isMember(s, roomId),
      waiting: isWaiting(s, roomId),
    };
  };

  const recordLeave = async (p: Presence, reason: LeaveReason) => {
    const actorRole = p.userType ?? 'patient';
    if (p.member) {
      to(p.roomId).emit('user-left', {
        socketId: p.socketId,
        userId: p.userId,
        role: p.role ?? 'patient',
      });
      recording.memberLeft(p.roomId, p.socketId, { userId: p.userId, role: actorRole });
      await store.markParticipantLeft(p.roomId, p.userId, now());
      void audit.record({
        actorId: p.userId,
        actorRole,
        action: 'meeting.leave',
        roomId: p.roomId,
        detail: { reason },
      });
    } else if (p.waiting) {
      await broadcastWaiting(p.roomId);
      void audit.record({
        actorId: p.userId,
        actorRole,
        action: 'meeting.leave',
        roomId: p.roomId,
        detail: { reason, waiting: true },
      });
    }
  };

  /** Stores this connection's quality summary (once) and forgets the figures. */
  const flushQuality = async (s: IoSocket) => {
    const st = stateOf(s);
    const q = st?.quality;
    if (!st || !q) return;
    st.quality = null;
    if (q.acc.sampleCount === 0) return;
    const at = now();
    await store.addQualitySummary(q.roomId, {
      userId: s.data.userId,
      userType: s.data.userType ?? 'patient',
      at,
      ...q.acc.summary(Date.parse(at)),
    });
  };

  /** Takes the socket out of its room (or waiting room) and records it. */
  const leaveRoom = async (s: IoSocket, reason: LeaveReason) => {
    await flushQuality(s);
    const presence = presenceOf(s);
    if (!presence) return;
    const { roomId } = presence;
    s.leave(roomId);
    s.leave(waitingRoom(roomId));
    s.leave(doctorsRoom(roomId));
    s.data.roomId = null;
    s.data.waitingSince = null;
    await recordLeave(presence, reason);
  };

  /** Members of the room other than `s`, across instances: the cap counts them. */
  const othersInRoom = async (roomId: string, s: IoSocket) =>
    (await roomUsers(roomId, s.id)).length;

  /** Waiting → admitted (or straight in, for a patient admitted before who reconnects). */
  const admitLocal = async (
    s: IoSocket,
    roomId: string,
    readmit: boolean,
    offer?: Extract<SocketOp, { kind: 'admit' }>['offer'],
  ): Promise<boolean> => {
    if (!s.connected || s.data.roomId !== roomId) return false;
    if (!readmit && !isWaiting(s, roomId)) return false;
    // The doctor chose this connection: anyone else on the same link leaves the call.
    if (!readmit) await evictOthers(s, roomId, (o) => isMember(o, roomId));
    if ((await othersInRoom(roomId, s)) >= MAX_VISIT_PEOPLE) {
      s.emit('signal-error', {
        event: 'join-room',
        error: { code: 'conflict', message: VISIT_FULL_MESSAGE },
      });
      throw new AppError('conflict', VISIT_FULL_MESSAGE);
    }
    s.leave(waitingRoom(roomId));
    s.join(roomId);
    s.data.waitingSince = null;
    await store.addParticipant(roomId, {
      userId: s.data.userId,
      userType: s.data.userType === 'guest' ? 'guest' : 'patient',
      role: s.data.role ?? 'patient',
      joinedAt: now(),
      instanceId: ctx.instanceId,
    });
    s.emit('admitted', { roomId });
    s.emit('room-users', await roomUsers(roomId, s.id));
    // The doctor's offer, when it came with the admit; otherwise the member already in the
    // room (the doctor) offers when it hears of the newcomer.
    if (offer) s.emit('offer', { offer: offer.offer, socketId: offer.from });
    toOthers(s, roomId).emit('user-joined', userOf(s));
    await recording.memberJoined(s, roomId);
    if (!readmit) await broadcastWaiting(roomId);
    // Queued behind this admit rather than awaited in it: the admit is answered (and the
    // doctor's offer, sent on user-joined, finds the doctor's queue idle) without waiting for
    // the startTime write.
    void enqueue(s, () => maybeMarkActive(roomId)).catch((err: unknown) =>
      log.error(errorFields(err), 'recording the start of a call failed'),
    );
    return true;
  };

  const runLocalOp = async (s: IoSocket, op: SocketOp): Promise<boolean> => {
    switch (op.kind) {
      case 'relay':
        if (!isMember(s, op.roomId)) return false;
        (s.emit as (ev: string, payload: unknown) => boolean)(op.event, op.payload);
        return true;
      case 'admit': {
        let admitted = false;
        await enqueue(s, async () => {
          admitted = await admitLocal(s, op.roomId, false, op.offer);
        });
        return admitted;
      }
      case 'remove': {
        let removed = false;
        await enqueue(s, async () => {
          if (s.data.principal.kind !== 'guest') return;
          s.emit('call-ended', { roomId: op.roomId, reason: 'removed', duration: null });
          await leaveRoom(s, 'removed');
          s.disconnect(true);
          removed = true;
        });
        return removed;
      }
      case 'evict': {
        let evicted = false;
        await enqueue(s, async () => {
          if (s.data.roomId !== op.roomId) return;
          s.emit('signal-error', {
            event: 'join-room',
            error: {
              code: 'conflict',
              message: 'You joined this visit from another tab or device',
            },
          });
          await leaveRoom(s, 'replaced');
          s.disconnect(true);
          evicted = true;
        });
        return evicted;
      }
      default: {
        const never: never = op;
        return never;
      }
    }
  };

  /** Runs the op where the target socket lives; false when no instance holds it. */
  const runOp = async (op: SocketOp): Promise<boolean> => {
    const s = localSocket(op.targetSocketId);
    if (s) return runLocalOp(s, op);
    if (!cluster()) return false;
    try {
      const handled = await withTimeout(
        io.serverSideEmitWithAck('socket-op', op),
        CLUSTER_TIMEOUT_MS,
      );
      return handled.some(Boolean);
    } catch (err) {
      log.warn({ ...errorFields(err), op: op.kind }, 'cross-instance op failed');
      return false;
    }
  };

  io.on('socket-op', (op, done) => {
    const s = localSocket(op.targetSocketId);
    if (!s) {
      done(false);
      return;
    }
    runLocalOp(s, op).then(done, (err: unknown) => {
      log.error({ ...errorFields(err), op: op.kind }, 'socket op failed');
      done(false);
    });
  });

  /** Call over: tell this instance's sockets in (or waiting for) the room, and release them. */
  const closeRoomLocal = (roomId: string, reason: CallEndedReason, duration: number | null) => {
    recording.roomClosed(roomId);
    const ids = new Set<string>([
      ...(nsp.adapter.rooms.get(roomId) ?? []),
      ...(nsp.adapter.rooms.get(waitingRoom(roomId)) ?? []),
      ...(nsp.adapter.rooms.get(doctorsRoom(roomId)) ?? []),
    ]);
    for (const id of ids) {
      const s = localSocket(id);
      if (!s) continue;
      s.emit('call-ended', { roomId, reason, duration });
      s.leave(roomId);
      s.leave(waitingRoom(roomId));
      s.leave(doctorsRoom(roomId));
      if (s.data.roomId === roomId) {
        s.data.roomId = null;
        s.data.waitingSince = null;
      }
    }
  };
  io.on('room-closed', (roomId, reason, duration) => closeRoomLocal(roomId, reason, duration));

  // Calls that ended while the other instances were out of reach: told again once they are back,
  // so their members get `call-ended` late rather than never.
  const closedWhileApart = new Map<string, [CallEndedReason, number | null]>();
  options.redis?.onChange((healthy) => {
    if (!healthy) return;
    for (const [roomId, [reason, duration]] of closedWhileApart) {
      io.serverSideEmit('room-closed', roomId, reason, duration);
    }
    closedWhileApart.clear();
  });

  const rooms: RoomControl = {
    async closeRoom(roomId, reason, duration) {
      closeRoomLocal(roomId, reason, duration);
      if (!options.multiInstance) return;
      if (cluster()) io.serverSideEmit('room-closed', roomId, reason, duration);
      else closedWhileApart.set(roomId, [reason, duration]);
    },
    async reopenLocalEntries() {
      let n = 0;
      for (const s of nsp.sockets.values()) {
        const roomId = s.data.roomId;
        if (!roomId || !isMember(s, roomId)) continue;
        await store.addParticipant(roomId, {
          userId: s.data.userId,
          userType: s.data.userType ?? 'patient',
          role: s.data.role ?? 'patient',
          joinedAt: now(),
          instanceId: ctx.instanceId,
        });
        n++;
      }
      return n;
    },
    async roomMembers(roomId) {
      // Strict: the sweeper must not complete a visit whose people are on an unreachable instance.
      return (await roomUsers(roomId, undefined, true)).map((u) => ({
        userId: u.userId,
        userType: u.userType,
        role: u.role,
      }));
    },
    async removeGuest(roomId, guestId) {
      const [inRoom, waiting] = await Promise.all([fetchIn(roomId), fetchIn(waitingRoom(roomId))]);
      const targets = new Set(
        [...inRoom, ...waiting]
          .filter((o) => o.data.principal.kind === 'guest' && o.data.userId === guestId)
          .map((o) => o.id),
      );
      for (const id of targets) await runOp({ kind: 'remove', roomId, targetSocketId: id });
    },
    async endSessions(userId) {
      io.to(userRoom(userId)).emit('signal-error', {
        event: 'session',
        error: { code: 'unauthorized', message: 'You signed out; sign in again' },
      });
      io.in(userRoom(userId)).disconnectSockets(true);
    },
  };

  // Tokens expire while sockets live: a sweep ends those whose token has, and re-checks
  // signed-in users' sockets that sent nothing lately (a revocation from the CLI, another
  // instance). Patients' links end with their visit, which closes the room anyway.
  const sweep = setInterval(() => {
    const t = performance.now();
    for (const s of nsp.sockets.values()) {
      const st = stateOf(s);
      if (!st || st.flooded) continue;
      const gone = tokenGone(s);
      if (gone) {
        void enqueue(s, () => endSocket(s, gone)).catch((err: unknown) =>
          log.error(errorFields(err), 'ending an expired socket failed'),
        );
      } else if (s.data.principal.kind === 'user' && t - st.checkedAt > RECHECK_MS) {
        st.checkedAt = t; // one re-check in flight at a time
        void enqueue(s, () => recheck(s)).catch(() => undefined);
      }
    }
  }, EXPIRY_SWEEP_MS);
  sweep.unref();

  /** The person's other sockets in (or waiting for) the room. */
  const othersOf = async (s: IoSocket, roomId: string): Promise<AnySocket[]> => {
    const [inRoom, waiting] = await Promise.all([fetchIn(roomId), fetchIn(waitingRoom(roomId))]);
    const seen = new Set<string>();
    return [...inRoom, ...waiting].filter((o) => {
      if (o.id === s.id || seen.has(o.id)) return false;
      seen.add(o.id);
      return o.data.userId === s.data.userId && o.data.roomId === roomId;
    });
  };

  /** A newer connection replaces the person's other ones (or those `which` picks). */
  const evictOthers = async (
    s: IoSocket,
    roomId: string,
    which: (o: AnySocket) => boolean = () => true,
  ) => {
    for (const o of (await othersOf(s, roomId)).filter(which)) {
      await runOp({ kind: 'evict', roomId, targetSocketId: o.id });
    }
  };

  /** Ends a socket whose token no longer holds: it is told why, leaves its room, and goes. */
  const endSocket = async (s: IoSocket, error: ErrorBody) => {
    if (!s.connected) return;
    s.emit('signal-error', { event: 'session', error });
    await leaveRoom(s, 'disconnected');
    s.disconnect(true);
  };

  /** Re-reads who the token says the socket is; throws (and ends the socket) when it no longer holds. */
  const recheck = async (s: IoSocket) => {
    const st = stateOf(s);
    if (!st) return;
    try {
      s.data.principal = await resolvePrincipal(st.token, ctx);
      st.checkedAt = performance.now();
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'unauthorized') await endSocket(s, e.toBody());
      throw e;
    }
  };

  const tokenGone = (s: IoSocket): ErrorBody | null =>
    s.data.principal.expiresAt > Date.now()
      ? null
      : {
          code: 'unauthorized',
          message:
            s.data.principal.kind === 'user'
              ? 'Your sign-in has expired; sign in again'
              : 'This join link has expired',
        };

  const requireMember = (s: IoSocket, roomId: string) => {
    if (!isMember(s, roomId)) throw new AppError('not-in-room', 'You are not in this room');
  };
  const requireDoctorOf = (s: IoSocket, roomId: string) => {
    requireMember(s, roomId);
    if (s.data.principal.kind !== 'user' || s.data.userType !== 'doctor') {
      throw new AppError('forbidden', 'Only the doctor can do this');
    }
  };
  const requireOwnName = (s: IoSocket, userName: string, userType?: string) => {
    if ((userType !== undefined && userType !== s.data.userType) || userName !== s.data.userName) {
      throw new AppError('forbidden', 'userName and userType must be your own');
    }
  };

  /**
   * The common case, without a promise in sight: sender and target are both here, admitted to
   * the room, and nothing is queued before this event. Anything else (an error to report, a
   * target on another instance) returns false and takes the queued path.
   */
  const relayNow = (
    s: IoSocket,
    event: RelayEvent,
    payload: unknown,
    ack?: (r: unknown) => void,
  ) => {
    const parsed = clientEventSchemas[event].safeParse(payload);
    if (!parsed.success) return false;
    const p = parsed.data;
    if (!isMember(s, p.roomId) || p.targetSocketId === s.id) return false;
    const target = localSocket(p.targetSocketId);
    if (!target || !isMember(target, p.roomId)) return false;
    (target.emit as (ev: string, payload: unknown) => boolean)(
      event,
      (RELAYED[event] as (p: unknown, from: string) => unknown)(p, s.id),
    );
    countEvent(event, 'ok');
    ack?.(ok(null));
    return true;
  };

  const relay =
    <E extends RelayEvent>(event: E, build: (p: Payload<E>, from: string) => unknown) =>
    async (s: IoSocket, p: Payload<E>): Promise<Handled> => {
      requireMember(s, p.roomId);
      if (p.targetSocketId === s.id)
        throw new AppError('bad-request', 'targetSocketId is yourself');
      const delivered = await runOp({
        kind: 'relay',
        roomId: p.roomId,
        targetSocketId: p.targetSocketId,
        event,
        payload: build(p, s.id),
      });
      if (!delivered) throw new AppError('not-in-room', 'The target is not in this room');
      return { data: null };
    };

  // ---- event handlers -----------------------------------------------------------------------

  const recording = createRecordingHandlers({
    to,
    fetchIn,
    audit,
    requireMember,
    requireDoctorOf,
    members: roomUsers,
  });

  const handlers: Handlers = {
    ...recording.handlers,
    async 'join-room'(s, p) {
      const pr = s.data.principal;
      if (pr.kind === 'patient') s.data.deviceId = p.deviceId ?? null;
      if (pr.kind === 'user') {
        if (pr.role !== 'doctor')
          throw new AppError('forbidden', 'Only doctors and patients join calls');
        if (p.userType !== 'doctor' || p.userId !== pr.userId) {
          throw new AppError('forbidden', 'userId and userType must match your sign-in');
        }
        if (p.userName !== pr.name)
          throw new AppError('forbidden', 'userName must match your account');
      } else {
        const own = identityOf(pr);
        if (p.userType !== own.userType || p.userId !== s.data.userId) {
          throw new AppError('forbidden', 'userId and userType must match your join link');
        }
        if (p.roomId !== pr.roomId)
          throw new AppError('forbidden', 'Your join link is for another visit');
        if (pr.kind === 'guest') {
          // Removal revokes the link for sockets that connected before it, too.
          const guest = await store.getGuest(pr.roomId, pr.guestId);
          if (!guest || guest.removedAt !== null) {
            throw new AppError('forbidden', 'The doctor removed you from this visit');
          }
        }
      }
      const { roomId } = p;
      const meeting = await store.getMeeting(roomId);
      // Another doctor's meeting is as unknown as a missing one (no probing for ids).
      if (!meeting || (pr.kind === 'user' && meeting.doctorId !== pr.userId))
        throw new AppError('not-found', 'No meeting with that roomId');
      if (meeting.status === 'cancelled')
        throw new AppError('room-closed', 'This visit was cancelled');
      if (meeting.status === 'completed') throw new AppError('room-closed', 'This visit has ended');

      // Joining again where we already are: resend the room's state.
      if (s.data.roomId === roomId && (isMember(s, roomId) || isWaiting(s, roomId))) {
        const member = isMember(s, roomId);
        return {
          data: { status: member ? 'joined' : 'waiting', roomId, socketId: s.id },
          after: async () => {
            if (member) s.emit('room-users', await roomUsers(roomId, s.id));
            if (s.data.userType === 'doctor') s.emit('waiting-room', await waitingList(roomId));
          },
        };
      }
      if (s.data.roomId) await leaveRoom(s, 'switched');
      // A doctor's newer connection replaces the older. For a patient only the same tab does
      // (a reload, a network switch): the join link alone does not say who holds it.
      let otherPatientInCall = false;
      if (p.userType === 'doctor') await evictOthers(s, roomId);
      else {
        const others = await othersOf(s, roomId);
        const sameDevice = (o: AnySocket) =>
          s.data.deviceId !== null && o.data.deviceId === s.data.deviceId;
        otherPatientInCall = others.some((o) => !sameDevice(o) && isMember(o, roomId));
        await evictOthers(s, roomId, sameDevice);
      }
      if (!s.connected) throw new AppError('unavailable', 'Disconnected while joining');

      s.data.roomId = roomId;
      s.data.userType = p.userType;
      s.data.role = identityOf(pr).role;
      s.data.userName = p.userName;
      s.data.precheck = p.precheck ?? null;

      if (p.userType === 'doctor') {
        s.join([roomId, doctorsRoom(roomId)]);
        await store.addParticipant(roomId, {
          userId: s.data.userId,
          userType: 'doctor',
          role: 'doctor',
          joinedAt: now(),
          instanceId: ctx.instanceId,
        });
        void audit.record({
          actorId: s.data.userId,
          actorRole: 'doctor',
          action: 'meeting.join',
          roomId,
        });
        return {
          data: { status: 'joined', roomId, socketId: s.id },
          after: async () => {
            s.emit('room-users', await roomUsers(roomId, s.id));
            toOthers(s, roomId).emit('user-joined', userOf(s));
            s.emit('waiting-room', await waitingList(roomId));
            await maybeMarkActive(roomId);
          },
        };
      }

      const actorRole = p.userType === 'guest' ? 'guest' : 'patient';
      // A patient or guest the doctor admitted before (a reconnect, a reload) goes straight back
      // in, unless someone else on the link is in the call now: then the doctor decides.
      const admittedBefore = meeting.participants.some(
        (e) => e.userType === p.userType && e.userId === s.data.userId,
      );
      if (admittedBefore && !otherPatientInCall) {
        // The cap holds for a return too: refuse before anything changes.
        requireRoomFor(await othersInRoom(roomId, s));
        void audit.record({
          actorId: s.data.userId,
          actorRole,
          action: 'meeting.join',
          roomId,
          detail: { readmitted: true },
        });
        return {
          data: { status: 'joined', roomId, socketId: s.id },
          after: async () => {
            await admitLocal(s, roomId, true);
          },
        };
      }
      s.join(waitingRoom(roomId));
      s.data.waitingSince = now();
      void audit.record({
        actorId: s.data.userId,
        actorRole,
        action: 'meeting.join',
        roomId,
        detail: otherPatientInCall ? { waiting: true, linkInUse: true } : { waiting: true },
      });
      return {
        data: { status: 'waiting', roomId, socketId: s.id },
        after: () => broadcastWaiting(roomId),
      };
    },

    async 'admit-patient'(s, p) {
      requireDoctorOf(s, p.roomId);
      // The doctor's own socket is never waiting — and the admit runs in the target's event
      // queue, which for this socket is the one this handler runs in: it would wait for itself
      // and stall every later event of the doctor (found by the fuzzer).
      if (p.socketId === s.id)
        throw new AppError('not-found', 'No patient with that socketId is waiting in this room');
      const admitted = await runOp({
        kind: 'admit',
        roomId: p.roomId,
        targetSocketId: p.socketId,
        ...(p.offer ? { offer: { offer: p.offer, from: s.id } } : {}),
      });
      if (!admitted)
        throw new AppError('not-found', 'No patient with that socketId is waiting in this room');
      void audit.record({
        actorId: s.data.userId,
        actorRole: 'doctor',
        action: 'meeting.admit',
        roomId: p.roomId,
      });
      return { data: null };
    },

    offer: relay('offer', RELAYED.offer),
    answer: relay('answer', RELAYED.answer),
    'ice-candidate': relay('ice-candidate', RELAYED['ice-candidate']),

    async 'chat-message'(s, p) {
      requireMember(s, p.roomId);
      requireOwnName(s, p.userName, p.userType);
      to(p.roomId).emit('chat-message', {
        id: randomUUID(),
        roomId: p.roomId,
        message: p.message,
        userName: s.data.userName ?? p.userName,
        userType: s.data.userType ?? p.userType,
        socketId: s.id,
        timestamp: now(),
      });
      return { data: null };
    },

    async 'screen-share-toggle'(s, p) {
      requireMember(s, p.roomId);
      requireOwnName(s, p.userName);
      toOthers(s, p.roomId).emit('screen-share-toggle', {
        isSharing: p.isSharing,
        userName: s.data.userName ?? p.userName,
        socketId: s.id,
      });
      void audit.record({
        actorId: s.data.userId,
        actorRole: s.data.userType ?? 'patient',
        action: 'meeting.screen-share',
        roomId: p.roomId,
        detail: { isSharing: p.isSharing },
      });
      return { data: null };
    },

    async 'media-state'(s, p) {
      requireMember(s, p.roomId);
      toOthers(s, p.roomId).emit('media-state', { socketId: s.id, audio: p.audio, video: p.video });
      return { data: null };
    },

    async 'call-quality'(s, p) {
      const member = isMember(s, p.roomId);
      if (!member && !isWaiting(s, p.roomId)) {
        throw new AppError('not-in-room', 'You are not in this room');
      }
      const problem = implausible(p);
      if (problem) throw new AppError('bad-request', problem);
      const st = stateOf(s);
      // Only an admitted member's figures count: a waiting patient has no call to measure, and
      // keying by the socket's own room means no client can touch another visit's summary.
      if (!member || !st) return { data: null };
      // Count a failure once per transition, not once per report.
      if (
        p.iceState === 'failed' &&
        st.lastIceState !== 'failed' &&
        st.iceFailures < MAX_ICE_FAILURES_PER_CONNECTION
      ) {
        st.iceFailures++;
        metrics.iceFailures.inc();
      }
      st.lastIceState = p.iceState;
      if (st.quality?.roomId !== p.roomId) {
        await flushQuality(s);
        st.quality = { roomId: p.roomId, acc: new QualityAccumulator() };
      }
      const accepted = st.quality.acc.add({ ...p, at: Date.parse(now()) }) === 'accepted';
      if (accepted) {
        if (p.rttMs !== null) metrics.callRtt.observe(p.rttMs);
        if (p.packetLoss !== null) metrics.callPacketLoss.observe(p.packetLoss);
        if (p.bitrateKbps !== null) metrics.callBitrate.observe(p.bitrateKbps);
      }
      return { data: null };
    },

    async 'renew-token'(s, p) {
      const st = stateOf(s);
      if (!st) throw new AppError('unavailable', 'Disconnected');
      const principal = await resolvePrincipal(p.token, ctx);
      if (principalKey(principal) !== principalKey(s.data.principal)) {
        throw new AppError('forbidden', 'That token is for someone else');
      }
      st.token = p.token;
      st.checkedAt = performance.now();
      s.data.principal = principal;
      return { data: null };
    },

    async 'leave-call'(s, p) {
      if (p.userId !== s.data.userId) throw new AppError('forbidden', 'userId must be your own');
      if (!isMember(s, p.roomId) && !isWaiting(s, p.roomId)) {
        throw new AppError('not-in-room', 'You are not in this room');
      }
      await leaveRoom(s, 'left');
      return { data: null };
    },

    async 'end-call'(s, p) {
      requireDoctorOf(s, p.roomId);
      const meeting = await store.getMeeting(p.roomId);
      if (!meeting || meeting.doctorId !== s.data.userId) {
        throw new AppError('forbidden', 'Only this meeting’s doctor can end it');
      }
      // This instance's members' summaries go in before the record is closed; members on other
      // instances add theirs as they leave.
      for (const id of nsp.adapter.rooms.get(p.roomId) ?? []) {
        const member = nsp.sockets.get(id);
        if (member) await flushQuality(member);
      }
      const done = await completeMeeting(ctx, p.roomId, 'ended-by-doctor', now());
      void audit.record({
        actorId: s.data.userId,
        actorRole: 'doctor',
        action: 'meeting.end',
        roomId: p.roomId,
        detail: { duration: done?.duration ?? null },
      });
      return { data: null };
    },
  };

  // ---- per connection -----------------------------------------------------------------------

  const respond = (
    s: IoSocket,
    event: string,
    ack: ((r: unknown) => void) | undefined,
    error: ErrorBody,
  ) => {
    if (ack) {
      ack(fail(error.code, error.message));
      return;
    }
    const st = stateOf(s);
    // Without an ack the refusal is an event; at most one a second, so a flood is not echoed.
    const t = Date.now();
    if (st && t - st.lastSignalErrorAt < 1000 && error.code === 'rate-limited') return;
    if (st) st.lastSignalErrorAt = t;
    s.emit('signal-error', { event: event.slice(0, 64), error });
  };

  const dispatch = async <E extends ClientEventName>(s: IoSocket, event: E, args: unknown[]) => {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (r: unknown) => void) : undefined;
    const parsed = clientEventSchemas[event].safeParse(args[0]);
    if (!parsed.success) {
      countEvent(event, 'invalid');
      respond(s, event, ack, {
        code: 'bad-request',
        message: `Invalid ${event}: ${describeIssues(parsed.error)}`,
      });
      return;
    }
    try {
      // A renewal brings its own token; everything else is re-checked against the one held.
      const st = stateOf(s);
      if (
        event !== 'renew-token' &&
        st &&
        (!isRelayEvent(event) || performance.now() - st.checkedAt > RECHECK_MS)
      ) {
        const gone = tokenGone(s);
        if (gone) {
          await endSocket(s, gone);
          throw new AppError(gone.code, gone.message);
        }
        await recheck(s);
      }
      const handler = handlers[event] as (s: IoSocket, p: unknown) => Promise<Handled>;
      const result = await handler(s, parsed.data);
      countEvent(event, 'ok');
      ack?.(ok(result.data));
      await result.after?.();
    } catch (err) {
      const e = toAppError(err);
      countEvent(event, e.code);
      if (e.code === 'internal') log.error({ ...errorFields(err), event }, 'event handler failed');
      else log.debug({ event, code: e.code }, 'event refused');
      respond(s, event, ack, e.toBody());
    }
  };

  // Per-connection work uses shared functions (Socket.io calls them with `this` = the socket)
  // rather than closures per socket: idle connections are most of what the service holds.
  function onAnyEvent(this: IoSocket, event: unknown, ...args: unknown[]) {
    handleIncoming(this, event, args);
  }

  function handleIncoming(socket: IoSocket, event: unknown, args: unknown[]) {
    const st = stateOf(socket);
    // A flooding socket is on its way out: what it already sent is dropped unanswered.
    if (!st || st.flooded) return;
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (r: unknown) => void) : undefined;
    const verdict = takeEvent(st, performance.now(), eventLimits);
    if (verdict !== 'ok') {
      metrics.rateLimited.inc();
      if (verdict === 'flood') {
        st.flooded = true;
        log.warn({ socketId: socket.id }, 'event flood; disconnecting');
        socket.disconnect(true);
        return;
      }
      respond(socket, String(event), ack, {
        code: 'rate-limited',
        message: 'Too many events; slow down',
      });
      return;
    }
    if (!isClientEvent(event)) {
      countEvent('unknown', 'ignored');
      ack?.(fail('bad-request', 'Unknown event'));
      return;
    }
    if (
      st.pending === 0 &&
      isRelayEvent(event) &&
      performance.now() - st.checkedAt <= RECHECK_MS &&
      socket.data.principal.expiresAt > Date.now() &&
      relayNow(socket, event, args[0], ack)
    )
      return;
    void enqueue(socket, () => dispatch(socket, event, args));
  }

  function onDisconnecting(this: IoSocket) {
    void enqueue(this, () => flushQuality(this)).catch((err: unknown) =>
      log.error(errorFields(err), 'storing a quality summary failed'),
    );
    const presence = presenceOf(this);
    if (!presence) return;
    this.data.roomId = null;
    void enqueue(this, () => recordLeave(presence, 'disconnected')).catch((err: unknown) =>
      log.error(errorFields(err), 'recording a disconnect failed'),
    );
  }

  function onDisconnect(this: IoSocket, reason: string) {
    metrics.socketDisconnections.inc({ reason });
    metrics.connectedSockets.dec();
    const st = stateOf(this);
    if (!st) return;
    if (st.queue) void st.queue.finally(() => delete (this as StatefulSocket)[STATE]);
    else delete (this as StatefulSocket)[STATE];
  }

  io.on('connection', (socket) => {
    metrics.connectionSuccesses.inc({ client: socket.data.client });
    metrics.connectedSockets.inc();
    // Kept for re-checks in the socket's local state (never in `data`, which crosses instances
    // through the adapter), not in the handshake.
    const { token } = socket.handshake.auth as { token: string };
    socket.handshake.auth = NO_AUTH;
    if (socket.data.principal.kind === 'user') socket.join(userRoom(socket.data.principal.userId));
    (socket as StatefulSocket)[STATE] = {
      ...newLimitState(performance.now(), eventLimits),
      token,
      checkedAt: performance.now(),
      flooded: false,
      iceFailures: 0,
      queue: null,
      pending: 0,
      lastIceState: null,
      lastSignalErrorAt: 0,
      quality: null,
    };
    socket.on('disconnecting', onDisconnecting);
    socket.on('disconnect', onDisconnect);
    if (closing) {
      socket.disconnect(true);
      return;
    }
    // Events are handled here (never through per-event listeners), so an unknown name costs
    // nothing and every payload goes through the same parse, limit and queue.
    socket.onAny(onAnyEvent);
  });

  return {
    io,
    rooms,
    async shutdown(drainMs = 5000) {
      closing = true;
      clearInterval(sweep);
      const sockets = [...nsp.sockets.values()];
      // Let in-flight signaling finish, then record every leave so the meetings stay truthful.
      const drained = Promise.allSettled(
        sockets.map((s) =>
          enqueue(s, async () => {
            await flushQuality(s);
            const presence = presenceOf(s);
            if (!presence) return;
            s.data.roomId = null;
            s.emit('signal-error', {
              event: 'shutdown',
              error: { code: 'unavailable', message: 'The service is restarting; reconnecting…' },
            });
            await recordLeave(presence, 'shutdown');
          }),
        ),
      );
      await Promise.race([drained, new Promise((r) => setTimeout(r, drainMs).unref())]);
      // Closing the transports (not a server-side disconnect) lets clients reconnect by themselves.
      await io.close();
    },
  };
}
