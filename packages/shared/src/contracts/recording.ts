// Pure: socket messages for recording consent and the file-transfer audit (DESIGN.md,
// "Recording and files"). No media and no file passes through the service: recording happens
// in the doctor's app, files go peer to peer; the service keeps the consent state, tells
// everyone, and audits metadata.
import { z } from 'zod/mini';
import { RoomIdSchema, SocketIdSchema, UserNameSchema } from './common.js';

// ---- client → server ------------------------------------------------------------------------

/** Doctor only: ask everyone else in the visit for consent to record. */
export const RecordingRequestSchema = z.object({ roomId: RoomIdSchema });
/** Everyone but the doctor: an answer; `accept: false` after accepting withdraws consent. */
export const RecordingConsentSchema = z.object({ roomId: RoomIdSchema, accept: z.boolean() });
/** Doctor only: stop recording (or stop asking). */
export const RecordingStopSchema = z.object({ roomId: RoomIdSchema });

export const FILE_AUDIT_ACTIONS = [
  'offered',
  'accepted',
  'declined',
  'refused',
  'completed',
  'cancelled',
  'failed',
] as const;
/**
 * One step of a peer-to-peer file transfer, for the audit: metadata only. There is no field
 * for the file's name, and unknown keys are dropped by the parse.
 */
export const FileTransferAuditSchema = z.object({
  roomId: RoomIdSchema,
  transferId: z.string().check(z.minLength(8), z.maxLength(64), z.regex(/^[A-Za-z0-9-]+$/)),
  /** The other end of the transfer (its socket id in this room). */
  peerSocketId: SocketIdSchema,
  direction: z.enum(['send', 'receive']),
  action: z.enum(FILE_AUDIT_ACTIONS),
  size: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
  type: z.string().check(z.maxLength(128), z.regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$|^$/)),
});

export type RecordingRequestPayload = z.infer<typeof RecordingRequestSchema>;
export type RecordingConsentPayload = z.infer<typeof RecordingConsentSchema>;
export type RecordingStopPayload = z.infer<typeof RecordingStopSchema>;
export type FileTransferAuditPayload = z.infer<typeof FileTransferAuditSchema>;

export const recordingClientEventSchemas = {
  'recording-request': RecordingRequestSchema,
  'recording-consent': RecordingConsentSchema,
  'recording-stop': RecordingStopSchema,
  'file-transfer': FileTransferAuditSchema,
} as const;

// ---- server → client ------------------------------------------------------------------------

/** To each participant whose consent is needed (again, after a reconnect or admission). */
export const RecordingAskEventSchema = z.object({
  roomId: RoomIdSchema,
  /** The doctor who asks. */
  by: SocketIdSchema,
  doctorName: UserNameSchema,
});

export const RecordingStatusSchema = z.enum(['off', 'asking', 'recording', 'paused']);
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>;
export const RecordingOffReasonSchema = z.enum([
  'stopped',
  'declined',
  'withdrawn',
  'doctor-left',
  'alone',
]);
export type RecordingOffReason = z.infer<typeof RecordingOffReasonSchema>;

/**
 * To everyone in the room on every change. `recording` is true only while the doctor's app
 * may write media (everyone present has accepted); `paused` means someone new was admitted
 * and has not answered yet.
 */
export const RecordingStateEventSchema = z.object({
  roomId: RoomIdSchema,
  recording: z.boolean(),
  /** The doctor's socket id while a request is live. */
  by: z.nullable(SocketIdSchema),
  status: RecordingStatusSchema,
  /** How many present participants have not answered yet. */
  waitingFor: z.int().check(z.minimum(0)),
  /** Why it is off, after a request ended. */
  reason: z.nullable(RecordingOffReasonSchema),
});
export type RecordingAskEvent = z.infer<typeof RecordingAskEventSchema>;
export type RecordingStateEvent = z.infer<typeof RecordingStateEventSchema>;

export const recordingServerEventSchemas = {
  'recording-request': RecordingAskEventSchema,
  'recording-state': RecordingStateEventSchema,
} as const;
