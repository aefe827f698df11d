// Pure: the Socket.io wire contract. The server parses every payload with these schemas;
// the typed event maps for server and client derive from them.
import { z } from 'zod/mini';
import {
  ErrorBodySchema,
  ParticipantRoleSchema,
  RoomIdSchema,
  SocketIdSchema,
  UserIdSchema,
  UserNameSchema,
  UserTypeSchema,
  type Result,
} from './common.js';
import { recordingClientEventSchemas, recordingServerEventSchemas } from './recording.js';

// Bounds: a full Chrome offer with simulcast is ~6–10 KB; 32 KB leaves room without inviting abuse.
export const MAX_SDP_LENGTH = 32 * 1024;
export const MAX_CANDIDATE_LENGTH = 1024;
export const MAX_CHAT_LENGTH = 2000;

/** `socket.handshake.auth` */
export const HandshakeAuthSchema = z.object({
  token: z.string().check(z.minLength(1), z.maxLength(4096)),
  /** Which client connects; the desktop app also sends its version (see `client-outdated`). */
  client: z.optional(z.enum(['desktop', 'patient-web', 'other'])),
  clientVersion: z.optional(z.string().check(z.regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/))),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

export const DeviceCheckSchema = z.enum(['ok', 'denied', 'missing', 'unknown']);
export const ConnectionCheckSchema = z.enum(['good', 'fair', 'poor', 'unknown']);
/** The patient's pre-call check, shown on their waiting-room card. */
export const PrecheckSchema = z.object({
  camera: DeviceCheckSchema,
  microphone: DeviceCheckSchema,
  connection: ConnectionCheckSchema,
});
export type Precheck = z.infer<typeof PrecheckSchema>;

export const SessionDescriptionSchema = z.object({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.optional(z.string().check(z.maxLength(MAX_SDP_LENGTH))),
});
export type SessionDescription = z.infer<typeof SessionDescriptionSchema>;

export const IceCandidateSchema = z.object({
  candidate: z.string().check(z.maxLength(MAX_CANDIDATE_LENGTH)),
  sdpMid: z.optional(z.nullable(z.string().check(z.maxLength(64)))),
  sdpMLineIndex: z.optional(z.nullable(z.int().check(z.minimum(0), z.maximum(64)))),
  usernameFragment: z.optional(z.nullable(z.string().check(z.maxLength(256)))),
});
export type IceCandidate = z.infer<typeof IceCandidateSchema>;

// ---- client → server ------------------------------------------------------------------------

export const JoinRoomSchema = z.object({
  roomId: RoomIdSchema,
  userId: UserIdSchema,
  userType: UserTypeSchema,
  userName: UserNameSchema,
  precheck: z.optional(PrecheckSchema),
  /**
   * A random id the patient page keeps for its tab (sessionStorage): a reconnect from the same
   * tab goes straight back into the call, anyone else holding the link waits for the doctor.
   */
  deviceId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/))),
});
export const OfferSchema = z.object({
  roomId: RoomIdSchema,
  offer: SessionDescriptionSchema,
  targetSocketId: SocketIdSchema,
});
export const AnswerSchema = z.object({
  roomId: RoomIdSchema,
  answer: SessionDescriptionSchema,
  targetSocketId: SocketIdSchema,
});
export const IceCandidateMessageSchema = z.object({
  roomId: RoomIdSchema,
  /** `null` marks the end of candidates. */
  candidate: z.nullable(IceCandidateSchema),
  targetSocketId: SocketIdSchema,
});
export const LeaveCallSchema = z.object({ roomId: RoomIdSchema, userId: UserIdSchema });
export const ChatMessageSchema = z.object({
  roomId: RoomIdSchema,
  message: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_CHAT_LENGTH)),
  userName: UserNameSchema,
  userType: UserTypeSchema,
});
export const ScreenShareToggleSchema = z.object({
  roomId: RoomIdSchema,
  isSharing: z.boolean(),
  userName: UserNameSchema,
});
/**
 * `offer`: the doctor's offer to the admitted person, prepared while they waited; the service
 * delivers it with the admit (right after `room-users`) instead of waiting for the doctor to
 * hear `user-joined` and send it — one doctor ↔ service round trip less before media.
 */
