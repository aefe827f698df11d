// Node: the record rules every adapter shares: input validation, timestamp canonical form, and
// the lifecycle transitions as pure functions. SQLite applies them inside a transaction; the
// MongoDB adapter mirrors them as guarded atomic updates (see mongoStore.ts).
import { z } from 'zod';
import {
  AppointmentIdSchema,
  GuestRoleSchema,
  IsoDateTimeSchema,
  ParticipantRoleSchema,
  MeetingSchema,
  MAX_QUALITY_ENTRIES,
  MeetingStatusSchema,
  ParticipantQualitySchema,
  RoleSchema,
  RoomIdSchema,
  UserIdSchema,
  UserNameSchema,
  UserTypeSchema,
  canMoveTo,
  roomIdFor,
  type Meeting,
  type Guest,
  type MeetingStatus,
  type Participant,
  type ParticipantQuality,
} from '@bedside/shared';
import { StoreError } from './errors.js';
import type { AuditEntry, MeetingQuery, NewGuest, NewMeeting, Page, StoredUser } from './types.js';

/** Rows fetched per round trip when streaming: small enough for constant memory, big enough to be fast. */
export const STREAM_BATCH = 1000;
export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;
export const PAGE_MAX_LIMIT = 1000;

/**
 * Messages name the field and the rule, never the value: values may be patient names.
 */
