// Node (tests and bench only): property-based fuzzing of every socket event and REST route of
// the real service, through real HTTP and real socket.io-client connections.
//
// The world: room A (a doctor and an admitted patient), room W (a patient waiting, no doctor),
// a doctor with no room and a manager; these send the generated input. Room B (its doctor and
// admitted patient) only listens. After every input:
//  - the service still answers and nothing it said was `internal` / HTTP 500 (never crashes);
//  - room B's members received nothing, and room B's record is unchanged;
//  - a rejected input (error ack, `signal-error`, HTTP ≥ 400) changed no stored record
//    (meetings, users, audit trail: snapshots before and after compared);
//  - the sender is still connected (only an oversized frame may cost the connection).
// An accepted input that moves the world (a leave, an end, a cancel) is followed by a rebuild.
//
// Socket events are generated from the contract's event list, so events added later are
// fuzzed too (with generic payloads until a generator here knows their fields).
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { clientEventSchemas } from '@bedside/shared';
import type { MeetingStore } from '../store/types.js';
import {
  SAMPLE_ANSWER,
  SAMPLE_CANDIDATE,
  SAMPLE_OFFER,
  addDoctor,
  api,
  connect,
  createMeeting,
  emitAck,
  login,
  startTestService,
  type ClientSocket,
} from './harness.js';
import { MAX_HTTP_BUFFER_SIZE } from '../socket/signaling.js';

// ---- symbolic input (resolved against the current world when it runs) ----------------------

const ACTORS = ['docA', 'patA', 'waitP', 'docC', 'mgr'] as const;
type Actor = (typeof ACTORS)[number];
/** Values that refer to the world: ids of rooms, sockets and users, names, tokens. */
type Ref =
  | { ref: 'room'; which: 'A' | 'B' | 'W' | 'unknown' }
  | { ref: 'socket'; which: 'docA' | 'patA' | 'waitP' | 'docB' | 'patB' | 'self' | 'unknown' }
  | { ref: 'user'; which: 'self' | 'docA' | 'patA' | 'docB' | 'patB' }
  | { ref: 'name'; which: 'self' | 'docB' | 'patA' }
  | { ref: 'type'; which: 'self' | 'other' };
type Sym =
  | Ref
  | string
  | number
  | boolean
  | null
  | Sym[]
  | { [k: string]: Sym }
  | { binary: number }
  | { deep: number };

export type FuzzInput =
  | {
      kind: 'socket';
      actor: Actor;
      event: string;
      args: Sym[];
      ack: boolean;
    }
  | {
      kind: 'rest';
      as: 'docA' | 'docC' | 'mgr' | 'patientA' | 'garbage' | 'none';
      method: string;
      path: Sym[];
      query: [string, Sym][];
      body: { json: Sym } | { raw: string } | null;
      contentType: string | null;
    };

const room = (which: 'A' | 'B' | 'W' | 'unknown'): Ref => ({ ref: 'room', which });
const sock = (which: 'docA' | 'patA' | 'waitP' | 'docB' | 'patB' | 'self' | 'unknown'): Ref => ({
  ref: 'socket',
  which,
});

const roomArb: fc.Arbitrary<Sym> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(room('A'), room('B'), room('W'), room('unknown')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom('room-', 'room-../B', 'ROOM-A', 'room-A\u0000', '') },
);
const socketArb: fc.Arbitrary<Sym> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      sock('docA'),
      sock('patA'),
      sock('waitP'),
      sock('docB'),
      sock('patB'),
      sock('self'),
      sock('unknown'),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
);
const userArb: fc.Arbitrary<Sym> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom<Ref>(
      { ref: 'user', which: 'self' },
      { ref: 'user', which: 'docA' },
      { ref: 'user', which: 'patA' },
      { ref: 'user', which: 'docB' },
      { ref: 'user', which: 'patB' },
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 140 }) },
);
const nameArb: fc.Arbitrary<Sym> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom<Ref>(
      { ref: 'name', which: 'self' },
      { ref: 'name', which: 'docB' },
      { ref: 'name', which: 'patA' },
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 90 }) },
  { weight: 1, arbitrary: fc.constantFrom(' ', 'Dr\u0000X', 'a\nb', '\u202eevil', 'x'.repeat(81)) },
);
const typeArb: fc.Arbitrary<Sym> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom<Ref>(
      { ref: 'type', which: 'self' },
      { ref: 'type', which: 'other' },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('doctor', 'patient', 'manager', 'guest', 'DOCTOR', '') },
);

