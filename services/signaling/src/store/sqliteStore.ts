// Node: the embedded, durable default store (SQLite through better-sqlite3), used when no
// MONGODB_URI is set. One file, `${dataDir}/bedside.db`, in WAL mode. better-sqlite3 is
// synchronous, so each method runs as one uninterrupted transaction; BEGIN IMMEDIATE also
// serialises writers from other processes (the CLI) on the same file. Durability level: see
// SqliteStoreOptions.synchronous and docs/resilience.md.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from './files.js';
import type {
  Guest,
  Meeting,
  MeetingStatus,
  Participant,
  ParticipantQuality,
} from '@bedside/shared';
import { StoreError } from './errors.js';
import {
  STREAM_BATCH,
  applyActive,
  applyInstanceGone,
  applyJoin,
  applyLeave,
  applyQuality,
  applyTerminal,
  isAbandoned,
  isFinal,
  isoTime,
  newGuestRecord,
  newMeetingRecord,
  normalizeEmail,
  parseAuditEntry,
  parseAuditLimit,
  parseInstanceId,
  parseMeetingRecord,
  parseNewGuest,
  parseNewMeeting,
  parseNewUser,
  parsePage,
  parseParticipantEntry,
  parseQualityEntry,
  parseQuery,
  parseUserId,
  PasswordHashSchema,
  publicMeeting,
  type NewUser,
  type StoredParticipant,
} from './records.js';
import type {
  AddGuestResult,
  AuditEntry,
  InstanceBeat,
  MeetingQuery,
  MeetingStore,
  NewGuest,
  NewMeeting,
  NewParticipantEntry,
  Page,
  StoredGuest,
  StoredUser,
} from './types.js';

/**
 * Schema history, applied in order; `PRAGMA user_version` records how many have run. Append
 * only: a released migration is never edited.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('doctor', 'manager')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  ) STRICT;

  -- Clustered on (scheduled_time, appointment_id): rows sit in the file in time order, so an
  -- export (oldest first) reads pages sequentially even when meetings were created or imported
  -- in random time order; a rowid table read through a time index fetched one page per row.
  -- Participants live in a JSON column: they are always read and written with their meeting
  -- (a handful of entries), and one row per meeting keeps an export a single B-tree walk.
  CREATE TABLE meetings (
    scheduled_time TEXT NOT NULL,
    appointment_id TEXT NOT NULL,
    room_id        TEXT NOT NULL UNIQUE,
    doctor_id      TEXT NOT NULL,
    patient_id     TEXT NOT NULL,
    patient_name   TEXT,
    start_time     TEXT,
    end_time       TEXT,
    status         TEXT NOT NULL CHECK (status IN ('scheduled', 'active', 'completed', 'cancelled')),
    participants   TEXT NOT NULL DEFAULT '[]',
    duration       INTEGER CHECK (duration IS NULL OR duration >= 0),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (scheduled_time, appointment_id)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX meetings_appointment ON meetings (appointment_id);
  -- Secondary indexes carry the primary key, so each also serves
  -- ORDER BY scheduled_time, appointment_id; the primary key is the scheduled_time index.
  CREATE INDEX meetings_doctor_time ON meetings (doctor_id, scheduled_time);
  CREATE INDEX meetings_status_time ON meetings (status, scheduled_time);

  CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action     TEXT NOT NULL,
    room_id    TEXT,
    detail     TEXT
  ) STRICT;
  CREATE INDEX audit_room_at ON audit (room_id, at);
  CREATE INDEX audit_at ON audit (at);
  `,
  // Per-connection call-quality summaries, read and written with their meeting like participants.
  `ALTER TABLE meetings ADD COLUMN quality TEXT NOT NULL DEFAULT '[]';`,
  // Guests of a visit (interpreter, family member, second clinician): a handful per meeting,
  // read by the guest's join link on every connect, so a table of their own keyed by id.
  `
  CREATE TABLE guests (
    guest_id   TEXT PRIMARY KEY,
    room_id    TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('interpreter', 'caregiver', 'clinician')),
    name       TEXT NOT NULL,
    invited_at TEXT NOT NULL,
    removed_at TEXT
  ) STRICT;
  CREATE INDEX guests_room ON guests (room_id, invited_at);
  `,
  // Service instances' heartbeats. Participants entries carry the instanceId they were opened
  // through (in the participants JSON), so a dead instance's open entries can be closed.
  `CREATE TABLE instances (
    id        TEXT PRIMARY KEY,
    last_beat TEXT NOT NULL
  ) STRICT;`,
  // Revocable sessions: a per-user token version and a disabled flag.
  `
  ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
  `,
  // A guest's link can be issued again; only the latest version opens the visit.
  `ALTER TABLE guests ADD COLUMN link_version INTEGER NOT NULL DEFAULT 0;`,
];

/** Page cache sizes (negative: KiB, as PRAGMA cache_size takes them). */
const CACHE_KIB = -2000;
const BULK_CACHE_KIB = -65536;