function badRequest(error: z.core.$ZodError, what: string): StoreError {
  const detail = error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || what}: ${i.message}`)
    .join('; ');
  return new StoreError('bad-request', `invalid ${what}: ${detail}`, { cause: error });
}

// Any zod schema, classic or zod/mini (the shared contracts browsers parse are zod/mini).
function parse<T extends z.core.$ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = z.safeParse(schema, value);
  if (!r.success) throw badRequest(r.error, what);
  return r.data;
}

/**
 * Stored timestamps are UTC `toISOString()` strings, so string order is time order (SQLite
 * compares them as text) and both adapters hand back identical values.
 */
export function canonicalTime(valid: string): string {
  // `YYYY-MM-DDTHH:mm:ss.sssZ` is the only 24-character form ending in Z; skipping the Date
  // round trip for it matters when a million rows come through bulkInsert.
  if (valid.length === 24 && valid.charCodeAt(23) === 90 /* Z */) return valid;
  return new Date(valid).toISOString();
}

export function isoTime(value: unknown, field: string): string {
  return canonicalTime(parse(IsoDateTimeSchema, value, field));
}

const NewMeetingSchema = z
  .object({
    appointmentId: AppointmentIdSchema,
    roomId: RoomIdSchema,
    doctorId: UserIdSchema,
    patientId: UserIdSchema,
    patientName: z.string().max(80).nullable(),
    scheduledTime: IsoDateTimeSchema,
  })
  .refine((m) => m.roomId === roomIdFor(m.appointmentId), {
    message: 'roomId must be room-{appointmentId}',
    path: ['roomId'],
  });

export function parseNewMeeting(input: unknown): NewMeeting {
  const m = parse(NewMeetingSchema, input, 'meeting');
  return { ...m, scheduledTime: canonicalTime(m.scheduledTime) };
}

export function newMeetingRecord(input: NewMeeting, now: string): Meeting {
  return {
    ...input,
    startTime: null,
    endTime: null,
    status: 'scheduled',
    participants: [],
    duration: null,
    createdAt: now,
    updatedAt: now,
  };
}

const canon = (t: string | null): string | null => (t === null ? null : canonicalTime(t));

/** A complete record for bulkInsert: MeetingSchema plus the roomId rule, timestamps canonical. */
export function parseMeetingRecord(input: unknown, index: number): Meeting {
  const r = MeetingSchema.safeParse(input);
  if (!r.success) throw badRequest(r.error, `meeting at index ${index}`);
  const m = r.data;
  if (m.roomId !== roomIdFor(m.appointmentId)) {
    throw new StoreError(
      'bad-request',
      `invalid meeting at index ${index}: roomId must be room-{appointmentId}`,
    );
  }
  return {
    appointmentId: m.appointmentId,
    roomId: m.roomId,
    doctorId: m.doctorId,
    patientId: m.patientId,
    patientName: m.patientName,
    scheduledTime: canonicalTime(m.scheduledTime),
    startTime: canon(m.startTime),
    endTime: canon(m.endTime),
    status: m.status,
    participants: m.participants.map((p) => ({
      userId: p.userId,
      userType: p.userType,
      ...(p.role !== undefined ? { role: p.role } : {}),
      joinedAt: canonicalTime(p.joinedAt),
      leftAt: canon(p.leftAt),
    })),
    duration: m.duration,
    createdAt: canonicalTime(m.createdAt),
    updatedAt: canonicalTime(m.updatedAt),
  };
}

const MeetingQuerySchema = z.object({
  doctorId: z.optional(UserIdSchema),
  status: MeetingStatusSchema.optional(),
  from: z.optional(IsoDateTimeSchema),
  to: z.optional(IsoDateTimeSchema),
});

export function parseQuery(input: unknown): MeetingQuery {
  const q = parse(MeetingQuerySchema, input ?? {}, 'meeting query');
  const out: MeetingQuery = {};
  if (q.doctorId !== undefined) out.doctorId = q.doctorId;
  if (q.status !== undefined) out.status = q.status;
  if (q.from !== undefined) out.from = canonicalTime(q.from);
  if (q.to !== undefined) out.to = canonicalTime(q.to);
  return out;
}

const PageSchema = z.object({
  page: z.number().int().min(1),
  limit: z.number().int().min(1).max(PAGE_MAX_LIMIT),
});

export function parsePage(input: unknown): Page {
  return parse(PageSchema, input, 'page');
}

/** Service instance ids: a UUID in practice; a safe alphabet for filters and logs. */
export const InstanceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export function parseInstanceId(input: unknown): string {
  return parse(InstanceIdSchema, input, 'instanceId');
}

/** A participants entry as the adapters keep it: the instance it came through, when known. */
export type StoredParticipant = Participant & { instanceId?: string };

const ParticipantEntrySchema = z.object({
  userId: UserIdSchema,
  userType: UserTypeSchema,
  role: z.optional(ParticipantRoleSchema),
  joinedAt: IsoDateTimeSchema,
  instanceId: InstanceIdSchema.optional(),
});

export function parseParticipantEntry(input: unknown): StoredParticipant {
  const e = parse(ParticipantEntrySchema, input, 'participant');
  const p: StoredParticipant = {
    userId: e.userId,
    userType: e.userType,
    ...(e.role !== undefined ? { role: e.role } : {}),
    joinedAt: canonicalTime(e.joinedAt),
    leftAt: null,
  };
  if (e.instanceId !== undefined) p.instanceId = e.instanceId;
  return p;
}

/** The record as callers see it: entries without the store's instance bookkeeping. */
export function publicMeeting(m: Meeting): Meeting {
  const ps = m.participants as readonly StoredParticipant[];
  if (!ps.some((p) => p.instanceId !== undefined)) return m;
  return {
    ...m,
    participants: ps.map((p) => ({
      userId: p.userId,
      userType: p.userType,
      ...(p.role !== undefined ? { role: p.role } : {}),
      joinedAt: p.joinedAt,
      leftAt: p.leftAt,
    })),
  };
}

const NewGuestSchema = z.object({
  guestId: UserIdSchema,
  role: GuestRoleSchema,
  name: UserNameSchema,
  invitedAt: IsoDateTimeSchema,
});

export function parseNewGuest(input: unknown): NewGuest {
  const g = parse(NewGuestSchema, input, 'guest');
  return { ...g, invitedAt: canonicalTime(g.invitedAt) };
}

export const newGuestRecord = (g: NewGuest): Guest => ({
  guestId: g.guestId,
  role: g.role,
  name: g.name,
  invitedAt: g.invitedAt,
  removedAt: null,
});

export function parseUserId(input: unknown): string {
  return parse(UserIdSchema, input, 'userId');
}

const NewUserSchema = z.object({
  id: UserIdSchema,
  // Lowercased on the way in: lookups by email are case-insensitive in both adapters.
  email: z.email().max(254).toLowerCase(),
  displayName: UserNameSchema,
  role: RoleSchema,
  passwordHash: z.string().min(1).max(1024),
});
export type NewUser = Omit<StoredUser, 'createdAt' | 'updatedAt' | 'tokenVersion' | 'disabled'>;

export function parseNewUser(input: unknown): NewUser {
  return parse(NewUserSchema, input, 'user');
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const PasswordHashSchema = NewUserSchema.shape.passwordHash;

export const AUDIT_ACTIONS = [
  'meeting.create',
  'meeting.cancel',
  'meeting.join',
  'meeting.admit',
  'meeting.guest-invite',
  'meeting.guest-remove',
  'meeting.guest-relink',
  'meeting.screen-share',
  'meeting.leave',
  'meeting.end',
  'meeting.complete-abandoned',
  'recording.request',
  'recording.consent',
  'recording.start',
  'recording.stop',
  'file.transfer',
  'report.export',
  'user.login',
  'user.create',
  'user.password-reset',
  'user.logout',
  'user.disable',
  'user.enable',
] as const satisfies readonly AuditEntry['action'][];
export const AUDIT_ROLES = [
  'doctor',
  'manager',
  'patient',
  'guest',
  'system',
] as const satisfies readonly AuditEntry['actorRole'][];

const AuditEntrySchema = z.object({
  at: IsoDateTimeSchema,
  actorId: z.string().min(1).max(128),
  actorRole: z.enum(AUDIT_ROLES),
  action: z.enum(AUDIT_ACTIONS),
  roomId: z.string().min(1).max(128).optional(),
  detail: z
    .record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean(), z.null()]))
    .refine((d) => Object.keys(d).length <= 20, 'at most 20 detail keys')
    .optional(),
});

export function parseAuditEntry(input: unknown): AuditEntry {
  const e = parse(AuditEntrySchema, input, 'audit entry');
  const out: AuditEntry = {
    at: canonicalTime(e.at),
    actorId: e.actorId,
    actorRole: e.actorRole,
    action: e.action,
  };
  if (e.roomId !== undefined) out.roomId = e.roomId;
  if (e.detail !== undefined) out.detail = e.detail;
  return out;
}

export function parseAuditLimit(limit: unknown): number {
  if (limit === undefined) return AUDIT_DEFAULT_LIMIT;
  return parse(z.number().int().min(1).max(AUDIT_MAX_LIMIT), limit, 'audit limit');
}

// ---- Lifecycle -------------------------------------------------------------------------------
// Each function returns the changed record, or null when the store must leave it as it is
// (a refused or already-applied transition). Refusals are not errors: two service instances may
// race to end the same call, and the loser should simply see the record as stored.

/** Whole seconds from start to end (truncated, never negative); 0 for a call that never started. */
export function durationSeconds(startTime: string | null, endTime: string): number {
  if (startTime === null) return 0;
  return Math.max(0, Math.floor((Date.parse(endTime) - Date.parse(startTime)) / 1000));
}

/** Statuses from which `to` is a real move forward (not a repeat). */
export const movableFrom = (to: MeetingStatus): MeetingStatus[] =>
  MeetingStatusSchema.options.filter((s) => s !== to && canMoveTo(s, to));

/** completed and cancelled: no status is reachable from them. */
export const isFinal = (status: MeetingStatus): boolean =>
  MeetingStatusSchema.options.every((to) => to === status || !canMoveTo(status, to));

export function applyActive(m: Meeting, startTime: string, now: string): Meeting | null {
  if (!movableFrom('active').includes(m.status)) return null;
  return { ...m, status: 'active', startTime: m.startTime ?? startTime, updatedAt: now };
}

export function applyTerminal(
  m: Meeting,
  to: 'completed' | 'cancelled',
  at: string,
  now: string,
): Meeting | null {
  if (!movableFrom(to).includes(m.status)) return null;
  return {
    ...m,
    status: to,
    endTime: at,
    duration: durationSeconds(m.startTime, at),
    participants: m.participants.map((p) => (p.leftAt === null ? { ...p, leftAt: at } : p)),
    updatedAt: now,
  };
}

export function applyJoin(m: Meeting, entry: Participant, now: string): Meeting | null {
  if (isFinal(m.status)) return null;
  return { ...m, participants: [...m.participants, entry], updatedAt: now };
}

export function applyLeave(
  m: Meeting,
  userId: string,
  leftAt: string,
  now: string,
): Meeting | null {
  const i = m.participants.findLastIndex((p) => p.userId === userId && p.leftAt === null);
  if (i < 0) return null;
  const participants = m.participants.slice();
  participants[i] = { ...participants[i]!, leftAt };
  return { ...m, participants, updatedAt: now };
}

/**
 * The instance holding these connections is gone: its open entries close at `at` (its last
 * heartbeat), or at joinedAt for an entry opened after that beat.
 */
export function applyInstanceGone(
  m: Meeting,
  instanceId: string,
  at: string,
  now: string,
): Meeting | null {
  if (isFinal(m.status)) return null;
  let changed = false;
  const participants = (m.participants as readonly StoredParticipant[]).map((p) => {
    if (p.instanceId !== instanceId || p.leftAt !== null) return p;
    changed = true;
    return { ...p, leftAt: p.joinedAt > at ? p.joinedAt : at };
  });
  return changed ? { ...m, participants, updatedAt: now } : null;
}

/** Active, started before `before`, and every participant entry closed before `before`. */
export const isAbandoned = (m: Meeting, before: string): boolean =>
  m.status === 'active' &&
  m.startTime !== null &&
  m.startTime < before &&
  m.participants.every((p) => p.leftAt !== null && p.leftAt < before);

/** A quality summary as the store keeps it; invalid input is a `bad-request`. */
export function parseQualityEntry(input: unknown): ParticipantQuality {
  const r = ParticipantQualitySchema.safeParse(input);
  if (!r.success) throw new StoreError('bad-request', 'invalid quality summary');
  return { ...r.data, at: canonicalTime(r.data.at) };
}

/**
 * Appends a quality summary; past MAX_QUALITY_ENTRIES nothing changes. An annotation, not a
 * lifecycle change: updatedAt stays (reports read it as the moment a meeting was closed).
 */
export function applyQuality(m: Meeting, entry: ParticipantQuality): Meeting | null {
  const quality = m.quality ?? [];
  if (quality.length >= MAX_QUALITY_ENTRIES) return null;
  return { ...m, quality: [...quality, entry] };
}