/** JSON-ish junk, including keys that have bitten JavaScript servers before. */
const junkArb: fc.Arbitrary<Sym> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Sym> },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Sym>(
      { __proto__: { admin: true } } as unknown as Sym,
      { constructor: { prototype: { x: 1 } } },
      { toString: 'x', valueOf: 1, hasOwnProperty: null },
      -0,
      1e308,
      -1e308,
      Number.MAX_SAFE_INTEGER + 2,
      '\ud800',
      '💥'.repeat(500),
      'x'.repeat(40_000),
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2048 }).map((n) => ({ binary: n })) },
  // Deep nesting: parsers and validators that recurse can be made to overflow their stack.
  // Kept symbolic (built when sent) so fast-check can print a counterexample. Past ~2500
  // levels socket.io-client's own binary check overflows before anything is sent.
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 1500 }).map((n) => ({ deep: n })) },
);

const sdpArb = (type: 'offer' | 'answer'): fc.Arbitrary<Sym> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(type === 'offer' ? SAMPLE_OFFER : SAMPLE_ANSWER) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.oneof(
          fc.constantFrom('offer', 'answer', 'pranswer', 'rollback'),
          fc.string({ maxLength: 10 }),
        ),
        sdp: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('v=0\r\n'.repeat(7000))),
      }) as fc.Arbitrary<Sym>,
    },
    { weight: 1, arbitrary: junkArb },
  );
const candidateArb: fc.Arbitrary<Sym> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(SAMPLE_CANDIDATE) },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        candidate: fc.string({ maxLength: 1100 }),
        sdpMid: fc.oneof(fc.string({ maxLength: 70 }), fc.constant(null)),
        sdpMLineIndex: fc.oneof(fc.integer({ min: -2, max: 70 }), fc.double(), fc.constant(null)),
        usernameFragment: fc.oneof(fc.string({ maxLength: 300 }), fc.constant(null)),
      },
      { requiredKeys: ['candidate'] },
    ) as fc.Arbitrary<Sym>,
  },
  { weight: 1, arbitrary: junkArb },
);
const numArb = (max: number): fc.Arbitrary<Sym> =>
  fc.oneof(
    fc.double({ min: 0, max, noNaN: true }),
    fc.double(),
    fc.integer(),
    fc.constant(null),
    fc.constantFrom(-1, max + 1, 0.5),
  ) as fc.Arbitrary<Sym>;
const boolArb: fc.Arbitrary<Sym> = fc.oneof(
  { weight: 4, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom<Sym>('true', 0, 1, null) },
);

/** Field generators for the payload of each known event; others get a generic object. */
const FIELDS: Record<string, Record<string, fc.Arbitrary<Sym>>> = {
  'join-room': {
    roomId: roomArb,
    userId: userArb,
    userType: typeArb,
    userName: nameArb,
    precheck: fc.oneof(
      fc.record({
        camera: fc.constantFrom('ok', 'denied', 'missing', 'unknown', 'x'),
        microphone: fc.constantFrom('ok', 'denied'),
        connection: fc.constantFrom('good', 'poor', 'x'),
      }) as fc.Arbitrary<Sym>,
      junkArb,
    ),
  },
  offer: { roomId: roomArb, offer: sdpArb('offer'), targetSocketId: socketArb },
  answer: { roomId: roomArb, answer: sdpArb('answer'), targetSocketId: socketArb },
  'ice-candidate': { roomId: roomArb, candidate: candidateArb, targetSocketId: socketArb },
  'leave-call': { roomId: roomArb, userId: userArb },
  'chat-message': {
    roomId: roomArb,
    message: fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constant('  '),
      fc.constant('m'.repeat(2001)),
    ),
    userName: nameArb,
    userType: typeArb,
  },
  'screen-share-toggle': { roomId: roomArb, isSharing: boolArb, userName: nameArb },
  'admit-patient': { roomId: roomArb, socketId: socketArb },
  'end-call': { roomId: roomArb },
  'media-state': { roomId: roomArb, audio: boolArb, video: boolArb },
  'call-quality': {
    roomId: roomArb,
    rttMs: numArb(60_000),
    packetLoss: numArb(1),
    bitrateKbps: numArb(1_000_000),
    iceState: fc.constantFrom('new', 'checking', 'connected', 'failed', 'closed', 'bogus'),
    level: fc.constantFrom('good', 'fair', 'poor', 'lost', 'great'),
    relay: boolArb,
    iceRestarts: numArb(1000),
  },
};
const GENERIC_FIELDS: Record<string, fc.Arbitrary<Sym>> = {
  roomId: roomArb,
  socketId: socketArb,
  targetSocketId: socketArb,
  userId: userArb,
  userName: nameArb,
  accept: boolArb,
  guestId: fc.string({ maxLength: 40 }),
  role: fc.constantFrom('interpreter', 'caregiver', 'clinician', 'doctor', 'x'),
};

