// Node: the storage contract. Two adapters implement it (embedded SQLite, MongoDB through
// mongoose) and both must pass the same contract suite (`contract.ts`).
import type {
  Guest,
  GuestRole,
  Meeting,
  MeetingStatus,
  ParticipantQuality,
  ParticipantRole,
  Role,
  UserType,
} from '@bedside/shared';

export interface StoredUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** Encoded scrypt hash (`scrypt$N$r$p$salt$hash`); never leaves the service. */
  passwordHash: string;
  /**
   * Bumped whenever the user's sessions must end (password reset, sign-out, disable): an access
   * token carries the version it was issued under and is refused once they differ.
   */
  tokenVersion: number;
  /** A disabled account cannot sign in and its tokens are refused. */
  disabled: boolean;
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

export interface NewGuest {
  guestId: string;
  role: GuestRole;
  name: string;
  invitedAt: string;
}

/**
 * A guest as stored: `linkVersion` counts the links issued (0 for the first); only a token of
 * the current version opens the visit, so a new link revokes the ones before it.
 */
export interface StoredGuest extends Guest {
  linkVersion: number;
}

/** What addGuest did: stored it, or refused because the visit already has `maxActive` guests. */
export type AddGuestResult =
  { ok: true; guest: Guest } | { ok: false; reason: 'full' | 'no-meeting' };

export interface MeetingQuery {
  doctorId?: string;
  status?: MeetingStatus;
  /** scheduledTime >= from (ISO) */
  from?: string;
  /** scheduledTime < to (ISO) */
  to?: string;
}

/** A service instance's latest heartbeat (presence that outlives a crash). */
export interface InstanceBeat {
  instanceId: string;
  lastBeat: string;
}

/** A participants entry as addParticipant takes it; instanceId ties it to the instance it came through. */
export interface NewParticipantEntry {
  userId: string;
  userType: UserType;
  role?: ParticipantRole;
  joinedAt: string;
  /** The service instance holding the connection; the entry is closed if that instance dies. */
  instanceId?: string;
}

export interface Page {
  page: number;
  limit: number;
}

export interface AuditEntry {
  at: string;
  actorId: string;
  actorRole: Role | 'patient' | 'guest' | 'system';
  action:
    | 'meeting.create'
    | 'meeting.cancel'
    | 'meeting.join'
    | 'meeting.admit'
    | 'meeting.guest-invite'
    | 'meeting.guest-remove'
    | 'meeting.guest-relink'
    | 'meeting.screen-share'
    | 'meeting.leave'
    | 'meeting.end'
    | 'meeting.complete-abandoned'
    | 'recording.request'
    | 'recording.consent'
    | 'recording.start'
    | 'recording.stop'
    | 'file.transfer'
    | 'report.export'
    | 'user.login'
    | 'user.create'
    | 'user.password-reset'
    | 'user.logout'
    | 'user.disable'
    | 'user.enable';
  roomId?: string;
  /** Small, non-identifying detail (e.g. report range); never names, tokens, SDP or chat text. */
  detail?: Record<string, string | number | boolean | null>;
}

/**
 * Meetings, users and the audit trail. Every method is atomic on its own; lifecycle methods
 * refuse to move a status backwards and return the meeting as stored after the change.
 *
 * Shared rules (both adapters, checked by `contract.ts`):
 * - Timestamps come back as UTC `toISOString()` strings whatever offset they went in with.
 * - Invalid input throws `StoreError` (`errors.ts`) with code `bad-request`; a taken unique key
 *   throws `conflict`. Error messages never carry field values.
 * - Lifecycle methods return null only for an unknown roomId. A refused or repeated transition
 *   (e.g. markActive on a completed meeting) is not an error: nothing changes and the meeting
 *   comes back as stored, so callers compare `status`.
 */