const MEETING_COLUMNS = `appointment_id, room_id, doctor_id, patient_id, patient_name,
  scheduled_time, start_time, end_time, status, participants, duration, created_at, updated_at,
  quality`;

/** Raw row in MEETING_COLUMNS order: arrays skip a per-row key lookup, which matters at 10^6 rows. */
type MeetingRow = [
  appointmentId: string,
  roomId: string,
  doctorId: string,
  patientId: string,
  patientName: string | null,
  scheduledTime: string,
  startTime: string | null,
  endTime: string | null,
  status: MeetingStatus,
  participants: string,
  duration: number | null,
  createdAt: string,
  updatedAt: string,
  quality: string,
];

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: StoredUser['role'];
  password_hash: string;
  token_version: number;
  disabled: number;
  created_at: string;
  updated_at: string;
}

interface GuestRow {
  guest_id: string;
  room_id: string;
  role: Guest['role'];
  name: string;
  invited_at: string;
  removed_at: string | null;
  link_version: number;
}

const toGuest = (r: GuestRow): Guest => ({
  guestId: r.guest_id,
  role: r.role,
  name: r.name,
  invitedAt: r.invited_at,
  removedAt: r.removed_at,
});
const toStoredGuest = (r: GuestRow): StoredGuest => ({
  ...toGuest(r),
  linkVersion: r.link_version,
});

interface AuditRow {
  at: string;
  actor_id: string;
  actor_role: AuditEntry['actorRole'];
  action: AuditEntry['action'];
  room_id: string | null;
  detail: string | null;
}

/** The row as stored, participants with their instanceId (for read-modify-write). */
const toRecord = (r: MeetingRow): Meeting => ({
  appointmentId: r[0],
  roomId: r[1],
  doctorId: r[2],
  patientId: r[3],
  patientName: r[4],
  scheduledTime: r[5],
  startTime: r[6],
  endTime: r[7],
  status: r[8],
  participants: JSON.parse(r[9]) as Participant[],
  duration: r[10],
  createdAt: r[11],
  updatedAt: r[12],
  ...qualityOf(r[13]),
});

/** The row as callers see it. */
const toMeeting = (r: MeetingRow): Meeting => publicMeeting(toRecord(r));

/** Absent rather than empty, as records from before summaries were kept come back. */
function qualityOf(json: string): { quality?: ParticipantQuality[] } {
  const quality = JSON.parse(json) as ParticipantQuality[];
  return quality.length > 0 ? { quality } : {};
}

const toUser = (r: UserRow): StoredUser => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  passwordHash: r.password_hash,
  tokenVersion: r.token_version,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toAudit = (r: AuditRow): AuditEntry => {
  const e: AuditEntry = {
    at: r.at,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
  };
  if (r.room_id !== null) e.roomId = r.room_id;
  if (r.detail !== null) e.detail = JSON.parse(r.detail) as NonNullable<AuditEntry['detail']>;
  return e;
};