/** A payload close to valid (each field right or wrong), or junk. */
const payloadArb = (event: string): fc.Arbitrary<Sym> => {
  const fields = FIELDS[event] ?? GENERIC_FIELDS;
  const nearValid = fc
    .record(fields, { requiredKeys: [] })
    .chain((base) =>
      fc
        .tuple(
          fc.dictionary(
            fc.constantFrom(...Object.keys(fields), 'extra', '__proto__', 'constructor'),
            junkArb,
            { maxKeys: 2 },
          ),
          fc.boolean(),
        )
        .map(([overrides, apply]) => (apply ? { ...base, ...overrides } : base) as Sym),
    );
  const allFields = fc.record(fields) as fc.Arbitrary<Sym>;
  return fc.oneof(
    { weight: 4, arbitrary: allFields },
    { weight: 3, arbitrary: nearValid },
    { weight: 2, arbitrary: junkArb },
  );
};

const knownEvents = Object.keys(clientEventSchemas);
const RESERVED_EVENTS = [
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
  'error',
];
const eventNameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 24, arbitrary: fc.constantFrom(...knownEvents) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'socket-op',
      'room-closed',
      'JOIN-ROOM',
      'join-room ',
      'x'.repeat(5000),
    ),
  },
  // Names the client library refuses to emit; sent as raw Socket.io packets instead.
  { weight: 1, arbitrary: fc.constantFrom(...RESERVED_EVENTS) },
);

const socketInputArb: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.constantFrom(...ACTORS), eventNameArb, fc.boolean(), fc.nat(9))
  .chain(([actor, event, ack, shape]) => {
    const payload = payloadArb(event);
    // Mostly one payload; sometimes none, several, or a payload then junk arguments.
    const args: fc.Arbitrary<Sym[]> =
      shape === 0
        ? fc.constant([])
        : shape === 1
          ? fc.array(junkArb, { minLength: 2, maxLength: 4 })
          : shape === 2
            ? fc.tuple(payload, junkArb).map((a) => a as Sym[])
            : payload.map((p) => [p]);
    return args.map((a): FuzzInput => ({ kind: 'socket', actor, event, args: a, ack }));
  });

// ---- REST ----------------------------------------------------------------------------------

const ROUTES: { method: string; path: Sym[] }[] = [
  { method: 'POST', path: ['api', 'auth', 'login'] },
  { method: 'POST', path: ['api', 'auth', 'refresh'] },
  { method: 'POST', path: ['api', 'create-meeting'] },
  { method: 'POST', path: ['api', 'meetings'] },
  { method: 'GET', path: ['api', 'meetings'] },
  { method: 'GET', path: ['api', 'meetings', room('A')] },
  { method: 'POST', path: ['api', 'meetings', room('A'), 'cancel'] },
  { method: 'GET', path: ['api', 'reports', 'call-durations'] },
  { method: 'GET', path: ['api', 'ice-servers'] },
  { method: 'GET', path: ['api', 'version'] },
  { method: 'GET', path: ['healthz'] },
  { method: 'GET', path: ['readyz'] },
  { method: 'GET', path: ['metrics'] },
];
const QUERY_KEYS = ['status', 'from', 'to', 'page', 'limit', 'doctorId', 'format', 'a[b]', 'x'];
const bodyFieldArb: Record<string, fc.Arbitrary<Sym>> = {
  email: fc.oneof(
    fc.constantFrom('docA@fuzz.test', 'manager@demo.test', 'DOCA@FUZZ.TEST ', 'nobody@x.y'),
    fc.string({ maxLength: 300 }),
  ),
  password: fc.oneof(fc.constantFrom('wrong-password', ''), fc.string({ maxLength: 300 })),
  appointmentId: fc.oneof(
    fc.constantFrom('fz-1', 'fz-2', 'fz-3', 'B', 'A', '../B', 'a b'),
    fc.string({ maxLength: 70 }),
  ),
  scheduledTime: fc.oneof(
    fc.constantFrom('2026-12-03T10:00:00Z', '2026-12-03T10:00:00+14:00', 'yesterday', ''),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  ),
  patientId: fc.string({ maxLength: 140 }),
  patientName: fc.oneof(nameArb, fc.constant(null)),
};
const queryValueArb: fc.Arbitrary<Sym> = fc.oneof(
  fc.constantFrom('completed', 'active', 'csv', 'json', '1', '0', '-1', '1000', '100000', ''),
  fc.constantFrom('2026-01-01', '2026-12-31T00:00:00Z', 'not-a-date'),
  fc.string({ maxLength: 50 }),
);