export const AdmitPatientSchema = z.object({
  roomId: RoomIdSchema,
  socketId: SocketIdSchema,
  offer: z.optional(
    z.object({ type: z.literal('offer'), sdp: z.string().check(z.maxLength(MAX_SDP_LENGTH)) }),
  ),
});
export const EndCallSchema = z.object({ roomId: RoomIdSchema });
export const MediaStateSchema = z.object({
  roomId: RoomIdSchema,
  audio: z.boolean(),
  video: z.boolean(),
});
export const IceStateSchema = z.enum([
  'new',
  'checking',
  'connected',
  'completed',
  'disconnected',
  'failed',
  'closed',
]);
export const CallQualitySchema = z.object({
  roomId: RoomIdSchema,
  rttMs: z.nullable(z.number().check(z.minimum(0), z.maximum(60_000))),
  packetLoss: z.nullable(z.number().check(z.minimum(0), z.maximum(1))),
  bitrateKbps: z.nullable(z.number().check(z.minimum(0), z.maximum(1_000_000))),
  iceState: IceStateSchema,
  level: z.optional(z.enum(['good', 'fair', 'poor', 'lost'])),
  /** The sender's selected candidate pair goes through a TURN relay. */
  relay: z.optional(z.boolean()),
  /** ICE restarts this client made in this visit so far (cumulative). */
  iceRestarts: z.optional(z.int().check(z.minimum(0), z.maximum(1000))),
});

/** A refreshed access token for the live socket, before the one it connected with expires. */
export const RenewTokenSchema = z.object({
  token: z.string().check(z.minLength(1), z.maxLength(4096)),
});

export type JoinRoomPayload = z.infer<typeof JoinRoomSchema>;
export type OfferPayload = z.infer<typeof OfferSchema>;
export type AnswerPayload = z.infer<typeof AnswerSchema>;
export type IceCandidatePayload = z.infer<typeof IceCandidateMessageSchema>;
export type LeaveCallPayload = z.infer<typeof LeaveCallSchema>;
export type ChatMessagePayload = z.infer<typeof ChatMessageSchema>;
export type ScreenShareTogglePayload = z.infer<typeof ScreenShareToggleSchema>;
export type AdmitPatientPayload = z.infer<typeof AdmitPatientSchema>;
export type EndCallPayload = z.infer<typeof EndCallSchema>;
export type MediaStatePayload = z.infer<typeof MediaStateSchema>;
export type CallQualityPayload = z.infer<typeof CallQualitySchema>;
export type RenewTokenPayload = z.infer<typeof RenewTokenSchema>;

/** Every client → server event and the schema of its payload. */
export const clientEventSchemas = {
  'join-room': JoinRoomSchema,
  offer: OfferSchema,
  answer: AnswerSchema,
  'ice-candidate': IceCandidateMessageSchema,
  'leave-call': LeaveCallSchema,
  'chat-message': ChatMessageSchema,
  'screen-share-toggle': ScreenShareToggleSchema,
  'admit-patient': AdmitPatientSchema,
  'end-call': EndCallSchema,
  'media-state': MediaStateSchema,
  'call-quality': CallQualitySchema,
  ...recordingClientEventSchemas,
  'renew-token': RenewTokenSchema,
} as const;
export type ClientEventName = keyof typeof clientEventSchemas;

// ---- server → client ------------------------------------------------------------------------

export const RoomUserSchema = z.object({
  socketId: SocketIdSchema,
  userId: UserIdSchema,
  userType: UserTypeSchema,
  userName: UserNameSchema,
  role: ParticipantRoleSchema,
});
export type RoomUser = z.infer<typeof RoomUserSchema>;

