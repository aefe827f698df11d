// Node: mongoose schemas for the MongoDB adapter. They mirror MeetingSchema in packages/shared,
// so the database refuses what the wire contract refuses even for a write that skips the
// adapter's own zod checks. Timestamps are BSON dates (range queries, TTL-able); the adapter
// turns them back into ISO strings.
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import {
  GuestRoleSchema,
  MeetingStatusSchema,
  ParticipantRoleSchema,
  RoleSchema,
  UserTypeSchema,
  type GuestRole,
  type MeetingStatus,
  type ParticipantRole,
  type Role,
  type UserType,
} from '@bedside/shared';
import { AUDIT_ACTIONS, AUDIT_ROLES } from './records.js';
import type { AuditEntry } from './types.js';

/** Same alphabet as AppointmentIdSchema in packages/shared/src/contracts/common.ts. */
export const APPOINTMENT_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Same as RoomIdSchema: `room-{appointmentId}`. */
export const ROOM_ID_PATTERN = /^room-[A-Za-z0-9_-]+$/;

export interface ParticipantDoc {
  userId: string;
  userType: UserType;
  role?: ParticipantRole;
  joinedAt: Date;
  leftAt: Date | null;
  /** The service instance the entry was opened through (crash recovery); absent on imports. */
  instanceId?: string;
}

/** A service instance's heartbeat; the id is the document id. */
export interface InstanceDoc {
  _id: string;
  lastBeat: Date;
}

/** One connection's quality summary (ParticipantQualitySchema); `at` as a Date. */
export interface QualityDoc {
  userId: string;
  userType: UserType;
  at: Date;
  samples: number;
  rttMedianMs: number | null;
  rttP95Ms: number | null;
  packetLossMedian: number | null;
  packetLossP95: number | null;
  bitrateMedianKbps: number | null;
  secondsByLevel: { good: number; fair: number; poor: number; lost: number };
  iceRestarts: number;
  relayUsed: boolean;
}

export interface MeetingDoc {
  _id: Types.ObjectId;
  appointmentId: string;
  roomId: string;
  doctorId: string;
  patientId: string;
  patientName: string | null;
  scheduledTime: Date;
  startTime: Date | null;
  endTime: Date | null;
  status: MeetingStatus;
  participants: ParticipantDoc[];
  duration: number | null;
  quality?: QualityDoc[];
  createdAt: Date;
  updatedAt: Date;
}

export interface GuestDoc {
  /** The guest's id is the document id. */
  _id: string;
  roomId: string;
  role: GuestRole;
  name: string;
  invitedAt: Date;
  removedAt: Date | null;
  /** Links issued after the first (absent on guests stored before it existed: 0). */
  linkVersion?: number;
}

