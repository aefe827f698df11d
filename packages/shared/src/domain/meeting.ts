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
  role: ParticipantRoleSchema.optional(),
  joinedAt: IsoDateTimeSchema,
  leftAt: IsoDateTimeSchema.nullable(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const MeetingSchema = z.object({
  appointmentId: AppointmentIdSchema,
  roomId: RoomIdSchema,
  doctorId: UserIdSchema,
  patientId: UserIdSchema,
  /** Shown to the doctor; never logged. */
  patientName: z.string().max(80).nullable(),
  scheduledTime: IsoDateTimeSchema,
  /** First moment both sides were in the call. */
  startTime: IsoDateTimeSchema.nullable(),
  endTime: IsoDateTimeSchema.nullable(),
  status: MeetingStatusSchema,
  participants: z.array(ParticipantSchema),
  /** Seconds from startTime to endTime. */
  duration: z.number().int().min(0).nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Meeting = z.infer<typeof MeetingSchema>;

/** A participant entry's role: its own, or (older records) its userType. */
export const roleOf = (p: Pick<Participant, 'userType' | 'role'>): ParticipantRole =>
  p.role ?? (p.userType === 'doctor' ? 'doctor' : 'patient');