const restInputArb: fc.Arbitrary<FuzzInput> = fc
  .record({
    as: fc.constantFrom('docA', 'docC', 'mgr', 'patientA', 'garbage', 'none') as fc.Arbitrary<
      'docA' | 'docC' | 'mgr' | 'patientA' | 'garbage' | 'none'
    >,
    route: fc.constantFrom(...ROUTES),
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') },
    ),
    roomInPath: fc.oneof(roomArb, fc.constantFrom('%00', '..', 'room-A%2F..')),
    query: fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValueArb), { maxLength: 4 }),
    body: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record(bodyFieldArb, { requiredKeys: [] }).map((j) => ({ json: j as Sym })),
      },
      { weight: 2, arbitrary: junkArb.map((j) => ({ json: j })) },
      {
        weight: 1,
        arbitrary: fc
          .oneof(
            fc.string({ maxLength: 200 }),
            fc.constantFrom(
              '{',
              '{"a":',
              '[1,2',
              'null',
              '"x"',
              '{"__proto__":{"role":"manager"}}',
            ),
            fc.constant('{"a":"' + 'x'.repeat(20_000) + '"}'),
          )
          .map((raw) => ({ raw })),
      },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
        ),
      },
    ),
  })
  .map((r): FuzzInput => ({
    kind: 'rest',
    as: r.as,
    method: r.method ?? r.route.method,
    path: r.route.path.map((seg) => (typeof seg === 'object' ? r.roomInPath : seg)),
    query: r.query,
    // fetch sends no body with GET or HEAD.
    body: (r.method ?? r.route.method) === 'GET' ? null : r.body,
    contentType: r.contentType,
  }));

export const fuzzInputArb: fc.Arbitrary<FuzzInput> = fc.oneof(
  { weight: 4, arbitrary: socketInputArb },
  { weight: 1, arbitrary: restInputArb },
);

// ---- the world ------------------------------------------------------------------------------

interface Party {
  token: string;
  userId: string;
  name: string;
  socket: ClientSocket | null;
}

export interface FuzzWorld {
  url: string;
  store: MeetingStore;
  rooms: { A: string; B: string; W: string };
  parties: Record<'docA' | 'patA' | 'waitP' | 'docB' | 'patB' | 'docC' | 'mgr', Party>;
  /** What room B's members received since the last check. */
  roomBInbox: { who: string; event: string }[];
  rebuilds: number;
}

type Service = Awaited<ReturnType<typeof startTestService>>;

let appointmentSeq = 0;
/** Each rebuild adds participant entries to room A; past this many, a fresh meeting is made. */
const MAX_ENTRIES_PER_ROOM = 24;

async function joinAck(s: ClientSocket, payload: Record<string, unknown>) {
  const r = await emitAck(s, 'join-room', payload);
  if (!r.ok) throw new Error(`fuzz setup: join-room refused: ${r.error.code}`);
  return r;
}

const usable = async (store: MeetingStore, roomId: string) => {
  const m = await store.getMeeting(roomId);
  return (
    !!m &&
    (m.status === 'scheduled' || m.status === 'active') &&
    m.participants.length < MAX_ENTRIES_PER_ROOM
  );
};

