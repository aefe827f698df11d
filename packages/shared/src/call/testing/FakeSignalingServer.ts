// Test double (Node): an in-process stand-in for the Bedside signaling service, so two engines
// can talk in one test with controllable delivery (hold/flush for glare, drop/reconnect).
// It follows the rules of docs/architecture.md and parses every payload with the contract's
// schemas. The real service is exercised by bench/call-setup.bench.ts in real Chromium.
import {
  clientEventSchemas,
  type ClientEventName,
  type ErrorBody,
  type ParticipantRole,
  type RoomUser,
  type UserType,
  type WaitingPatient,
} from '../../contracts/index.js';
import type { SocketLike, SocketOptions } from '../signaling.js';

type Listener = (...args: never[]) => void;

export interface FakeIdentity {
  userId: string;
  userType: UserType;
  /** Patients and guests: the one room their token opens. */
  roomId?: string;
  /** Guests: interpreter, caregiver or clinician (a guest token is bound to one). */
  role?: ParticipantRole;
}

/** docs/DESIGN "Visits with more than two people": the doctor, the patient and two guests. */
export const FAKE_ROOM_CAP = 4;

interface Room {
  members: Map<string, RoomUser>;
  waiting: Map<string, WaitingPatient>;
  admittedUserIds: Set<string>;
  closed: boolean;
  startedAt: number | null;
}

let socketSeq = 0;

export class FakeClientSocket implements SocketLike {
  id: string | undefined;
  connected = false;
  active = false;
  readonly options: SocketOptions;
  readonly sent: Array<{ event: string; payload: unknown }> = [];
  private listeners = new Map<string, Set<Listener>>();
  private ioListeners = new Set<(n: number) => void>();
  private readonly server: FakeSignalingServer;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(server: FakeSignalingServer, options: SocketOptions) {
    this.server = server;
    this.options = options;
  }

  readonly io = {
    on: (_e: 'reconnect_attempt', l: (n: number) => void) => this.ioListeners.add(l),
    off: (_e: 'reconnect_attempt', l?: (n: number) => void) =>
      l ? this.ioListeners.delete(l) : this.ioListeners.clear(),
  };

  on(event: string, l: Listener): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(l);
    return this;
  }
  off(event: string, l?: Listener): this {
    if (l) this.listeners.get(event)?.delete(l);
    else this.listeners.delete(event);
    return this;
  }
  /** Delivers to the client's listeners (the server calls this). */
  deliver(event: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(event) ?? [])])
      (l as (...a: unknown[]) => void)(...args);
  }

  emit(event: string, ...args: unknown[]): this {
    if (!this.connected) return this; // the wrapper never emits while disconnected
    const ack =
      typeof args[args.length - 1] === 'function'
        ? (args.pop() as (r: unknown) => void)
        : undefined;
    this.sent.push({ event, payload: args[0] });
    this.server.receive(this, event, args[0], ack);
    return this;
  }

  connect(): this {
    if (this.connected) return this;
    this.active = true;
    this.tryConnect();
    return this;
  }

  private tryConnect(): void {
    this.server.later(() => {
      if (!this.active || this.connected) return;
      const refusal = this.server.handshake(this);
      if (refusal === 'down') {
        this.deliver('connect_error', Object.assign(new Error('xhr poll error'), {}));
        this.scheduleRetry();
        return;
      }
      if (refusal) {
        // Middleware refusal: socket.io does not retry on its own.
        this.active = false;
        this.deliver(
          'connect_error',
          Object.assign(new Error(refusal.message), {
            data: { code: refusal.code, message: refusal.message },
          }),
        );
        return;
      }
      this.attempts = 0;
      this.id = `sock-${++socketSeq}`;
      this.connected = true;
      this.server.attach(this);
      this.deliver('connect');
    });
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.active || this.connected) return;
      this.attempts++;
      for (const l of this.ioListeners) l(this.attempts);
      this.tryConnect();
    }, this.server.reconnectDelayMs);
  }

  /** Transport dropped (network): the client retries on its own. */
  drop(): void {
    if (!this.connected) return;
    this.connected = false;
    this.server.detach(this);
    this.deliver('disconnect', 'transport close');
    this.scheduleRetry();
  }

  /** The server closed the socket: no automatic retry. */
  kick(): void {
    if (!this.connected) return;
    this.connected = false;
    this.active = false;
    this.server.detach(this);
    this.deliver('disconnect', 'io server disconnect');
  }

  disconnect(): this {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const was = this.connected;
    this.connected = false;
    this.active = false;
    if (was) {
      this.server.detach(this);
      this.deliver('disconnect', 'io client disconnect');
    }
    return this;
  }
}

