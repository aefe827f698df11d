// Node: the production store, MongoDB through mongoose on a dedicated connection. Several service
// instances may share one database, so every lifecycle change is a single findOneAndUpdate whose
// filter carries the status guard: a move that is no longer allowed simply matches nothing.
import mongoose, { type Connection } from 'mongoose';
import {
  MAX_QUALITY_ENTRIES,
  type Guest,
  type Meeting,
  type ParticipantQuality,
} from '@bedside/shared';
import { StoreError } from './errors.js';
import {
  STREAM_BATCH,
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
  type NewUser,
} from './records.js';
import {
  activePipeline,
  instanceGonePipeline,
  iso,
  leavePipeline,
  movableGuard,
  openEntryGuard,
  openGuard,
  openInstanceEntryGuard,
  terminalPipeline,
  toAudit,
  toGuest,
  toStoredGuest,
  toMeeting,
  toMeetingDoc,
  toParticipantDoc,
  toQualityDoc,
  toUser,
} from './mongoDocs.js';
import {
  registerModels,
  type AuditDoc,
  type GuestDoc,
  type InstanceDoc,
  type MeetingDoc,
  type StoreModels,
  type UserDoc,
} from './schemas.js';
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

const { trusted } = mongoose;

/** Rows per insertMany round trip in bulk imports. */
const INSERT_CHUNK = 5000;
/** appointmentIds per `$in` when checking an import for existing records. */
const LOOKUP_CHUNK = 10_000;

export interface MongoStoreOptions {
  uri: string;
  /** Overrides the database named in the URI (tests use a throwaway one). */
  dbName?: string;
  serverSelectionTimeoutMS?: number;
}

/**
 * Options for the dedicated connection. sanitizeFilter wraps any `$`-keyed object that reaches a
 * filter in `$eq`, so a value smuggled in as `{ "$ne": null }` is matched literally; the
 * adapter's own operators are marked with `mongoose.trusted()`.
 */
export const connectionOptions = (opts: MongoStoreOptions): mongoose.ConnectOptions => ({
  sanitizeFilter: true,
  serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 10_000,
  ...(opts.dbName ? { dbName: opts.dbName } : {}),
});

/** E11000, whether thrown by a single write or reported inside a bulk write error. */
function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: unknown };
  if (e.code === 11000) return true;
  return (
    Array.isArray(e.writeErrors) &&
    e.writeErrors.some(
      (w: { code?: unknown; err?: { code?: unknown } }) => (w.code ?? w.err?.code) === 11000,
    )
  );
}

/** Mongoose's own validation caught what zod let through: still the caller's input. */
function asStoreError(err: unknown): unknown {
  if (err instanceof mongoose.Error.ValidationError || err instanceof mongoose.Error.CastError) {
    return new StoreError('bad-request', `invalid record: ${err.message}`, { cause: err });
  }
  return err;
}

function meetingFilter(q: MeetingQuery): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (q.doctorId !== undefined) f.doctorId = q.doctorId;
  if (q.status !== undefined) f.status = q.status;
  if (q.from !== undefined || q.to !== undefined) {
    f.scheduledTime = trusted({
      ...(q.from !== undefined ? { $gte: new Date(q.from) } : {}),
      ...(q.to !== undefined ? { $lt: new Date(q.to) } : {}),
    });
  }
  return f;
}

export class MongoMeetingStore implements MeetingStore {
  private constructor(
    /** The store's own connection (tests drop its database). */
    readonly connection: Connection,
    private readonly m: StoreModels,
  ) {}