/** Room A (doctor + admitted patient), room W (patient waiting), room B (listening pair). */
async function build(service: Service, world: FuzzWorld | null): Promise<FuzzWorld> {
  const url = service.url;
  for (const [key, p] of Object.entries(world?.parties ?? {})) {
    if (key !== 'docB' && key !== 'patB') p.socket?.close();
  }
  // Signed in once: the fuzzer's own login attempts use up the sign-in rate limit.
  const signIn = async (key: 'docA' | 'docB' | 'docC' | 'mgr', email: string) => {
    const p = world?.parties[key];
    return p ? { token: p.token, user: { id: p.userId, displayName: p.name } } : login(url, email);
  };
  const docA = await signIn('docA', 'docA@fuzz.test');
  const docB = world ? null : await signIn('docB', 'docB@fuzz.test');
  const docC = await signIn('docC', 'docC@fuzz.test');
  const mgr = await signIn('mgr', 'manager@demo.test');
  const seq = ++appointmentSeq;
  const reuse =
    world !== null &&
    (await usable(service.store, world.rooms.A)) &&
    (await usable(service.store, world.rooms.W));
  const mA = reuse
    ? null
    : await createMeeting(url, docA.token, `A${seq}`, { patientName: 'Pat A' });
  const mW = reuse
    ? null
    : await createMeeting(url, docA.token, `W${seq}`, { patientName: 'Pat W' });
  // Room B is made once and kept: its record must never change.
  const mB = world ? null : await createMeeting(url, docB!.token, 'B', { patientName: 'Pat B' });
  const user = (l: { token: string; user: { id: string; displayName: string } }): Party => ({
    token: l.token,
    userId: l.user.id,
    name: l.user.displayName,
    socket: null,
  });
  const patient = (m: Awaited<ReturnType<typeof createMeeting>>, name: string): Party => ({
    token: m.patientToken,
    userId: m.meeting.patientId,
    name,
    socket: null,
  });
  const parties: FuzzWorld['parties'] = {
    docA: user(docA),
    patA: mA ? patient(mA, 'Pat A') : { ...world!.parties.patA, socket: null },
    waitP: mW ? patient(mW, 'Pat W') : { ...world!.parties.waitP, socket: null },
    docB: world?.parties.docB ?? user(docB!),
    patB: world?.parties.patB ?? patient(mB!, 'Pat B'),
    docC: user(docC),
    mgr: user(mgr),
  };
  const rooms = {
    A: mA?.roomId ?? world!.rooms.A,
    W: mW?.roomId ?? world!.rooms.W,
    B: mB?.roomId ?? world!.rooms.B,
  };
  const w: FuzzWorld = {
    url,
    store: service.store,
    rooms,
    parties,
    roomBInbox: world?.roomBInbox ?? [],
    rebuilds: (world?.rebuilds ?? -1) + 1,
  };
  const join = async (key: keyof FuzzWorld['parties'], roomId: string, type: string) => {
    const p = parties[key];
    p.socket = await connect(url, { token: p.token });
    return joinAck(p.socket, { roomId, userId: p.userId, userType: type, userName: p.name });
  };
  await join('docA', rooms.A, 'doctor');
  const patJoin = await join('patA', rooms.A, 'patient');
  // A patient admitted before goes straight back in.
  if ((patJoin.data as { status?: string }).status === 'waiting') {
    const adm = await emitAck(parties.docA.socket!, 'admit-patient', {
      roomId: rooms.A,
      socketId: parties.patA.socket!.id,
    });
    if (!adm.ok) throw new Error(`fuzz setup: admit refused: ${adm.error.code}`);
  }
  await join('waitP', rooms.W, 'patient');
  parties.docC.socket = await connect(url, { token: parties.docC.token });
  parties.mgr.socket = await connect(url, { token: parties.mgr.token });
  if (!world) {
    await join('docB', rooms.B, 'doctor');
    await join('patB', rooms.B, 'patient');
    const admB = await emitAck(parties.docB.socket!, 'admit-patient', {
      roomId: rooms.B,
      socketId: parties.patB.socket!.id,
    });
    if (!admB.ok) throw new Error('fuzz setup: admit in room B refused');
    // Let room B's own setup traffic arrive before listening.
    await emitAck(parties.patB.socket!, 'media-state', {});
    await emitAck(parties.docB.socket!, 'media-state', {});
    for (const key of ['docB', 'patB'] as const) {
      parties[key].socket!.onAny((event: string) => w.roomBInbox.push({ who: key, event }));
    }
  }
  return w;
}

// ---- running one input ----------------------------------------------------------------------