export class FakeSignalingServer {
  /** Delivery delay for every message (ms). Order is kept. */
  latencyMs = 1;
  reconnectDelayMs = 5;
  /** While true, connection attempts fail like a transport error (socket keeps retrying). */
  down = false;
  /** Refuse handshakes with this error (like the service's middleware). */
  refuse: ErrorBody | null = null;
  readonly tokens = new Map<string, FakeIdentity>();
  readonly rooms = new Map<string, Room>();
  readonly sockets = new Map<string, FakeClientSocket>();
  readonly received: Array<{ socketId: string; event: string; payload: unknown }> = [];
  private identities = new Map<FakeClientSocket, FakeIdentity>();
  private socketRoom = new Map<string, string>();
  private held: Array<() => void> | null = null;
  private chatSeq = 0;

  readonly createSocket = (_url: string, options: SocketOptions): FakeClientSocket =>
    new FakeClientSocket(this, options);

  addToken(token: string, identity: FakeIdentity): void {
    this.tokens.set(token, identity);
  }

  /** Holds every delivery until `flush()` (to make both sides act before hearing the other). */
  hold(): void {
    this.held ??= [];
  }
  flush(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const fn of held) fn();
  }

  later(fn: () => void): void {
    if (this.held) this.held.push(() => setTimeout(fn, this.latencyMs));
    else setTimeout(fn, this.latencyMs);
  }

  handshake(s: FakeClientSocket): ErrorBody | 'down' | null {
    if (this.down) return 'down';
    if (this.refuse) return this.refuse;
    const id = this.tokens.get(s.options.auth.token);
    if (!id) return { code: 'unauthorized', message: 'invalid token' };
    this.identities.set(s, id);
    return null;
  }

  attach(s: FakeClientSocket): void {
    this.sockets.set(s.id!, s);
  }

  detach(s: FakeClientSocket): void {
    const id = s.id!;
    this.sockets.delete(id);
    this.removeFromRoom(id);
  }

  socketOf(userId: string): FakeClientSocket | undefined {
    for (const [s, ident] of this.identities) if (ident.userId === userId && s.connected) return s;
    return undefined;
  }

  room(roomId: string): Room {
    let r = this.rooms.get(roomId);
    if (!r) {
      r = {
        members: new Map(),
        waiting: new Map(),
        admittedUserIds: new Set(),
        closed: false,
        startedAt: null,
      };
      this.rooms.set(roomId, r);
    }
    return r;
  }

  private to(socketId: string, event: string, payload: unknown): void {
    const s = this.sockets.get(socketId);
    if (!s) return;
    this.later(() => {
      if (s.connected && s.id === socketId) s.deliver(event, payload);
    });
  }

  private sendWaiting(roomId: string): void {
    const r = this.room(roomId);
    const list = [...r.waiting.values()];
    for (const m of r.members.values())
      if (m.userType === 'doctor') this.to(m.socketId, 'waiting-room', list);
  }

  private enterRoom(
    roomId: string,
    user: RoomUser,
    /** The admitting doctor's offer that came with the admit, and the doctor's socket. */
    offer?: { offer: unknown; from: string },
  ): void {
    const r = this.room(roomId);
    const others = [...r.members.values()];
    r.members.set(user.socketId, user);
    this.socketRoom.set(user.socketId, roomId);
    if (user.userType !== 'doctor') {
      r.admittedUserIds.add(user.userId);
      this.to(user.socketId, 'admitted', { roomId });
    }
    this.to(user.socketId, 'room-users', others);
    if (offer) this.to(user.socketId, 'offer', { offer: offer.offer, socketId: offer.from });
    for (const o of others) this.to(o.socketId, 'user-joined', user);
    if (others.length > 0 && r.startedAt === null) r.startedAt = Date.now();
  }

  private removeFromRoom(socketId: string): void {
    const roomId = this.socketRoom.get(socketId);
    if (!roomId) return;
    this.socketRoom.delete(socketId);
    const r = this.room(roomId);
    const user = r.members.get(socketId);
    r.members.delete(socketId);
    if (r.waiting.delete(socketId)) this.sendWaiting(roomId);
    if (user)
      for (const o of r.members.values())
        this.to(o.socketId, 'user-left', { socketId, userId: user.userId, role: user.role });
  }

  /** As `DELETE /api/meetings/:roomId/guests/:guestId`: `call-ended` (removed), then gone. */
  removeGuest(roomId: string, userId: string): void {
    const s = this.socketOf(userId);
    if (!s?.id) return;
    const socketId = s.id;
    this.to(socketId, 'call-ended', { roomId, reason: 'removed', duration: null });
    this.later(() => {
      this.removeFromRoom(socketId);
      s.kick();
    });
  }

  /** Ends the meeting for everyone, as `end-call` or a cancellation would. */
  endMeeting(roomId: string, reason: 'ended-by-doctor' | 'cancelled' | 'abandoned'): void {
    const r = this.room(roomId);
    r.closed = true;
    const duration = r.startedAt === null ? null : Math.round((Date.now() - r.startedAt) / 1000);
    for (const id of [...r.members.keys(), ...r.waiting.keys()])
      this.to(id, 'call-ended', { roomId, reason, duration });
  }

  receive(s: FakeClientSocket, event: string, raw: unknown, ack?: (r: unknown) => void): void {
    const reply = (r: unknown) => ack && this.later(() => ack(r));
    const bad = (code: ErrorBody['code'], message: string) =>
      reply({ ok: false, error: { code, message } });
    const socketId = s.id!;
    this.received.push({ socketId, event, payload: raw });
    this.later(() => {
      if (!s.connected || s.id !== socketId) return;
      const schema = clientEventSchemas[event as ClientEventName];
      if (!schema) return bad('bad-request', 'unknown event');
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return bad('bad-request', 'invalid payload');
      const p = parsed.data as Record<string, unknown> & { roomId: string };
      const ident = this.identities.get(s)!;
      const r = this.room(p.roomId);
      const inRoom = this.socketRoom.get(socketId) === p.roomId && r.members.has(socketId);
      switch (event as ClientEventName) {
        case 'join-room': {
          if (ident.userType !== p.userType || ident.userId !== p.userId)
            return bad('forbidden', 'identity mismatch');
          if (ident.roomId && ident.roomId !== p.roomId) return bad('forbidden', 'wrong room');
          if (r.closed) return bad('room-closed', 'meeting is over');
          // One socket per person per room: a newer connection replaces the stale one.
          for (const [other, id] of this.identities)
            if (
              other !== s &&
              other.connected &&
              id.userId === ident.userId &&
              this.socketRoom.get(other.id!) === p.roomId
            ) {
              const oid = other.id!;
              this.to(oid, 'signal-error', {
                event: 'join-room',
                error: { code: 'conflict', message: 'joined from another tab' },
              });
              this.later(() => other.kick());
            }
          const user: RoomUser = {
            socketId,
            userId: ident.userId,
            userType: ident.userType,
            userName: p.userName as string,
            role:
              ident.userType === 'guest'
                ? (ident.role ?? 'interpreter')
                : ident.userType === 'doctor'
                  ? 'doctor'
                  : 'patient',
          };
          if (ident.userType === 'doctor' || r.admittedUserIds.has(ident.userId)) {
            reply({ ok: true, data: { status: 'joined', roomId: p.roomId, socketId } });
            this.enterRoom(p.roomId, user);
            if (ident.userType === 'doctor')
              this.to(socketId, 'waiting-room', [...r.waiting.values()]);
          } else {
            r.waiting.set(socketId, {
              socketId,
              userId: ident.userId,
              userName: user.userName,
              userType: user.userType,
              role: user.role,
              waitingSince: new Date().toISOString(),
            });
            this.socketRoom.set(socketId, p.roomId);
            reply({ ok: true, data: { status: 'waiting', roomId: p.roomId, socketId } });
            this.sendWaiting(p.roomId);
          }
          return;
        }
        case 'admit-patient': {
          if (ident.userType !== 'doctor' || !inRoom) return bad('forbidden', 'doctor only');
          const w = r.waiting.get(p.socketId as string);
          if (!w) return bad('not-found', 'no such patient waiting');
          if (r.members.size >= FAKE_ROOM_CAP) return bad('conflict', 'the visit is full');
          r.waiting.delete(w.socketId);
          // As the service does (signaling.ts admitLocal): `admitted`, `room-users`, the
          // offer that came with the admit and `user-joined` go out before the doctor's ack.
          this.enterRoom(
            p.roomId,
            {
              socketId: w.socketId,
              userId: w.userId,
              userType: w.userType,
              userName: w.userName,
              role: w.role,
            },
            p.offer ? { offer: p.offer, from: socketId } : undefined,
          );
          this.sendWaiting(p.roomId);
          reply({ ok: true, data: null });
          return;
        }
        case 'offer':
        case 'answer':
        case 'ice-candidate': {
          const target = p.targetSocketId as string;
          if (!inRoom || !r.members.has(target)) return bad('not-in-room', 'target not in room');
          const key = event === 'ice-candidate' ? 'candidate' : event;
          this.to(target, event, { [key]: p[key], socketId });
          return reply({ ok: true, data: null });
        }
        case 'leave-call':
          this.removeFromRoom(socketId);
          return reply({ ok: true, data: null });
        case 'end-call':
          if (ident.userType !== 'doctor' || !inRoom) return bad('forbidden', 'doctor only');
          // Like the service: everyone hears call-ended before the doctor's ack.
          this.endMeeting(p.roomId, 'ended-by-doctor');
          reply({ ok: true, data: null });
          return;
        case 'media-state':
        case 'screen-share-toggle': {
          if (!inRoom) return bad('not-in-room', 'not in room');
          const { roomId: _r, ...rest } = p;
          for (const o of r.members.keys())
            if (o !== socketId) this.to(o, event, { ...rest, socketId });
          return reply({ ok: true, data: null });
        }
        case 'chat-message': {
          if (!inRoom) return bad('not-in-room', 'not in room');
          const msg = {
            id: `chat-${++this.chatSeq}`,
            roomId: p.roomId,
            message: p.message,
            userName: p.userName,
            userType: ident.userType,
            socketId,
            timestamp: new Date().toISOString(),
          };
          for (const o of r.members.keys()) this.to(o, 'chat-message', msg);
          return reply({ ok: true, data: null });
        }
        case 'call-quality':
          return reply({ ok: true, data: null });
        // The real service checks the new token is the same person's; the fake has no tokens.
        case 'renew-token':
          return reply({ ok: true, data: null });
      }
    });
  }

  /** Received client events of one kind (parsed or not). */
  eventsOf(event: ClientEventName, socketId?: string): unknown[] {
    return this.received
      .filter((r) => r.event === event && (!socketId || r.socketId === socketId))
      .map((r) => r.payload);
  }
}
