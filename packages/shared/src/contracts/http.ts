// Pure: REST bodies, queries and responses. The service parses every body and query with these.
// Classic zod (no browser bundle parses these); schemas from common.ts are zod/mini, so they are
// wrapped with functions (`z.optional(X)`) rather than methods.
import { z } from 'zod';
import {
  AppointmentIdSchema,
  GuestRoleSchema,
  IsoDateTimeSchema,
  RoleSchema,
  RoomIdSchema,
  UserIdSchema,
  UserNameSchema,
} from './common.js';
import { MeetingSchema, MeetingStatusSchema } from '../domain/meeting.js';

export const EmailSchema = z.email().max(254).toLowerCase();

export const UserSchema = z.object({
  id: UserIdSchema,
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
});
export type User = z.infer<typeof UserSchema>;

// POST /api/auth/login
export const LoginRequestSchema = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;
export const LoginResponseSchema = z.object({
  token: z.string(),
  /** ISO-8601 */
  expiresAt: z.string(),
  user: UserSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

// POST /api/create-meeting, POST /api/meetings
export const CreateMeetingRequestSchema = z.strictObject({
  appointmentId: AppointmentIdSchema,
  scheduledTime: IsoDateTimeSchema,
  patientId: z.optional(UserIdSchema.check(z.regex(/^[A-Za-z0-9_.:@-]+$/))),
  patientName: z.optional(UserNameSchema),
});
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequestSchema>;
export const CreateMeetingResponseSchema = z.object({
  meeting: MeetingSchema,
  roomId: RoomIdSchema,
  /** `${PUBLIC_URL}/join/${roomId}#token=${patientToken}` */
  patientJoinUrl: z.string(),
});
export type CreateMeetingResponse = z.infer<typeof CreateMeetingResponseSchema>;

// POST /api/meetings/:roomId/guests
export const InviteGuestRequestSchema = z.strictObject({
  role: GuestRoleSchema,
  name: UserNameSchema,
});
export type InviteGuestRequest = z.infer<typeof InviteGuestRequestSchema>;
export const GuestSchema = z.object({
  guestId: UserIdSchema,
  role: GuestRoleSchema,
  /** Shown to the doctor and in the call; never logged. */
  name: z.string().max(80),
  invitedAt: IsoDateTimeSchema,
  /** Set when the doctor removed the guest: the link stops working. */
  removedAt: z.nullable(IsoDateTimeSchema),
});
export type Guest = z.infer<typeof GuestSchema>;
export const InviteGuestResponseSchema = z.object({
  guest: GuestSchema,
  /** `${PUBLIC_URL}/join/${roomId}#token=${guestToken}` */
  joinUrl: z.string(),
});
export type InviteGuestResponse = z.infer<typeof InviteGuestResponseSchema>;
// GET /api/meetings/:roomId/guests
export const ListGuestsResponseSchema = z.object({ items: z.array(GuestSchema) });
export type ListGuestsResponse = z.infer<typeof ListGuestsResponseSchema>;

// GET /api/meetings
export const ListMeetingsQuerySchema = z.strictObject({
  status: MeetingStatusSchema.optional(),
  from: z.optional(IsoDateTimeSchema),
  to: z.optional(IsoDateTimeSchema),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListMeetingsQuery = z.infer<typeof ListMeetingsQuerySchema>;
export const ListMeetingsResponseSchema = z.object({
  items: z.array(MeetingSchema),
  page: z.number(),
  limit: z.number(),
  total: z.number(),
});
export type ListMeetingsResponse = z.infer<typeof ListMeetingsResponseSchema>;

// GET /api/ice-servers: in ice.ts (zod/mini), which the browser's call engine imports.
export { IceServerSchema, IceServersResponseSchema, type IceServersResponse } from './ice.js';

// GET /api/version — lets the desktop app tell an outdated build before a visit starts.
export const VersionResponseSchema = z.object({
  serverVersion: z.string(),
  minDesktopVersion: z.string(),
});
export type VersionResponse = z.infer<typeof VersionResponseSchema>;

// GET /api/reports/call-durations
export const CallDurationsQuerySchema = z.strictObject({
  /** Calendar dates (YYYY-MM-DD, inclusive) in the clinic time zone, or full ISO date-times. */
  from: z.union([z.iso.date(), IsoDateTimeSchema]).optional(),
  to: z.union([z.iso.date(), IsoDateTimeSchema]).optional(),
  doctorId: z.optional(UserIdSchema),
  status: MeetingStatusSchema.optional(),
  format: z.enum(['json', 'csv']).default('json'),
  /** IANA zone; defaults to the clinic's (`CLINIC_TIME_ZONE`). */
  tz: z.string().max(64).optional(),
});
export type CallDurationsQuery = z.infer<typeof CallDurationsQuerySchema>;

export const CallDurationRowSchema = z.object({
  appointmentId: z.string(),
  roomId: z.string(),
  doctorId: z.string(),
  doctorName: z.string().nullable(),
  patientId: z.string(),
  scheduledTime: z.string(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  status: MeetingStatusSchema,
  /**
   * Seconds, the meeting record's rule: completed or cancelled → startTime→endTime, 0 when the
   * call never started; scheduled → null (empty in CSV); active → startTime→now, still running.
   */
  duration: z.number().nullable(),
  doctorConnectedSeconds: z.number(),
  patientConnectedSeconds: z.number(),
  /** From the participants' quality summaries (visitQuality); `unknown` when none measured. */
  quality: z.enum(['good', 'fair', 'poor', 'unknown']),
  /** Worst participant's p95 round-trip time, ms. */
  rttP95Ms: z.number().nullable(),
  /** Worst participant's p95 inbound packet loss, 0–1. */
  packetLossP95: z.number().nullable(),
  /** Seconds spent poor or lost, summed over participants. */
  poorSeconds: z.number(),
  iceRestarts: z.number(),
  /** Anyone's media went through a TURN relay. */
  relayUsed: z.boolean(),
  /** Guests, per role (interpreter minutes are billed by the minute). */
  interpreterConnectedSeconds: z.number(),
  caregiverConnectedSeconds: z.number(),
  clinicianConnectedSeconds: z.number(),
});
export type CallDurationRow = z.infer<typeof CallDurationRowSchema>;

export const CallDurationTotalsSchema = z.object({
  meetings: z.number(),
  completed: z.number(),
  /** Sum of the durations of completed meetings (active ones are still running). */
  totalDurationSeconds: z.number(),
  /** Over completed meetings; null when there are none. */
  averageDurationSeconds: z.number().nullable(),
  active: z.number().optional(),
  cancelled: z.number().optional(),
  /** Sums over every row, as in the rows. */
  doctorConnectedSeconds: z.number().optional(),
  patientConnectedSeconds: z.number().optional(),
  /** Meetings with measured quality, and how many of them were poor. */
  qualityMeasured: z.number().optional(),
  qualityPoor: z.number().optional(),
  interpreterConnectedSeconds: z.number().optional(),
  caregiverConnectedSeconds: z.number().optional(),
  clinicianConnectedSeconds: z.number().optional(),
});
export const CallDurationsResponseSchema = z.object({
  timeZone: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  rows: z.array(CallDurationRowSchema),
  totals: CallDurationTotalsSchema,
  perDoctor: z.array(
    CallDurationTotalsSchema.extend({ doctorId: z.string(), doctorName: z.string().nullable() }),
  ),
  perDay: z.array(
    z.object({
      /** Local date (clinic time zone) of the scheduled time. */
      date: z.string(),
      meetings: z.number(),
      totalDurationSeconds: z.number(),
      completed: z.number().optional(),
      qualityMeasured: z.number().optional(),
      qualityPoor: z.number().optional(),
    }),
  ),
});
export type CallDurationsResponse = z.infer<typeof CallDurationsResponseSchema>;