export const RoomUsersEventSchema = z.array(RoomUserSchema);
export const UserJoinedEventSchema = RoomUserSchema;
export const UserLeftEventSchema = z.object({
  socketId: SocketIdSchema,
  userId: UserIdSchema,
  role: ParticipantRoleSchema,
});
export const OfferEventSchema = z.object({
  offer: SessionDescriptionSchema,
  socketId: SocketIdSchema,
});
export const AnswerEventSchema = z.object({
  answer: SessionDescriptionSchema,
  socketId: SocketIdSchema,
});
export const IceCandidateEventSchema = z.object({
  candidate: z.nullable(IceCandidateSchema),
  socketId: SocketIdSchema,
});
export const ChatMessageEventSchema = z.object({
  id: z.string(),
  roomId: RoomIdSchema,
  message: z.string(),
  userName: UserNameSchema,
  userType: UserTypeSchema,
  socketId: SocketIdSchema,
  /** ISO-8601, stamped by the server. */
  timestamp: z.string(),
});
export const ScreenShareToggleEventSchema = z.object({
  isSharing: z.boolean(),
  userName: UserNameSchema,
  socketId: SocketIdSchema,
});
export const WaitingPatientSchema = z.object({
  socketId: SocketIdSchema,
  userId: UserIdSchema,
  userName: UserNameSchema,
  userType: UserTypeSchema,
  role: ParticipantRoleSchema,
  /** ISO-8601 */
  waitingSince: z.string(),
  precheck: z.optional(PrecheckSchema),
});
export type WaitingPatient = z.infer<typeof WaitingPatientSchema>;
export const WaitingRoomEventSchema = z.array(WaitingPatientSchema);
export const AdmittedEventSchema = z.object({ roomId: RoomIdSchema });
/** `removed`: the doctor removed this guest (only that guest hears it). */
export const CallEndedReasonSchema = z.enum([
  'ended-by-doctor',
  'cancelled',
  'abandoned',
  'removed',
]);
export const CallEndedEventSchema = z.object({
  roomId: RoomIdSchema,
  reason: CallEndedReasonSchema,
  /** Seconds, when the meeting has a duration. */
  duration: z.nullable(z.number()),
});
export const MediaStateEventSchema = z.object({
  socketId: SocketIdSchema,
  audio: z.boolean(),
  video: z.boolean(),
});
/** Sent when a payload without an ack callback is refused. */
export const SignalErrorEventSchema = z.object({
  event: z.string().check(z.maxLength(64)),
  error: ErrorBodySchema,
});

export type ChatMessageEvent = z.infer<typeof ChatMessageEventSchema>;
export type CallEndedEvent = z.infer<typeof CallEndedEventSchema>;
export type MediaStateEvent = z.infer<typeof MediaStateEventSchema>;
export type ScreenShareToggleEvent = z.infer<typeof ScreenShareToggleEventSchema>;
export type SignalErrorEvent = z.infer<typeof SignalErrorEventSchema>;

export const serverEventSchemas = {
  'room-users': RoomUsersEventSchema,
  'user-joined': UserJoinedEventSchema,
  'user-left': UserLeftEventSchema,
  offer: OfferEventSchema,
  answer: AnswerEventSchema,
  'ice-candidate': IceCandidateEventSchema,
  'chat-message': ChatMessageEventSchema,
  'screen-share-toggle': ScreenShareToggleEventSchema,
  'waiting-room': WaitingRoomEventSchema,
  admitted: AdmittedEventSchema,
  'call-ended': CallEndedEventSchema,
  'media-state': MediaStateEventSchema,
  'signal-error': SignalErrorEventSchema,
  ...recordingServerEventSchemas,
} as const;
export type ServerEventName = keyof typeof serverEventSchemas;

// ---- typed maps for Socket.io ---------------------------------------------------------------

/** What a `join-room` ack carries: a doctor is in the room, a patient is waiting. */
export const JoinRoomResultSchema = z.object({
  status: z.enum(['joined', 'waiting']),
  roomId: RoomIdSchema,
  socketId: SocketIdSchema,
});
export type JoinRoomResult = z.infer<typeof JoinRoomResultSchema>;

export type Ack<T = null> = (result: Result<T>) => void;

type Payload<K extends ClientEventName> = z.infer<(typeof clientEventSchemas)[K]>;
type AckData<K extends ClientEventName> = K extends 'join-room' ? JoinRoomResult : null;

/** Client → server: every event takes its payload and an optional ack. */
export type ClientToServerEvents = {
  [K in ClientEventName]: (payload: Payload<K>, ack?: Ack<AckData<K>>) => void;
};

/** Server → client. */
export type ServerToClientEvents = {
  [K in ServerEventName]: (payload: z.infer<(typeof serverEventSchemas)[K]>) => void;
};