  static async open(opts: MongoStoreOptions): Promise<MongoMeetingStore> {
    const conn = mongoose.createConnection(opts.uri, connectionOptions(opts));
    try {
      await conn.asPromise();
      const models = registerModels(conn);
      // Indexes first: the unique appointmentId index is what makes createMeeting idempotent
      // across instances.
      await Promise.all([
        models.Meeting.init(),
        models.User.init(),
        models.Audit.init(),
        models.Guest.init(),
        models.Instance.init(),
      ]);
      return new MongoMeetingStore(conn, models);
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  private async findByRoom(roomId: string): Promise<Meeting | null> {
    const d = await this.m.Meeting.findOne({ roomId }).lean<MeetingDoc>();
    return d ? toMeeting(d) : null;
  }

  /**
   * One atomic findOneAndUpdate guarded by `guard`; when the guard no longer matches (a refused
   * or already-applied change) the meeting is returned as stored.
   */
  private async update(
    roomId: string,
    guard: Record<string, unknown>,
    update: Record<string, unknown> | Record<string, unknown>[],
  ): Promise<Meeting | null> {
    if (typeof roomId !== 'string') return null;
    const d = await this.m.Meeting.findOneAndUpdate({ roomId, ...guard }, update, {
      returnDocument: 'after',
      updatePipeline: Array.isArray(update),
    }).lean<MeetingDoc>();
    return d ? toMeeting(d) : this.findByRoom(roomId);
  }

  async createMeeting(input: NewMeeting): Promise<{ meeting: Meeting; created: boolean }> {
    const meeting = newMeetingRecord(parseNewMeeting(input), new Date().toISOString());
    try {
      await this.m.Meeting.create(toMeetingDoc(meeting));
      return { meeting, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw asStoreError(err);
      const existing = await this.m.Meeting.findOne({
        appointmentId: meeting.appointmentId,
      }).lean<MeetingDoc>();
      if (existing) return { meeting: toMeeting(existing), created: false };
      throw new StoreError('conflict', 'roomId exists already', { cause: err });
    }
  }

  async getMeeting(roomId: string): Promise<Meeting | null> {
    return typeof roomId === 'string' ? this.findByRoom(roomId) : null;
  }

  async listMeetings(
    query: MeetingQuery,
    page: Page,
  ): Promise<{ items: Meeting[]; total: number }> {
    const filter = meetingFilter(parseQuery(query));
    const { page: n, limit } = parsePage(page);
    const [docs, total] = await Promise.all([
      this.m.Meeting.find(filter)
        .sort({ scheduledTime: -1, _id: -1 })
        .skip((n - 1) * limit)
        .limit(limit)
        .lean<MeetingDoc[]>(),
      this.m.Meeting.countDocuments(filter),
    ]);
    return { items: docs.map(toMeeting), total };
  }

  async *streamMeetings(query: MeetingQuery): AsyncIterable<Meeting> {
    const filter = meetingFilter(parseQuery(query));
    const cursor = this.m.Meeting.find(filter)
      .sort({ scheduledTime: 1, _id: 1 })
      .lean<MeetingDoc>()
      .cursor({ batchSize: STREAM_BATCH });
    try {
      for await (const d of cursor) yield toMeeting(d as MeetingDoc);
    } finally {
      // Also runs when the consumer stops early (client went away): frees the server cursor.
      await cursor.close();
    }
  }

  async addParticipant(roomId: string, entry: NewParticipantEntry): Promise<Meeting | null> {
    const p = parseParticipantEntry(entry);
    return this.update(roomId, openGuard(), {
      $push: { participants: toParticipantDoc(p) },
      $set: { updatedAt: new Date() },
    });
  }

  async markParticipantLeft(
    roomId: string,
    userId: string,
    leftAt: string,
  ): Promise<Meeting | null> {
    const user = parseUserId(userId);
    const at = new Date(isoTime(leftAt, 'leftAt'));
    // The guard matches only while an open entry exists, so a no-op leaves updatedAt alone.
    return this.update(roomId, openEntryGuard(user), leavePipeline(user, at, new Date()));
  }

  async addQualitySummary(roomId: string, entry: ParticipantQuality): Promise<Meeting | null> {
    const q = parseQualityEntry(entry);
    // The size guard is in the filter, so the cap holds under concurrent appends.
    return this.update(
      roomId,
      { [`quality.${MAX_QUALITY_ENTRIES - 1}`]: { $exists: false } },
      { $push: { quality: toQualityDoc(q) } },
    );
  }

  async markActive(roomId: string, startTime: string): Promise<Meeting | null> {
    const at = new Date(isoTime(startTime, 'startTime'));
    return this.update(roomId, movableGuard('active'), activePipeline(at, new Date()));
  }

  private terminal(roomId: string, to: 'completed' | 'cancelled', endTime: string, field: string) {
    const at = new Date(isoTime(endTime, field));
    return this.update(roomId, movableGuard(to), terminalPipeline(to, at, new Date()));
  }

  async markCompleted(roomId: string, endTime: string): Promise<Meeting | null> {
    return this.terminal(roomId, 'completed', endTime, 'endTime');
  }

  async markCancelled(roomId: string, at: string): Promise<Meeting | null> {
    return this.terminal(roomId, 'cancelled', at, 'at');
  }

  /**
   * MongoDB cannot hold a million-row insert in one transaction, so all-or-nothing comes from
   * checking everything first (schema, duplicates in the batch, ids already stored) and, should
   * another writer take an id in between, deleting what this call inserted before refusing.
   */
  async bulkInsertMeetings(meetings: readonly Meeting[]): Promise<void> {
    if (!Array.isArray(meetings)) throw new StoreError('bad-request', 'meetings must be an array');
    const ids: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < meetings.length; i++) {
      const { appointmentId } = parseMeetingRecord(meetings[i], i);
      if (seen.has(appointmentId)) {
        throw new StoreError(
          'conflict',
          `meeting at index ${i}: appointmentId repeats in the batch`,
        );
      }
      seen.add(appointmentId);
      ids.push(appointmentId);
    }
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const taken = await this.m.Meeting.exists({
        appointmentId: trusted({ $in: ids.slice(i, i + LOOKUP_CHUNK) }),
      });
      if (taken) throw new StoreError('conflict', 'an appointmentId in the batch exists already');
    }

    const inserted: mongoose.Types.ObjectId[] = [];
    try {
      for (let i = 0; i < meetings.length; i += INSERT_CHUNK) {
        const docs = meetings.slice(i, i + INSERT_CHUNK).map((m, k) => {
          const _id = new mongoose.Types.ObjectId();
          inserted.push(_id);
          return { _id, ...toMeetingDoc(parseMeetingRecord(m, i + k)) };
        });
        // lean: the records passed the same rules in zod above; hydrating a million mongoose
        // documents would cost more than the insert itself.
        await this.m.Meeting.insertMany(docs, { ordered: true, lean: true });
      }
    } catch (err) {
      for (let i = 0; i < inserted.length; i += LOOKUP_CHUNK) {
        await this.m.Meeting.deleteMany({
          _id: trusted({ $in: inserted.slice(i, i + LOOKUP_CHUNK) }),
        });
      }
      if (isDuplicateKey(err)) {
        throw new StoreError('conflict', 'an appointmentId or roomId in the batch exists already', {
          cause: err,
        });
      }
      throw asStoreError(err);
    }
  }

  async findAbandoned(before: string): Promise<Meeting[]> {
    const cutoff = isoTime(before, 'before');
    // Active meetings are the calls in progress right now, a handful; the rule itself stays in
    // records.ts, shared with the SQLite adapter.
    const docs = await this.m.Meeting.find({
      status: 'active',
      startTime: trusted({ $lt: new Date(cutoff) }),
    })
      .sort({ scheduledTime: 1, _id: 1 })
      .lean<MeetingDoc[]>();
    return docs.map(toMeeting).filter((m) => isAbandoned(m, cutoff));
  }

  /**
   * No multi-document transaction (a standalone server has none): the guest is inserted first,
   * then counted among the room's active guests in invitation order; one beyond the cap deletes
   * itself. Two racing invites may both back out, never both stay.
   */
  async addGuest(roomId: string, guest: NewGuest, maxActive: number): Promise<AddGuestResult> {
    const g = newGuestRecord(parseNewGuest(guest));
    const room = String(roomId);
    const meeting = await this.findByRoom(room);
    if (!meeting || isFinal(meeting.status)) return { ok: false, reason: 'no-meeting' };
    try {
      await this.m.Guest.create({
        _id: g.guestId,
        roomId: room,
        role: g.role,
        name: g.name,
        invitedAt: new Date(g.invitedAt),
        removedAt: null,
      });
    } catch (err) {
      if (isDuplicateKey(err))
        throw new StoreError('conflict', 'guestId exists already', { cause: err });
      throw asStoreError(err);
    }
    const active = await this.m.Guest.find({ roomId: room, removedAt: null })
      .sort({ invitedAt: 1, _id: 1 })
      .lean<GuestDoc[]>();
    const rank = active.findIndex((d) => d._id === g.guestId);
    if (rank < 0 || rank >= maxActive) {
      await this.m.Guest.deleteOne({ _id: g.guestId });
      return { ok: false, reason: 'full' };
    }
    return { ok: true, guest: g };
  }

  async listGuests(roomId: string): Promise<Guest[]> {
    const docs = await this.m.Guest.find({ roomId: String(roomId) })
      .sort({ invitedAt: 1, _id: 1 })
      .lean<GuestDoc[]>();
    return docs.map(toGuest);
  }

  async getGuest(roomId: string, guestId: string): Promise<StoredGuest | null> {
    const d = await this.m.Guest.findOne({
      _id: String(guestId),
      roomId: String(roomId),
    }).lean<GuestDoc>();
    return d ? toStoredGuest(d) : null;
  }

  async renewGuestLink(roomId: string, guestId: string): Promise<StoredGuest | null> {
    const meeting = await this.findByRoom(String(roomId));
    if (!meeting || isFinal(meeting.status)) return null;
    const d = await this.m.Guest.findOneAndUpdate(
      { _id: String(guestId), roomId: String(roomId), removedAt: null },
      { $inc: { linkVersion: 1 } },
      { new: true },
    ).lean<GuestDoc>();
    return d ? toStoredGuest(d) : null;
  }

  async removeGuest(roomId: string, guestId: string, at: string): Promise<Guest | null> {
    const t = new Date(isoTime(at, 'at'));
    await this.m.Guest.updateOne(
      { _id: String(guestId), roomId: String(roomId), removedAt: null },
      { $set: { removedAt: t } },
    );
    const d = await this.m.Guest.findOne({
      _id: String(guestId),
      roomId: String(roomId),
    }).lean<GuestDoc>();
    return d ? toGuest(d) : null;
  }

  async getUserByEmail(email: string): Promise<StoredUser | null> {
    if (typeof email !== 'string') return null;
    const d = await this.m.User.findOne({ email: normalizeEmail(email) }).lean<UserDoc>();
    return d ? toUser(d) : null;
  }

  async getUserById(id: string): Promise<StoredUser | null> {
    if (typeof id !== 'string') return null;
    const d = await this.m.User.findById(id).lean<UserDoc>();
    return d ? toUser(d) : null;
  }

  async createUser(user: NewUser): Promise<StoredUser> {
    const u = parseNewUser(user);
    const now = new Date();
    try {
      await this.m.User.create({
        _id: u.id,
        email: u.email,
        displayName: u.displayName,
        role: u.role,
        passwordHash: u.passwordHash,
        tokenVersion: 0,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw new StoreError('conflict', 'a user with this email or id exists already', {
          cause: err,
        });
      }
      throw asStoreError(err);
    }
    return { ...u, tokenVersion: 0, disabled: false, createdAt: iso(now), updatedAt: iso(now) };
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<boolean> {
    const hash = PasswordHashSchema.safeParse(passwordHash);
    if (!hash.success) throw new StoreError('bad-request', 'invalid password hash');
    if (typeof userId !== 'string') return false;
    const r = await this.m.User.updateOne(
      { _id: userId },
      { $set: { passwordHash: hash.data, updatedAt: new Date() }, $inc: { tokenVersion: 1 } },
    );
    return r.matchedCount === 1;
  }

  async revokeSessions(userId: string): Promise<boolean> {
    if (typeof userId !== 'string') return false;
    const r = await this.m.User.updateOne(
      { _id: userId },
      { $set: { updatedAt: new Date() }, $inc: { tokenVersion: 1 } },
    );
    return r.matchedCount === 1;
  }

  async setDisabled(userId: string, disabled: boolean): Promise<boolean> {
    if (typeof userId !== 'string') return false;
    const r = await this.m.User.updateOne(
      { _id: userId },
      { $set: { disabled: disabled === true, updatedAt: new Date() }, $inc: { tokenVersion: 1 } },
    );
    return r.matchedCount === 1;
  }

  async countUsers(): Promise<number> {
    return this.m.User.countDocuments();
  }

  async listUsers(): Promise<StoredUser[]> {
    const docs = await this.m.User.find().sort({ email: 1 }).lean<UserDoc[]>();
    return docs.map(toUser);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const e = parseAuditEntry(entry);
    try {
      await this.m.Audit.create({ ...e, at: new Date(e.at) });
    } catch (err) {
      throw asStoreError(err);
    }
  }

  async listAudit(query: { roomId?: string; limit?: number }): Promise<AuditEntry[]> {
    const limit = parseAuditLimit(query.limit);
    if (query.roomId !== undefined && typeof query.roomId !== 'string') return [];
    const filter = query.roomId === undefined ? {} : { roomId: query.roomId };
    const docs = await this.m.Audit.find(filter)
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .lean<AuditDoc[]>();
    return docs.map(toAudit);
  }

  async beatInstance(instanceId: string, at: string): Promise<boolean> {
    const id = parseInstanceId(instanceId);
    const t = new Date(isoTime(at, 'at'));
    // $max in a pipeline: a late, out-of-order beat never moves the heartbeat back.
    const r = await this.m.Instance.updateOne(
      { _id: id },
      [{ $set: { lastBeat: { $max: ['$lastBeat', t] } } }],
      {
        upsert: true,
        updatePipeline: true,
      },
    );
    return r.upsertedCount === 0;
  }

  async staleInstances(before: string): Promise<InstanceBeat[]> {
    const cutoff = new Date(isoTime(before, 'before'));
    const docs = await this.m.Instance.find({ lastBeat: trusted({ $lt: cutoff }) })
      .sort({ lastBeat: 1, _id: 1 })
      .lean<InstanceDoc[]>();
    return docs.map((d) => ({ instanceId: d._id, lastBeat: iso(d.lastBeat) }));
  }

  async closeInstanceEntries(instanceId: string, at?: string): Promise<number> {
    const id = parseInstanceId(instanceId);
    let closeAt = at === undefined ? null : new Date(isoTime(at, 'at'));
    closeAt ??= (await this.m.Instance.findById(id).lean<InstanceDoc>())?.lastBeat ?? null;
    let changed = 0;
    if (closeAt) {
      // One atomic update per meeting, no transaction: the guard matches only meetings that
      // still hold an open entry of the instance, so a second closer changes nothing.
      const r = await this.m.Meeting.updateMany(
        openInstanceEntryGuard(id),
        instanceGonePipeline(id, closeAt, new Date()),
        { updatePipeline: true },
      );
      changed = r.modifiedCount;
    }
    await this.m.Instance.deleteOne({ _id: id });
    return changed;
  }

  async ping(): Promise<boolean> {
    try {
      const db = this.connection.db;
      if (!db) return false;
      const r = await db.command({ ping: 1 });
      return r.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export function openMongoStore(opts: MongoStoreOptions): Promise<MongoMeetingStore> {
  return MongoMeetingStore.open(opts);
}
