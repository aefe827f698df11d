// Node: the storage contract. Two adapters implement it (embedded SQLite, MongoDB through
// mongoose) and both must pass the same contract suite (`contract.ts`).
import type { Meeting, MeetingStatus, Role, UserType } from '@bedside/shared';

export interface StoredUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** Encoded scrypt hash (`scrypt$N$r$p$salt$hash`); never leaves the service. */
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewMeeting {
  appointmentId: string;
  roomId: string;
  doctorId: string;
  patientId: string;
  patientName: string | null;
  scheduledTime: string;
}

export interface MeetingQuery {
  doctorId?: string;
  status?: MeetingStatus;
  /** scheduledTime >= from (ISO) */
  from?: string;
  /** scheduledTime < to (ISO) */
  to?: string;
}

export interface Page {
  page: number;
  limit: number;
}

export interface AuditEntry {
  at: string;
  actorId: string;
  actorRole: Role | 'patient' | 'system';
  action:
    | 'meeting.create'
    | 'meeting.cancel'
    | 'meeting.join'
    | 'meeting.admit'
    | 'meeting.screen-share'
    | 'meeting.leave'
    | 'meeting.end'
    | 'meeting.complete-abandoned'
    | 'report.export'
    | 'user.login'
    | 'user.create'
    | 'user.password-reset';
  roomId?: string;
  /** Small, non-identifying detail (e.g. report range); never names, tokens, SDP or chat text. */
  detail?: Record<string, string | number | boolean | null>;
}

/**
 * Meetings, users and the audit trail. Every method is atomic on its own; lifecycle methods
 * refuse to move a status backwards and return the meeting as stored after the change.
 */
export interface MeetingStore {
  /** Creates the meeting, or returns the existing one for the same appointmentId (`created: false`). */
  createMeeting(input: NewMeeting): Promise<{ meeting: Meeting; created: boolean }>;
  getMeeting(roomId: string): Promise<Meeting | null>;
  /** Newest scheduledTime first. */
  listMeetings(query: MeetingQuery, page: Page): Promise<{ items: Meeting[]; total: number }>;
  /** Every matching meeting, oldest scheduledTime first, in batches: constant memory for exports. */
  streamMeetings(query: MeetingQuery): AsyncIterable<Meeting>;
  /** Appends a participants entry (one per join). */
  addParticipant(
    roomId: string,
    entry: { userId: string; userType: UserType; joinedAt: string },
  ): Promise<Meeting | null>;
  /** Sets leftAt on the user's latest open entry. */
  markParticipantLeft(roomId: string, userId: string, leftAt: string): Promise<Meeting | null>;
  /** scheduled → active, setting startTime (first moment both sides were in the call) once. */
  markActive(roomId: string, startTime: string): Promise<Meeting | null>;
  /** → completed: endTime, duration (s) from startTime, open participant entries closed at endTime. */
  markCompleted(roomId: string, endTime: string): Promise<Meeting | null>;
  /** scheduled | active → cancelled. */
  markCancelled(roomId: string, at: string): Promise<Meeting | null>;
  /**
   * Inserts complete records as given (imports, crafted test data, benchmarks), in one
   * transaction per call; an appointmentId that exists already is refused (`conflict`).
   */
  bulkInsertMeetings(meetings: readonly Meeting[]): Promise<void>;
  /** Active meetings whose participants have all left before `before` (abandoned calls). */
  findAbandoned(before: string): Promise<Meeting[]>;

  getUserByEmail(email: string): Promise<StoredUser | null>;
  getUserById(id: string): Promise<StoredUser | null>;
  createUser(user: Omit<StoredUser, 'createdAt' | 'updatedAt'>): Promise<StoredUser>;
  setPasswordHash(userId: string, passwordHash: string): Promise<boolean>;
  countUsers(): Promise<number>;
  listUsers(): Promise<StoredUser[]>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(query: { roomId?: string; limit?: number }): Promise<AuditEntry[]>;

  /** Cheap round trip for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