/** Participants are stored with a fixed key order so the JSON is the same whatever the caller sent. */
const participantsJson = (ps: readonly StoredParticipant[]): string =>
  JSON.stringify(
    ps.map((p) => {
      const e: StoredParticipant = {
        userId: p.userId,
        userType: p.userType,
        ...(p.role !== undefined ? { role: p.role } : {}),
        joinedAt: p.joinedAt,
        leftAt: p.leftAt,
      };
      if (p.instanceId !== undefined) e.instanceId = p.instanceId;
      return e;
    }),
  );

const meetingValues = (m: Meeting): unknown[] => [
  m.appointmentId,
  m.roomId,
  m.doctorId,
  m.patientId,
  m.patientName,
  m.scheduledTime,
  m.startTime,
  m.endTime,
  m.status,
  participantsJson(m.participants),
  m.duration,
  m.createdAt,
  m.updatedAt,
  JSON.stringify(m.quality ?? []),
];

const isUniqueViolation = (err: unknown): boolean =>
  err instanceof Database.SqliteError &&
  (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');

/**
 * FROM and WHERE for a MeetingQuery; named parameters match the query's keys. A doctor's
 * meetings are a small slice, so their index is forced: without ANALYZE statistics SQLite may
 * pick the status index and walk most of the table for doctor + status. The stream leaves
 * `from` out: it becomes the first keyset bound instead, because with both bounds SQLite ranges
 * on `from` and every batch would rescan from there.
 */
function whereFor(q: MeetingQuery, stream = false): string {
  const parts: string[] = [];
  if (q.doctorId !== undefined) parts.push('doctor_id = @doctorId');
  if (q.status !== undefined) parts.push('status = @status');
  if (q.from !== undefined && !stream) parts.push('scheduled_time >= @from');
  if (q.to !== undefined) parts.push('scheduled_time < @to');
  const from = q.doctorId !== undefined ? 'meetings INDEXED BY meetings_doctor_time' : 'meetings';
  return `${from} WHERE ${parts.length ? parts.join(' AND ') : '1'}`;
}

/** Named parameters of a MeetingQuery, as whereFor uses them. */
function paramsFor(q: MeetingQuery, stream = false): Record<string, string> {
  const p: Record<string, string> = {};
  if (q.doctorId !== undefined) p.doctorId = q.doctorId;
  if (q.status !== undefined) p.status = q.status;
  if (q.from !== undefined && !stream) p.from = q.from;
  if (q.to !== undefined) p.to = q.to;
  return p;
}

const queryKey = (q: MeetingQuery): string =>
  [q.doctorId, q.status, q.from, q.to].map((v) => (v === undefined ? '0' : '1')).join('');

function prepareStatements(db: Database.Database) {
  const cols = MEETING_COLUMNS;
  const insertCols = `appointment_id, room_id, doctor_id, patient_id, patient_name, scheduled_time,
    start_time, end_time, status, participants, duration, created_at, updated_at, quality`;
  return {
    insertMeeting: db.prepare(
      `INSERT INTO meetings (${insertCols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertMeetingIfAbsent: db.prepare(
      `INSERT INTO meetings (${insertCols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (appointment_id) DO NOTHING`,
    ),
    meetingByRoom: db
      .prepare<[string], MeetingRow>(`SELECT ${cols} FROM meetings WHERE room_id = ?`)
      .raw(true),
    meetingByAppointment: db
      .prepare<[string], MeetingRow>(`SELECT ${cols} FROM meetings WHERE appointment_id = ?`)
      .raw(true),
    updateMeeting: db.prepare(
      `UPDATE meetings SET status = ?, start_time = ?, end_time = ?, participants = ?,
         duration = ?, updated_at = ?, quality = ? WHERE scheduled_time = ? AND appointment_id = ?`,
    ),
    activeMeetings: db
      .prepare<[], MeetingRow>(
        `SELECT ${cols} FROM meetings WHERE status = 'active' ORDER BY scheduled_time, appointment_id`,
      )
      .raw(true),
    insertUser: db.prepare(
      `INSERT INTO users (id, email, display_name, role, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    userByEmail: db.prepare<[string], UserRow>(`SELECT * FROM users WHERE email = ?`),
    userById: db.prepare<[string], UserRow>(`SELECT * FROM users WHERE id = ?`),
    setPasswordHash: db.prepare(
      `UPDATE users SET password_hash = ?, token_version = token_version + 1, updated_at = ?
       WHERE id = ?`,
    ),
    revokeSessions: db.prepare(
      `UPDATE users SET token_version = token_version + 1, updated_at = ? WHERE id = ?`,
    ),
    setDisabled: db.prepare(
      `UPDATE users SET disabled = ?, token_version = token_version + 1, updated_at = ?
       WHERE id = ?`,
    ),
    countUsers: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM users`),
    listUsers: db.prepare<[], UserRow>(`SELECT * FROM users ORDER BY email`),
    insertAudit: db.prepare(
      `INSERT INTO audit (at, actor_id, actor_role, action, room_id, detail)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    auditByRoom: db.prepare<[string, number], AuditRow>(
      `SELECT * FROM audit WHERE room_id = ? ORDER BY at DESC, id DESC LIMIT ?`,
    ),
    audit: db.prepare<[number], AuditRow>(`SELECT * FROM audit ORDER BY at DESC, id DESC LIMIT ?`),
    insertGuest: db.prepare(
      `INSERT INTO guests (guest_id, room_id, role, name, invited_at, removed_at)
       VALUES (?, ?, ?, ?, ?, NULL)`,
    ),
    activeGuestCount: db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM guests WHERE room_id = ? AND removed_at IS NULL`,
    ),
    guestsByRoom: db.prepare<[string], GuestRow>(
      `SELECT * FROM guests WHERE room_id = ? ORDER BY invited_at, rowid`,
    ),
    guestById: db.prepare<[string, string], GuestRow>(
      `SELECT * FROM guests WHERE room_id = ? AND guest_id = ?`,
    ),
    removeGuest: db.prepare(
      `UPDATE guests SET removed_at = ? WHERE room_id = ? AND guest_id = ? AND removed_at IS NULL`,
    ),
    renewGuestLink: db.prepare<[string, string]>(
      `UPDATE guests SET link_version = link_version + 1
       WHERE room_id = ? AND guest_id = ? AND removed_at IS NULL`,
    ),
    ping: db.prepare<[], { ok: number }>(`SELECT 1 AS ok`),
    beatInstance: db.prepare(
      `INSERT INTO instances (id, last_beat) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET last_beat = max(last_beat, excluded.last_beat)`,
    ),
    instanceBeat: db.prepare<[string], { last_beat: string }>(
      `SELECT last_beat FROM instances WHERE id = ?`,
    ),
    staleInstances: db.prepare<[string], { id: string; last_beat: string }>(
      `SELECT id, last_beat FROM instances WHERE last_beat < ? ORDER BY last_beat, id`,
    ),
    deleteInstance: db.prepare(`DELETE FROM instances WHERE id = ?`),
    // The JSON text holds `"instanceId":"<id>"` exactly (participantsJson writes it); instr,
    // not LIKE, since `_` in an id would be a LIKE wildcard.
    openMeetingsOfInstance: db
      .prepare<[string], MeetingRow>(
        `SELECT ${cols} FROM meetings
         WHERE status IN ('scheduled', 'active') AND instr(participants, ?) > 0`,
      )
      .raw(true),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

export type SqliteSynchronous = 'normal' | 'full';

export interface SqliteStoreOptions {
  dataDir: string;
  /** Defaults to `bedside.db`. */
  filename?: string;
  /**
   * `normal` (default): in WAL mode a commit is a write to the WAL, fsynced at checkpoints, not
   * on every commit. A killed process (kill -9, a crash, an OOM kill) loses nothing, as the
   * writes are in the OS by the time the call returns; an OS crash or power cut may roll back
   * the last commits since the previous checkpoint, never corrupt the file. `full` fsyncs on
   * every commit, on the event loop (better-sqlite3 is synchronous): milliseconds per write on
   * a good disk, far more on a busy or network one, during which no socket event is handled.
   * See docs/resilience.md.
   */
  synchronous?: SqliteSynchronous;
}

export class SqliteMeetingStore implements MeetingStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly stmts: Statements;
  private readonly dynamic = new Map<string, Database.Statement>();

  constructor(opts: SqliteStoreOptions) {
    // 0700 / 0600: the file holds patient names; only the service's user reads it. Created
    // before SQLite opens it, which gives -wal and -shm the same mode.
    ensurePrivateDir(opts.dataDir);
    this.path = join(opts.dataDir, opts.filename ?? 'bedside.db');
    ensurePrivateFile(this.path);
    for (const side of ['-wal', '-shm']) {
      if (existsSync(this.path + side)) ensurePrivateFile(this.path + side);
    }
    this.db = new Database(this.path, { timeout: 5000 });
    try {
      // Only takes effect on a new, empty file. 16 KiB pages keep the clustered meetings
      // table's interior nodes (which hold whole rows) wide and the tree shallow.
      this.db.pragma('page_size = 16384');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      this.db.pragma('foreign_keys = ON');
      // SQLite's stock 2 MB page cache (better-sqlite3 raises it to 16 MB): a full export reads
      // every page once, and a bigger cache only adds to the exporting process's RSS. The OS
      // page cache holds the file anyway. Bulk inserts raise it for their duration.
      this.db.pragma(`cache_size = ${CACHE_KIB}`);
      // Bulk imports grow the WAL; this truncates it again after each checkpoint.
      this.db.pragma('journal_size_limit = 67108864');
      this.migrate();
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.stmts = prepareStatements(this.db);
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `${this.path} has schema version ${version}, newer than this build knows (${MIGRATIONS.length})`,
      );
    }
    const run = this.db.transaction(() => {
      for (let v = version; v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }
    });
    if (version < MIGRATIONS.length) run.immediate();
  }

  private cached(kind: 'count' | 'page' | 'stream', q: MeetingQuery): Database.Statement {
    const key = `${kind}:${queryKey(q)}`;
    let stmt = this.dynamic.get(key);
    if (!stmt) {
      const where = whereFor(q, kind === 'stream');
      const sql =
        kind === 'count'
          ? `SELECT count(*) AS n FROM ${where}`
          : kind === 'page'
            ? `SELECT ${MEETING_COLUMNS} FROM ${where}
               ORDER BY scheduled_time DESC, appointment_id DESC LIMIT @limit OFFSET @offset`
            : // Keyset pagination: each batch starts after the last key seen,
              // so a batch costs the same at row 900,000 as at row 0.
              `SELECT ${MEETING_COLUMNS} FROM ${where}
               AND (scheduled_time, appointment_id) > (@afterTime, @afterAppointment)
               ORDER BY scheduled_time, appointment_id LIMIT @batch`;
      stmt = this.db.prepare(sql);
      if (kind !== 'count') stmt.raw(true);
      this.dynamic.set(key, stmt);
    }
    return stmt;
  }

  /** Writes a changed record back over the row it was read from. */
  private write(next: Meeting, row: MeetingRow): void {
    this.stmts.updateMeeting.run(
      next.status,
      next.startTime,
      next.endTime,
      participantsJson(next.participants),
      next.duration,
      next.updatedAt,
      JSON.stringify(next.quality ?? []),
      row[5],
      row[0],
    );
  }

  /** Reads, applies a pure transition, writes only if it changed: one IMMEDIATE transaction. */
  private mutate(
    roomId: string,
    change: (m: Meeting, now: string) => Meeting | null,
  ): Meeting | null {
    const run = this.db.transaction(() => {
      const row = this.stmts.meetingByRoom.get(roomId);
      if (!row) return null;
      const current = toRecord(row);
      const next = change(current, new Date().toISOString());
      if (!next) return publicMeeting(current);
      this.write(next, row);
      return publicMeeting(next);
    });
    return run.immediate();
  }

  async createMeeting(input: NewMeeting): Promise<{ meeting: Meeting; created: boolean }> {
    const fresh = newMeetingRecord(parseNewMeeting(input), new Date().toISOString());
    const run = this.db.transaction(() => {
      let inserted: boolean;
      try {
        inserted = this.stmts.insertMeetingIfAbsent.run(...meetingValues(fresh)).changes === 1;
      } catch (err) {
        // The appointment is new but its roomId is taken: only possible with hand-made data.
        if (isUniqueViolation(err))
          throw new StoreError('conflict', 'roomId exists already', { cause: err });
        throw err;
      }
      if (inserted) return { meeting: fresh, created: true };
      const row = this.stmts.meetingByAppointment.get(fresh.appointmentId);
      return { meeting: toMeeting(row!), created: false };
    });
    return run.immediate();
  }

  async getMeeting(roomId: string): Promise<Meeting | null> {
    if (typeof roomId !== 'string') return null;
    const row = this.stmts.meetingByRoom.get(roomId);
    return row ? toMeeting(row) : null;
  }

  async listMeetings(
    query: MeetingQuery,
    page: Page,
  ): Promise<{ items: Meeting[]; total: number }> {
    const q = parseQuery(query);
    const { page: n, limit } = parsePage(page);
    // One read transaction: the page and the total come from the same snapshot.
    const read = this.db.transaction(() => {
      const params = paramsFor(q);
      const rows = this.cached('page', q).all({
        ...params,
        limit,
        offset: (n - 1) * limit,
      }) as MeetingRow[];
      const { n: total } = this.cached('count', q).get(params) as { n: number };
      return { items: rows.map(toMeeting), total };
    });
    return read();
  }

  async *streamMeetings(query: MeetingQuery): AsyncIterable<Meeting> {
    const q = parseQuery(query);
    const stmt = this.cached('stream', q);
    const params = paramsFor(q, true);
    // Starting after (from, '') includes scheduled_time = from, as appointment ids are never
    // empty; without `from`, '' sorts before every stored time.
    let afterTime = q.from ?? '';
    let afterAppointment = '';
    for (;;) {
      // all() per batch, never an open iterate() across awaits: better-sqlite3 refuses other
      // statements on the connection while an iterator is open, and the service keeps serving
      // requests while an export streams.
      const rows = stmt.all({
        ...params,
        afterTime,
        afterAppointment,
        batch: STREAM_BATCH,
      }) as MeetingRow[];
      for (const row of rows) yield toMeeting(row);
      if (rows.length < STREAM_BATCH) return;
      const last = rows[rows.length - 1]!;
      afterTime = last[5];
      afterAppointment = last[0];
      // Lets sockets and requests in between batches even if the consumer never awaits I/O.
      await nextTurn();
    }
  }

  async addParticipant(roomId: string, entry: NewParticipantEntry): Promise<Meeting | null> {
    const p = parseParticipantEntry(entry);
    return this.mutate(String(roomId), (m, now) => applyJoin(m, p, now));
  }

  async markParticipantLeft(
    roomId: string,
    userId: string,
    leftAt: string,
  ): Promise<Meeting | null> {
    const user = parseUserId(userId);
    const at = isoTime(leftAt, 'leftAt');
    return this.mutate(String(roomId), (m, now) => applyLeave(m, user, at, now));
  }

  async addQualitySummary(roomId: string, entry: ParticipantQuality): Promise<Meeting | null> {
    const q = parseQualityEntry(entry);
    return this.mutate(String(roomId), (m) => applyQuality(m, q));
  }

  async markActive(roomId: string, startTime: string): Promise<Meeting | null> {
    const at = isoTime(startTime, 'startTime');
    return this.mutate(String(roomId), (m, now) => applyActive(m, at, now));
  }

  async markCompleted(roomId: string, endTime: string): Promise<Meeting | null> {
    const at = isoTime(endTime, 'endTime');
    return this.mutate(String(roomId), (m, now) => applyTerminal(m, 'completed', at, now));
  }

  async markCancelled(roomId: string, at: string): Promise<Meeting | null> {
    const t = isoTime(at, 'at');
    return this.mutate(String(roomId), (m, now) => applyTerminal(m, 'cancelled', t, now));
  }

  /**
   * One synchronous transaction: the event loop waits for the whole call (roughly 25 µs a row),
   * so callers inside the running service pass a few thousand records per call.
   */
  async bulkInsertMeetings(meetings: readonly Meeting[]): Promise<void> {
    if (!Array.isArray(meetings)) throw new StoreError('bad-request', 'meetings must be an array');
    const insert = this.stmts.insertMeeting;
    const run = this.db.transaction(() => {
      for (let i = 0; i < meetings.length; i++) {
        const m = parseMeetingRecord(meetings[i], i);
        try {
          insert.run(...meetingValues(m));
        } catch (err) {
          if (isUniqueViolation(err)) {
            throw new StoreError(
              'conflict',
              `meeting at index ${i}: appointmentId or roomId exists already`,
              { cause: err },
            );
          }
          throw err;
        }
      }
    });
    // Imports touch index pages all over the file; with the 2 MB cache each insert would spill
    // and re-read pages (measured: about half the time went to that). The memory is handed back
    // when the call ends.
    this.db.pragma(`cache_size = ${BULK_CACHE_KIB}`);
    try {
      // Any throw rolls the whole call back: nothing of a refused batch is stored.
      run.immediate();
    } finally {
      this.db.pragma(`cache_size = ${CACHE_KIB}`);
    }
  }

  async findAbandoned(before: string): Promise<Meeting[]> {
    const cutoff = isoTime(before, 'before');
    // Active meetings are the few calls in progress right now; filtering them here keeps the
    // rule in one place (records.ts) for both adapters.
    return this.stmts.activeMeetings
      .all()
      .map(toMeeting)
      .filter((m) => isAbandoned(m, cutoff));
  }

  async addGuest(roomId: string, guest: NewGuest, maxActive: number): Promise<AddGuestResult> {
    const g = newGuestRecord(parseNewGuest(guest));
    const room = String(roomId);
    const run = this.db.transaction((): AddGuestResult => {
      const row = this.stmts.meetingByRoom.get(room);
      if (!row || isFinal(row[8])) return { ok: false, reason: 'no-meeting' };
      if (this.stmts.activeGuestCount.get(room)!.n >= maxActive)
        return { ok: false, reason: 'full' };
      try {
        this.stmts.insertGuest.run(g.guestId, room, g.role, g.name, g.invitedAt);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new StoreError('conflict', 'guestId exists already', { cause: err });
        throw err;
      }
      return { ok: true, guest: g };
    });
    return run.immediate();
  }

  async listGuests(roomId: string): Promise<Guest[]> {
    return this.stmts.guestsByRoom.all(String(roomId)).map(toGuest);
  }

  async getGuest(roomId: string, guestId: string): Promise<StoredGuest | null> {
    const row = this.stmts.guestById.get(String(roomId), String(guestId));
    return row ? toStoredGuest(row) : null;
  }

  async renewGuestLink(roomId: string, guestId: string): Promise<StoredGuest | null> {
    const room = String(roomId);
    const run = this.db.transaction(() => {
      const meeting = this.stmts.meetingByRoom.get(room);
      if (!meeting || isFinal(meeting[8])) return null;
      const changed = this.stmts.renewGuestLink.run(room, String(guestId)).changes;
      const row = changed ? this.stmts.guestById.get(room, String(guestId)) : undefined;
      return row ? toStoredGuest(row) : null;
    });
    return run.immediate();
  }

  async removeGuest(roomId: string, guestId: string, at: string): Promise<Guest | null> {
    const t = isoTime(at, 'at');
    const run = this.db.transaction(() => {
      this.stmts.removeGuest.run(t, String(roomId), String(guestId));
      const row = this.stmts.guestById.get(String(roomId), String(guestId));
      return row ? toGuest(row) : null;
    });
    return run.immediate();
  }

  async getUserByEmail(email: string): Promise<StoredUser | null> {
    if (typeof email !== 'string') return null;
    const row = this.stmts.userByEmail.get(normalizeEmail(email));
    return row ? toUser(row) : null;
  }

  async getUserById(id: string): Promise<StoredUser | null> {
    const row = this.stmts.userById.get(String(id));
    return row ? toUser(row) : null;
  }

  async createUser(user: NewUser): Promise<StoredUser> {
    const u = parseNewUser(user);
    const now = new Date().toISOString();
    try {
      this.stmts.insertUser.run(u.id, u.email, u.displayName, u.role, u.passwordHash, now, now);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new StoreError('conflict', 'a user with this email or id exists already', {
          cause: err,
        });
      }
      throw err;
    }
    return { ...u, tokenVersion: 0, disabled: false, createdAt: now, updatedAt: now };
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<boolean> {
    const hash = PasswordHashSchema.safeParse(passwordHash);
    if (!hash.success) throw new StoreError('bad-request', 'invalid password hash');
    const now = new Date().toISOString();
    return this.stmts.setPasswordHash.run(hash.data, now, String(userId)).changes === 1;
  }

  async revokeSessions(userId: string): Promise<boolean> {
    const now = new Date().toISOString();
    return this.stmts.revokeSessions.run(now, String(userId)).changes === 1;
  }

  async setDisabled(userId: string, disabled: boolean): Promise<boolean> {
    const now = new Date().toISOString();
    return this.stmts.setDisabled.run(disabled ? 1 : 0, now, String(userId)).changes === 1;
  }

  async countUsers(): Promise<number> {
    return this.stmts.countUsers.get()!.n;
  }

  async listUsers(): Promise<StoredUser[]> {
    return this.stmts.listUsers.all().map(toUser);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const e = parseAuditEntry(entry);
    this.stmts.insertAudit.run(
      e.at,
      e.actorId,
      e.actorRole,
      e.action,
      e.roomId ?? null,
      e.detail === undefined ? null : JSON.stringify(e.detail),
    );
  }

  async listAudit(query: { roomId?: string; limit?: number }): Promise<AuditEntry[]> {
    const limit = parseAuditLimit(query.limit);
    const rows =
      query.roomId === undefined
        ? this.stmts.audit.all(limit)
        : this.stmts.auditByRoom.all(String(query.roomId), limit);
    return rows.map(toAudit);
  }

  async beatInstance(instanceId: string, at: string): Promise<boolean> {
    const id = parseInstanceId(instanceId);
    const t = isoTime(at, 'at');
    const run = this.db.transaction(() => {
      const known = this.stmts.instanceBeat.get(id) !== undefined;
      this.stmts.beatInstance.run(id, t);
      return known;
    });
    return run.immediate();
  }

  async staleInstances(before: string): Promise<InstanceBeat[]> {
    const cutoff = isoTime(before, 'before');
    return this.stmts.staleInstances
      .all(cutoff)
      .map((r) => ({ instanceId: r.id, lastBeat: r.last_beat }));
  }

  async closeInstanceEntries(instanceId: string, at?: string): Promise<number> {
    const id = parseInstanceId(instanceId);
    const given = at === undefined ? undefined : isoTime(at, 'at');
    // One transaction: another instance closing the same dead one waits, then finds nothing open.
    const run = this.db.transaction(() => {
      const closeAt = given ?? this.stmts.instanceBeat.get(id)?.last_beat;
      let changed = 0;
      if (closeAt !== undefined) {
        const now = new Date().toISOString();
        for (const row of this.stmts.openMeetingsOfInstance.all(`"instanceId":"${id}"`)) {
          const current = toRecord(row);
          const next = applyInstanceGone(current, id, closeAt, now);
          if (!next) continue;
          this.write(next, row);
          changed++;
        }
      }
      this.stmts.deleteInstance.run(id);
      return changed;
    });
    return run.immediate();
  }

  async ping(): Promise<boolean> {
    try {
      return this.stmts.ping.get()?.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteMeetingStore> {
  return new SqliteMeetingStore(opts);
}