export interface UserDoc {
  /** The user's id is the document id. */
  _id: string;
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  /** Absent on documents written before sessions became revocable: read as 0 / false. */
  tokenVersion?: number;
  disabled?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuditDoc {
  _id: Types.ObjectId;
  at: Date;
  actorId: string;
  actorRole: AuditEntry['actorRole'];
  action: AuditEntry['action'];
  roomId?: string;
  detail?: Record<string, string | number | boolean | null>;
}

// 'throw' rather than silently dropping unknown fields: a typo in a write is a bug to see.
// strictQuery drops filter keys the schema does not know, so a filter cannot reach other fields.
const strictness = { strict: 'throw', strictQuery: true, versionKey: false } as const;

const userIdField = { type: String, required: true, minlength: 1, maxlength: 128 } as const;
const wholeOrNull = {
  validator: (v: number | null) => v === null || Number.isInteger(v),
  message: 'duration must be whole seconds',
};

export const participantSchema = new Schema<ParticipantDoc>(
  {
    userId: userIdField,
    userType: { type: String, required: true, enum: UserTypeSchema.options },
    role: { type: String, enum: ParticipantRoleSchema.options },
    joinedAt: { type: Date, required: true },
    leftAt: { type: Date, default: null },
    instanceId: { type: String, maxlength: 64, match: /^[A-Za-z0-9_-]+$/ },
  },
  { _id: false, ...strictness },
);

const nullableNumber = (max: number) => ({ type: Number, min: 0, max, default: null });
const seconds = { type: Number, min: 0, required: true, validate: wholeOrNull } as const;
export const qualitySchema = new Schema<QualityDoc>(
  {
    userId: userIdField,
    userType: { type: String, required: true, enum: UserTypeSchema.options },
    at: { type: Date, required: true },
    samples: seconds,
    rttMedianMs: nullableNumber(10_000),
    rttP95Ms: nullableNumber(10_000),
    packetLossMedian: nullableNumber(1),
    packetLossP95: nullableNumber(1),
    bitrateMedianKbps: nullableNumber(50_000),
    secondsByLevel: {
      type: new Schema(
        { good: seconds, fair: seconds, poor: seconds, lost: seconds },
        { _id: false, ...strictness },
      ),
      required: true,
    },
    iceRestarts: seconds,
    relayUsed: { type: Boolean, required: true },
  },
  { _id: false, ...strictness },
);

export const meetingSchema = new Schema<MeetingDoc>(
  {
    appointmentId: {
      type: String,
      required: true,
      maxlength: 64,
      match: APPOINTMENT_ID_PATTERN,
    },
    roomId: {
      type: String,
      required: true,
      minlength: 6,
      maxlength: 69,
      match: ROOM_ID_PATTERN,
      validate: {
        // Runs on documents only (create/save/validate); `this` is the document.
        validator(this: unknown, v: string) {
          return v === `room-${(this as MeetingDoc).appointmentId}`;
        },
        message: 'roomId must be room-{appointmentId}',
      },
    },
    doctorId: userIdField,
    patientId: userIdField,
    patientName: { type: String, maxlength: 80, default: null },
    scheduledTime: { type: Date, required: true },
    startTime: { type: Date, default: null },
    endTime: { type: Date, default: null },
    status: { type: String, required: true, enum: MeetingStatusSchema.options },
    participants: { type: [participantSchema], default: [] },
    duration: { type: Number, min: 0, default: null, validate: wholeOrNull },
    quality: { type: [qualitySchema], default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'meetings', ...strictness },
);
meetingSchema.index({ appointmentId: 1 }, { unique: true });
meetingSchema.index({ roomId: 1 }, { unique: true });
// _id is the tie-breaker for equal scheduledTimes, so pages never repeat or skip a meeting.
meetingSchema.index({ scheduledTime: 1, _id: 1 });
meetingSchema.index({ doctorId: 1, scheduledTime: 1, _id: 1 });
meetingSchema.index({ status: 1, scheduledTime: 1, _id: 1 });
// Finds a dead instance's open entries without walking every scheduled meeting.
meetingSchema.index({ 'participants.instanceId': 1 }, { sparse: true });

export const instanceSchema = new Schema<InstanceDoc>(
  {
    _id: { type: String, required: true, maxlength: 64, match: /^[A-Za-z0-9_-]+$/ },
    lastBeat: { type: Date, required: true },
  },
  { collection: 'instances', ...strictness },
);
instanceSchema.index({ lastBeat: 1 });

export const guestSchema = new Schema<GuestDoc>(
  {
    _id: userIdField,
    roomId: { type: String, required: true, maxlength: 69, match: ROOM_ID_PATTERN },
    role: { type: String, required: true, enum: GuestRoleSchema.options },
    name: { type: String, required: true, minlength: 1, maxlength: 80 },
    invitedAt: { type: Date, required: true },
    removedAt: { type: Date, default: null },
    linkVersion: { type: Number, default: 0, min: 0 },
  },
  { collection: 'guests', ...strictness },
);
guestSchema.index({ roomId: 1, invitedAt: 1, _id: 1 });

export const userSchema = new Schema<UserDoc>(
  {
    _id: userIdField,
    // Stored lowercased: email lookups are case-insensitive.
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    displayName: { type: String, required: true, minlength: 1, maxlength: 80 },
    role: { type: String, required: true, enum: RoleSchema.options },
    passwordHash: { type: String, required: true, maxlength: 1024 },
    tokenVersion: { type: Number, default: 0, min: 0 },
    disabled: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'users', ...strictness },
);
userSchema.index({ email: 1 }, { unique: true });

export const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Date, required: true },
    actorId: { type: String, required: true, minlength: 1, maxlength: 128 },
    actorRole: { type: String, required: true, enum: AUDIT_ROLES },
    action: { type: String, required: true, enum: AUDIT_ACTIONS },
    roomId: { type: String, maxlength: 128 },
    detail: { type: Schema.Types.Mixed },
  },
  { collection: 'audit', ...strictness },
);
auditSchema.index({ roomId: 1, at: -1, _id: -1 });
auditSchema.index({ at: -1, _id: -1 });

export interface StoreModels {
  Meeting: Model<MeetingDoc>;
  User: Model<UserDoc>;
  Audit: Model<AuditDoc>;
  Guest: Model<GuestDoc>;
  Instance: Model<InstanceDoc>;
}

/** Compiles the models on one connection (never the global mongoose). */
export function registerModels(conn: Connection): StoreModels {
  return {
    Meeting: conn.model<MeetingDoc>('Meeting', meetingSchema),
    User: conn.model<UserDoc>('User', userSchema),
    Audit: conn.model<AuditDoc>('AuditEntry', auditSchema),
    Guest: conn.model<GuestDoc>('Guest', guestSchema),
    Instance: conn.model<InstanceDoc>('Instance', instanceSchema),
  };
}