export interface MeetingStore {
  /**
   * Creates the meeting, or returns the existing one for the same appointmentId (`created: false`),
   * unchanged even if the other fields differ. roomId must be `room-{appointmentId}`.
   */
  createMeeting(input: NewMeeting): Promise<{ meeting: Meeting; created: boolean }>;
  getMeeting(roomId: string): Promise<Meeting | null>;
  /** Newest scheduledTime first (ties in a stable order, so pages never overlap). `limit` at most 1000. */
  listMeetings(query: MeetingQuery, page: Page): Promise<{ items: Meeting[]; total: number }>;
  /** Every matching meeting, oldest scheduledTime first, in batches: constant memory for exports. */
  streamMeetings(query: MeetingQuery): AsyncIterable<Meeting>;
  /**
   * Appends a participants entry (one per join). Ignored once the meeting is completed or
   * cancelled. The entry's instanceId is kept with it in the store but never comes back in a
   * Meeting (it is bookkeeping, not part of the record's contract).
   */
  addParticipant(roomId: string, entry: NewParticipantEntry): Promise<Meeting | null>;
  /** Sets leftAt on the user's latest open entry; no open entry, no change. */
  markParticipantLeft(roomId: string, userId: string, leftAt: string): Promise<Meeting | null>;
  /**
   * Appends one connection's quality summary (any status: summaries are closed as people leave
   * and when the visit ends). At most MAX_QUALITY_ENTRIES; past that, nothing changes.
   * updatedAt is left alone: a summary annotates the record, it does not change its lifecycle.
   */
  addQualitySummary(roomId: string, entry: ParticipantQuality): Promise<Meeting | null>;
  /** scheduled → active, setting startTime (first moment both sides were in the call) once. */
  markActive(roomId: string, startTime: string): Promise<Meeting | null>;
  /**
   * scheduled | active → completed: endTime, duration, open participant entries closed at
   * endTime. duration is whole seconds from startTime (truncated, never negative); a meeting
   * that never started gets duration 0 and keeps startTime null, which tells a no-show from a
   * short call. Every completed or cancelled meeting thus has endTime and duration set.
   */
  markCompleted(roomId: string, endTime: string): Promise<Meeting | null>;
  /** scheduled | active → cancelled, with endTime = at, duration and entries as in markCompleted. */
  markCancelled(roomId: string, at: string): Promise<Meeting | null>;
  /**
   * Inserts complete records as given (imports, crafted test data, benchmarks), in one
   * transaction per call; an appointmentId that exists already is refused (`conflict`).
   * Each record is checked against MeetingSchema (`bad-request` naming its index); a refused
   * call stores nothing. (MongoDB: all-or-nothing by checking first and deleting what the call
   * inserted if another writer takes an id meanwhile, as one transaction cannot hold 10^6 rows.)
   */
  bulkInsertMeetings(meetings: readonly Meeting[]): Promise<void>;
  /** Active meetings whose participants have all left before `before` (abandoned calls). */
  findAbandoned(before: string): Promise<Meeting[]>;

  /**
   * Invites a guest to a meeting that is neither completed nor cancelled, unless `maxActive`
   * guests (not removed) are invited already; the count and the insert are one atomic step.
   */
  addGuest(roomId: string, guest: NewGuest, maxActive: number): Promise<AddGuestResult>;
  /** The meeting's guests, removed ones included, in invitation order. */
  listGuests(roomId: string): Promise<Guest[]>;
  getGuest(roomId: string, guestId: string): Promise<StoredGuest | null>;
  /**
   * A new link for a guest not removed, of a meeting neither completed nor cancelled: bumps
   * linkVersion (the earlier links stop working) and returns the guest; null otherwise.
   */
  renewGuestLink(roomId: string, guestId: string): Promise<StoredGuest | null>;
  /** Sets removedAt once; null for an unknown guest. */
  removeGuest(roomId: string, guestId: string, at: string): Promise<Guest | null>;

  /** Case-insensitive: emails are stored lowercased. */
  getUserByEmail(email: string): Promise<StoredUser | null>;
  getUserById(id: string): Promise<StoredUser | null>;
  /** Lowercases the email; a taken email or id is a `conflict`. */
  createUser(
    user: Omit<StoredUser, 'createdAt' | 'updatedAt' | 'tokenVersion' | 'disabled'>,
  ): Promise<StoredUser>;
  /** Also bumps tokenVersion (a new password ends every session). false when no such user. */
  setPasswordHash(userId: string, passwordHash: string): Promise<boolean>;
  /** Bumps tokenVersion, ending every session of the user. false when no such user. */
  revokeSessions(userId: string): Promise<boolean>;
  /** Sets `disabled` and bumps tokenVersion. false when no such user. */
  setDisabled(userId: string, disabled: boolean): Promise<boolean>;
  countUsers(): Promise<number>;
  listUsers(): Promise<StoredUser[]>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first; limit defaults to 100, at most 1000. */
  listAudit(query: { roomId?: string; limit?: number }): Promise<AuditEntry[]>;

  /**
   * Presence that outlives a crash (crash recovery for the participants entries). Each service
   * instance records a heartbeat every few seconds; `at` never moves an instance's beat back.
   * Returns whether the store knew the instance already: false for its first beat, and for a
   * beat after another instance took it for dead and closed its entries.
   */
  beatInstance(instanceId: string, at: string): Promise<boolean>;
  /** Instances whose last heartbeat is before `before`, oldest first. */
  staleInstances(before: string): Promise<InstanceBeat[]>;
  /**
   * Closes every open participants entry added through `instanceId` in meetings that are not
   * completed or cancelled, at `at` (default: the instance's last heartbeat; never before an
   * entry's joinedAt), then forgets the instance. Returns how many meetings it changed. Safe
   * to run from several instances at once: each entry is closed once.
   */
  closeInstanceEntries(instanceId: string, at?: string): Promise<number>;

  /** Cheap round trip for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