function resolve(v: Sym, w: FuzzWorld, self: Actor): unknown {
  if (Array.isArray(v)) return v.map((x) => resolve(x, w, self));
  if (v === null || typeof v !== 'object') return v;
  if ('binary' in v && typeof v.binary === 'number' && Object.keys(v).length === 1) {
    return Buffer.alloc(v.binary, 7);
  }
  if ('deep' in v && typeof v.deep === 'number' && Object.keys(v).length === 1) {
    let nested: unknown = 'deep';
    for (let i = 0; i < v.deep; i++) nested = i % 2 ? [nested] : { a: nested };
    return nested;
  }
  if ('ref' in v && typeof v.ref === 'string' && 'which' in v) {
    const r = v as Ref;
    switch (r.ref) {
      case 'room':
        return r.which === 'unknown' ? 'room-does-not-exist' : w.rooms[r.which];
      case 'socket':
        if (r.which === 'unknown') return 'no-such-socket-id';
        return w.parties[r.which === 'self' ? self : r.which].socket?.id ?? 'gone';
      case 'user':
        return w.parties[r.which === 'self' ? self : r.which].userId;
      case 'name':
        return w.parties[r.which === 'self' ? self : r.which].name;
      case 'type': {
        const own =
          self === 'docA' || self === 'docC' ? 'doctor' : self === 'mgr' ? 'manager' : 'patient';
        return r.which === 'self' ? own : own === 'doctor' ? 'patient' : 'doctor';
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    // Own property even for "__proto__", as JSON.parse on the server would produce.
    Object.defineProperty(out, k, {
      value: resolve(x, w, self),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

async function snapshotAll(store: MeetingStore) {
  const { items } = await store.listMeetings({}, { page: 1, limit: 1000 });
  const users = await store.listUsers();
  const audit = await store.listAudit({ limit: 100 });
  return { meetings: items, users, audit };
}

export interface Outcome {
  rejected: boolean;
  /** An accepted input that may have moved the world: rebuild before the next one. */
  moved: boolean;
  code?: string;
  /** The actor whose connection Socket.io closed for a packet its parser refused. */
  closedByProtocol?: Actor;
}

export class InvariantViolation extends Error {
  constructor(
    message: string,
    readonly input: unknown,
  ) {
    super(message);
  }
}

/** Framing around the payload (packet type, ack id): sizes this close to the limit may go either way. */
const FRAME_MARGIN = 256;

/** Bytes of the event's text frame (binary attachments travel as frames of their own). */
const hasBinary = (v: unknown): boolean =>
  Buffer.isBuffer(v) ||
  (Array.isArray(v)
    ? v.some(hasBinary)
    : !!v && typeof v === 'object' && Object.values(v).some(hasBinary));

/**
 * The size of the frame Socket.io really sends. A packet with binary goes through
 * socket.io-parser's deconstructPacket, which copies each object with `newData[key] = …`: an own
 * `__proto__` key is dropped on the way (the assignment sets a prototype), so it must not count.
 */
const encodedSize = (event: string, args: unknown[]): number => {
  const binary = hasBinary(args);
  return Buffer.byteLength(
    JSON.stringify([event, ...args], (_k, v: unknown) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
      if ((v as { type?: unknown }).type === 'Buffer') return 0;
      if (!binary || !Object.hasOwn(v, '__proto__')) return v;
      const copy: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(v)) if (key !== '__proto__') copy[key] = value;
      return copy;
    }) ?? '',
  );
};

const MOVING_EVENTS = new Set(['join-room', 'leave-call', 'end-call', 'admit-patient']);

async function sendSocket(
  w: FuzzWorld,
  input: Extract<FuzzInput, { kind: 'socket' }>,
): Promise<Outcome> {
  const s = w.parties[input.actor].socket!;
  const args = input.args.map((a) => resolve(a, w, input.actor));
  const errors: string[] = [];
  const onError = (e: { error?: { code?: string } }) => errors.push(e?.error?.code ?? '?');
  s.on('signal-error', onError as never);
  try {
    let code: string | undefined;
    let rejected: boolean;
    const raw = s as unknown as {
      timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> };
      emit(e: string, ...a: unknown[]): void;
    };
    // Several large generated values together can exceed the frame limit: that frame may cost
    // the connection (the one thing allowed to), and past the limit it must.
    const size = encodedSize(input.event, args);
    if (size > MAX_HTTP_BUFFER_SIZE - FRAME_MARGIN) {
      const closed = new Promise<boolean>((r) => {
        s.once('disconnect', () => r(true));
        setTimeout(() => r(false), 5000);
      });
      raw.emit(input.event, ...args);
      const wasClosed = await closed;
      if (!wasClosed && size > MAX_HTTP_BUFFER_SIZE + FRAME_MARGIN)
        throw new Error(`an oversized frame (${size} bytes) was accepted`);
      return {
        rejected: false,
        moved: true,
        ...(wasClosed ? { closedByProtocol: input.actor } : {}),
      };
    }
    if (RESERVED_EVENTS.includes(input.event)) {
      // The client library refuses these names, so this is a raw EVENT packet (engine.io
      // message "4", Socket.io event "2"). Socket.io's own parser rejects it as an invalid
      // packet and closes the connection, as it does any malformed frame: the service must
      // carry on, and everyone else stays connected.
      const closed = new Promise<boolean>((r) => {
        s.once('disconnect', () => r(true));
        setTimeout(() => r(false), 5000);
      });
      const engine = (s.io as unknown as { engine: { write(d: string): void } }).engine;
      engine.write(`42${JSON.stringify([input.event, ...args])}`);
      if (!(await closed)) throw new Error(`a raw "${input.event}" packet was not refused`);
      return { rejected: false, moved: true, closedByProtocol: input.actor };
    }
    if (input.ack) {
      const r = (await raw.timeout(5000).emitWithAck(input.event, ...args)) as {
        ok?: unknown;
        error?: { code?: string };
      };
      rejected = r?.ok !== true;
      code = r?.error?.code;
    } else {
      raw.emit(input.event, ...args);
      // A barrier through the same per-socket queue: its answer comes after the input's.
      await emitAck(s, 'media-state', null);
      rejected = errors.length > 0;
      code = errors[0];
      // An unknown event without an ack has no answer at all: it was dropped.
      if (!Object.hasOwn(clientEventSchemas, input.event)) rejected = true;
    }
    if (code === 'internal') throw new Error(`internal error answering ${input.event}`);
    return {
      rejected,
      moved: !rejected && MOVING_EVENTS.has(input.event),
      ...(code ? { code } : {}),
    };
  } finally {
    s.off('signal-error', onError as never);
  }
}

async function sendRest(
  w: FuzzWorld,
  input: Extract<FuzzInput, { kind: 'rest' }>,
): Promise<Outcome> {
  const tokenOf: Record<typeof input.as, string | undefined> = {
    docA: w.parties.docA.token,
    docC: w.parties.docC.token,
    mgr: w.parties.mgr.token,
    patientA: w.parties.patA.token,
    garbage: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    none: undefined,
  };
  const segs = input.path.map((p) => encodeURIComponent(String(resolve(p, w, 'docA'))));
  const qs = new URLSearchParams(
    input.query.map(([k, v]): [string, string] => [k, String(resolve(v, w, 'docA'))]),
  );
  const urlPath = '/' + segs.join('/') + (input.query.length ? `?${qs}` : '');
  const headers: Record<string, string> = {};
  if (input.contentType) headers['content-type'] = input.contentType;
  const token = tokenOf[input.as];
  const r = await api(w.url, input.method, urlPath, {
    ...(token ? { token } : {}),
    headers,
    ...(input.body && 'json' in input.body
      ? { rawBody: JSON.stringify(resolve(input.body.json, w, 'docA')) }
      : {}),
    ...(input.body && 'raw' in input.body ? { rawBody: input.body.raw } : {}),
  });
  if (r.status >= 500 && !(urlPath.startsWith('/readyz') && r.status === 503)) {
    throw new Error(`HTTP ${r.status} from ${input.method} ${segs[0]}/${segs[1] ?? ''}`);
  }
  const rejected = r.status >= 400;
  const cancel = input.method === 'POST' && segs.at(-1) === 'cancel';
  return { rejected, moved: !rejected && cancel };
}

// ---- the property ---------------------------------------------------------------------------

export interface FuzzStats {
  inputs: number;
  rejected: number;
  accepted: number;
  rebuilds: number;
  socketInputs: number;
  restInputs: number;
  oversized: number;
  /** Raw packets Socket.io's parser refused (reserved event names), closing that connection. */
  protocolClosed: number;
  ms: number;
}

export interface Fuzzer {
  world: FuzzWorld;
  service: Service;
  stats: FuzzStats;
  /** Runs one input and checks every invariant; throws InvariantViolation. */
  check(input: FuzzInput): Promise<void>;
  /** An oversized frame from a fresh connection: it is dropped, nothing else is. */
  checkOversized(extra: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFuzzer(): Promise<Fuzzer> {
  // The per-connection event limit is lifted (it is tested on its own in hostile.test.ts):
  // the fuzzer sends as fast as the service answers, from a handful of connections.
  // The abandoned-visit sweeper is kept out of the run (it is tested on its own): the world
  // leaves visits nobody is in behind it at each rebuild, and room W never has a doctor, so
  // on a long run the sweeper would complete them — a real change to stored records (and the
  // end of the patients' connections) that no input caused, blamed on whichever came next.
  const service = await startTestService({
    socketEventsPerSecond: 100_000,
    abandonGraceSeconds: 86_400,
  });
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  for (const [email, name] of [
    ['docA@fuzz.test', 'Dr. A'],
    ['docB@fuzz.test', 'Dr. B'],
    ['docC@fuzz.test', 'Dr. C'],
  ] as const) {
    await addDoctor(service.store, email, name);
  }
  let world = await build(service, null);
  const roomBRecord = await service.store.getMeeting(world.rooms.B);
  const stats: FuzzStats = {
    inputs: 0,
    rejected: 0,
    accepted: 0,
    rebuilds: 0,
    socketInputs: 0,
    restInputs: 0,
    oversized: 0,
    protocolClosed: 0,
    ms: 0,
  };
  const started = performance.now();

  const violated = (msg: string, input: unknown): never => {
    throw new InvariantViolation(msg, input);
  };

  const settle = () => new Promise((r) => setImmediate(r));
  /**
   * The stored records after the last input, when that input was refused and moved nothing:
   * the next input's "before". Nothing may change in between, so reading them again would only
   * cost time (two snapshots per input were a third of the fuzzer's CPU) — and anything that
   * does change in between (a late write of a refused input) is still caught, by the next check.
   */
  let unchanged: Awaited<ReturnType<typeof snapshotAll>> | null = null;

  const fuzzer: Fuzzer = {
    get world() {
      return world;
    },
    service,
    stats,
    async check(input) {
      await settle();
      const before = unchanged ?? (await snapshotAll(service.store));
      unchanged = null;
      let outcome: Outcome;
      try {
        outcome =
          input.kind === 'socket' ? await sendSocket(world, input) : await sendRest(world, input);
      } catch (err) {
        return violated(`no proper answer: ${(err as Error).message}`, input);
      }
      await settle();
      stats.inputs++;
      if (input.kind === 'socket') stats.socketInputs++;
      else stats.restInputs++;
      if (crashes.length) violated(`the service threw: ${String(crashes[0])}`, input);
      if (world.roomBInbox.length) {
        const got = world.roomBInbox.map((e) => `${e.who}:${e.event}`).join(', ');
        violated(`room B received ${got}`, input);
      }
      const after = await snapshotAll(service.store);
      if (outcome.rejected) {
        stats.rejected++;
        if (!isDeepStrictEqual(before, after)) {
          violated(`rejected input (${outcome.code ?? 'http'}) changed stored records`, input);
        }
      } else {
        stats.accepted++;
      }
      const b = after.meetings.find((m) => m.roomId === world.rooms.B);
      if (!isDeepStrictEqual(b, roomBRecord)) violated("room B's record changed", input);
      for (const [key, p] of Object.entries(world.parties)) {
        if (p.socket && !p.socket.connected && key !== outcome.closedByProtocol) {
          // A moving input may end the visit (and with it the sockets' rooms), never the connection.
          violated(`${key} was disconnected`, input);
        }
      }
      if (outcome.closedByProtocol) stats.protocolClosed++;
      if (outcome.moved) {
        world = await build(service, world);
        stats.rebuilds++;
      } else if (outcome.rejected) {
        unchanged = after;
      }
      stats.ms = performance.now() - started;
    },
    async checkOversized(extra) {
      unchanged = null;
      const big = await connect(service.url, { token: world.parties.docC.token });
      const closed = new Promise<string>((r) => big.once('disconnect', (reason) => r(reason)));
      const raw = big as unknown as { emit(e: string, ...a: unknown[]): void };
      raw.emit('chat-message', {
        roomId: world.rooms.B,
        message: 'x'.repeat(MAX_HTTP_BUFFER_SIZE + extra),
      });
      const reason = await Promise.race([
        closed,
        new Promise<string>((r) => setTimeout(() => r('still connected'), 5000)),
      ]);
      big.close();
      if (reason === 'still connected') violated('an oversized frame was accepted', { extra });
      stats.oversized++;
      // Everyone else is still there and still answered.
      await fuzzer.check({
        kind: 'socket',
        actor: 'docA',
        event: 'media-state',
        args: [],
        ack: true,
      });
    },
    async close() {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      for (const p of Object.values(world.parties)) p.socket?.close();
      await service.close();
    },
  };
  return fuzzer;
}

/** Runs `numRuns` generated inputs (fixed seed) and returns the stats; throws on a violation. */
export async function runFuzz(opts: { seed: number; numRuns: number; oversized?: number }) {
  const fuzzer = await startFuzzer();
  try {
    await fc.assert(
      fc.asyncProperty(fuzzInputArb, (input) => fuzzer.check(input)),
      { seed: opts.seed, numRuns: opts.numRuns, endOnFailure: true },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 64 * 1024 }), (extra) =>
        fuzzer.checkOversized(extra),
      ),
      { seed: opts.seed, numRuns: opts.oversized ?? 3, endOnFailure: true },
    );
    const health = await api(fuzzer.service.url, 'GET', '/healthz');
    if (health.status !== 200) throw new Error('the service stopped answering /healthz');
    return { ...fuzzer.stats };
  } finally {
    await fuzzer.close();
  }
}
