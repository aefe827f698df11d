// Pure: the meeting record as it crosses the wire, and the rules of its lifecycle.
import { z } from 'zod';
import {
  type ParticipantRole,
  AppointmentIdSchema,
  IsoDateTimeSchema,
  ParticipantRoleSchema,
  RoomIdSchema,
  UserIdSchema,
  UserTypeSchema,
} from '../contracts/common.js';

export const MeetingStatusSchema = z.enum(['scheduled', 'active', 'completed', 'cancelled']);
export type MeetingStatus = z.infer<typeof MeetingStatusSchema>;

/** Status only moves forward: scheduled → active → completed; scheduled | active → cancelled. */
const NEXT: Record<MeetingStatus, readonly MeetingStatus[]> = {
  scheduled: ['active', 'completed', 'cancelled'],
  active: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};
export const canMoveTo = (from: MeetingStatus, to: MeetingStatus): boolean =>
  from === to || NEXT[from].includes(to);

export const ParticipantSchema = z.object({
  userId: UserIdSchema,
  userType: UserTypeSchema,
  /** Records from before guests existed have none: their userType is their role. */
  role: z.optional(ParticipantRoleSchema),
  joinedAt: IsoDateTimeSchema,
  leftAt: z.nullable(IsoDateTimeSchema),
});
export type Participant = z.infer<typeof ParticipantSchema>;

const Seconds = z.number().int().min(0);
const NullableMs = z.nullable(z.number().min(0).max(10_000));
const NullableFraction = z.nullable(z.number().min(0).max(1));

/**
 * One participant's call quality for one connection, summarised by the service from that
 * client's `call-quality` reports (rules in services/signaling/src/quality/summary.ts).
 */
export const ParticipantQualitySchema = z.strictObject({
  userId: UserIdSchema,
  userType: UserTypeSchema,
  /** When the summary was closed (the participant left, or the visit ended). */
  at: IsoDateTimeSchema,
  samples: Seconds,
  rttMedianMs: NullableMs,
  rttP95Ms: NullableMs,
  packetLossMedian: NullableFraction,
  packetLossP95: NullableFraction,
  bitrateMedianKbps: z.nullable(z.number().min(0).max(50_000)),
  secondsByLevel: z.object({ good: Seconds, fair: Seconds, poor: Seconds, lost: Seconds }),
  iceRestarts: Seconds,
  relayUsed: z.boolean(),
});
export type ParticipantQuality = z.infer<typeof ParticipantQualitySchema>;
/** A visit holds a handful of connections; past this, summaries are dropped. */
export const MAX_QUALITY_ENTRIES = 64;

export const MeetingSchema = z.object({
  appointmentId: AppointmentIdSchema,
  roomId: RoomIdSchema,
  doctorId: UserIdSchema,
  patientId: UserIdSchema,
  /** Shown to the doctor; never logged. */
  patientName: z.string().max(80).nullable(),
  scheduledTime: IsoDateTimeSchema,
  /** First moment both sides were in the call. */
  startTime: z.nullable(IsoDateTimeSchema),
  endTime: z.nullable(IsoDateTimeSchema),
  status: MeetingStatusSchema,
  participants: z.array(ParticipantSchema),
  /**
   * Whole seconds from startTime to endTime, set when the meeting ends (completed or
   * cancelled); 0 when it ended without the call starting; null while scheduled or active.
   */
  duration: z.number().int().min(0).nullable(),
  /** Per-connection quality summaries; absent on records from before they were kept. */
  quality: z.array(ParticipantQualitySchema).max(MAX_QUALITY_ENTRIES).optional(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Meeting = z.infer<typeof MeetingSchema>;

/** A participant entry's role: its own, or (older records) its userType. */
export const roleOf = (p: Pick<Participant, 'userType' | 'role'>): ParticipantRole =>
  p.role ?? (p.userType === 'doctor' ? 'doctor' : 'patient');
