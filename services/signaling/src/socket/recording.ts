// Node: socket handlers for recording consent and the file-transfer audit (DESIGN.md,
// "Recording and files"). Plugged into signaling.ts with the room helpers it already has:
// `handlers` joins its handler map, `memberJoined` / `memberLeft` are called where members
// are admitted and leave. No media or file content reaches the service.
import type { RecordingStateEvent } from '@bedside/shared';
import type { Audit } from '../audit/index.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logging/index.js';
import { RecordingConsents, type ConsentChange, type ConsentError } from '../recording/consent.js';
import type { IoServer, IoSocket } from './types.js';
import type { z } from 'zod';
import type { clientEventSchemas, UserType } from '@bedside/shared';

/** Who answered, in the audit: a guest (interpreter, caregiver, clinician) is audited as one. */
type AuditRole = UserType;
const auditRole = (userType: string): AuditRole =>
  userType === 'doctor' || userType === 'guest' ? userType : 'patient';

const log = createLogger('recording');

type Payload<E extends keyof typeof clientEventSchemas> = z.output<(typeof clientEventSchemas)[E]>;
interface Handled {
  data: unknown;
  after?: () => Promise<void>;
}

export interface RecordingDeps {
  /** Broadcast to a room (or a socket id): every instance, or this one's while Redis is down. */
  to(room: string): ReturnType<IoServer['to']>;
  /** A room's (or socket id's) sockets, on every instance when they answer. */
  fetchIn(room: string): ReturnType<IoServer['fetchSockets']>;
  audit: Audit;
  requireMember(s: IoSocket, roomId: string): void;
  requireDoctorOf(s: IoSocket, roomId: string): void;
  /** Everyone admitted to the room (all instances). */
  members(roomId: string): Promise<Array<{ socketId: string; userId: string; userType: string }>>;
}

const isError = (r: ConsentChange | ConsentError): r is ConsentError => 'code' in r;

export function createRecordingHandlers(d: RecordingDeps) {
  const consents = new RecordingConsents();

  const roleOf = (s: IoSocket): AuditRole => s.data.userType ?? 'patient';

  const publish = (change: ConsentChange, doctorName: string | null) => {
    const { state } = change;
    d.to(state.roomId).emit('recording-state', state);
    if (state.by && doctorName) {
      for (const socketId of change.ask)
        d.to(socketId).emit('recording-request', {
          roomId: state.roomId,
          by: state.by,
          doctorName,
        });
    }
  };

  const auditTransition = (
    actor: { id: string; role: AuditRole },
    state: RecordingStateEvent,
    transition: ConsentChange['transition'],
  ) => {
    if (!transition) return;
    void d.audit.record({
      actorId: actor.id,
      actorRole: actor.role,
      action:
        transition === 'start' || transition === 'resume' ? 'recording.start' : 'recording.stop',
      roomId: state.roomId,
      detail: {
        transition,
        ...(state.reason ? { reason: state.reason } : {}),
      },
    });
  };

  const orThrow = (r: ConsentChange | ConsentError): ConsentChange => {
    if (isError(r)) throw new AppError(r.code, r.message);
    return r;
  };

  /** The doctor's name travels with each prompt; it is on the doctor's socket. */
  const doctorNameOf = async (roomId: string, socketId: string | null): Promise<string | null> => {
    if (!socketId) return null;
    const [s] = await d.fetchIn(socketId);
    return s?.data.roomId === roomId ? (s.data.userName ?? null) : null;
  };

  const handlers = {
    async 'recording-request'(s: IoSocket, p: Payload<'recording-request'>): Promise<Handled> {
      d.requireDoctorOf(s, p.roomId);
      const others = (await d.members(p.roomId))
        .filter((m) => m.socketId !== s.id && m.userType !== 'doctor')
        .map((m) => ({ socketId: m.socketId, userId: m.userId }));
      const change = orThrow(
        consents.request(p.roomId, { socketId: s.id, userId: s.data.userId }, others),
      );
      void d.audit.record({
        actorId: s.data.userId,
        actorRole: 'doctor',
        action: 'recording.request',
        roomId: p.roomId,
        detail: { asked: change.ask.length },
      });
      log.info({ roomId: p.roomId, asked: change.ask.length }, 'recording consent requested');
      return { data: change.state, after: async () => publish(change, s.data.userName) };
    },

    async 'recording-consent'(s: IoSocket, p: Payload<'recording-consent'>): Promise<Handled> {
      d.requireMember(s, p.roomId);
      const change = orThrow(
        consents.answer(p.roomId, { socketId: s.id, userId: s.data.userId }, p.accept),
      );
      const role = roleOf(s);
      void d.audit.record({
        actorId: s.data.userId,
        actorRole: role,
        action: 'recording.consent',
        roomId: p.roomId,
        detail: {
          accept: p.accept,
          ...(change.state.reason ? { reason: change.state.reason } : {}),
        },
      });
      auditTransition({ id: s.data.userId, role }, change.state, change.transition);
      return {
        data: change.state,
        after: async () => publish(change, await doctorNameOf(p.roomId, change.state.by)),
      };
    },

    async 'recording-stop'(s: IoSocket, p: Payload<'recording-stop'>): Promise<Handled> {
      d.requireDoctorOf(s, p.roomId);
      const change = orThrow(consents.stop(p.roomId, s.id));
      auditTransition({ id: s.data.userId, role: 'doctor' }, change.state, change.transition);
      return { data: change.state, after: async () => publish(change, null) };
    },

    async 'file-transfer'(s: IoSocket, p: Payload<'file-transfer'>): Promise<Handled> {
      d.requireMember(s, p.roomId);
      const peer = (await d.members(p.roomId)).find((m) => m.socketId === p.peerSocketId);
      if (!peer || peer.socketId === s.id)
        throw new AppError('not-in-room', 'The other end of the transfer is not in this room');
      void d.audit.record({
        actorId: s.data.userId,
        actorRole: roleOf(s),
        action: 'file.transfer',
        roomId: p.roomId,
        // Metadata only: the schema has no place for a file name.
        detail: {
          transferId: p.transferId,
          step: p.action,
          direction: p.direction,
          peerId: peer.userId,
          peerRole: peer.userType,
          size: p.size,
          type: p.type,
        },
      });
      return { data: null };
    },
  };

  return {
    handlers,
    /** After a member is admitted: asks them if a request is live, and tells them the state. */
    async memberJoined(s: IoSocket, roomId: string): Promise<void> {
      const change = consents.joined(roomId, { socketId: s.id, userId: s.data.userId });
      if (!change) return;
      auditTransition({ id: s.data.userId, role: roleOf(s) }, change.state, change.transition);
      publish(change, await doctorNameOf(roomId, change.state.by));
    },
    /** After a member left the room (left, disconnected, replaced). */
    memberLeft(roomId: string, socketId: string, actor: { userId: string; role: string }): void {
      const change = consents.left(roomId, socketId);
      if (!change) return;
      auditTransition(
        { id: actor.userId, role: auditRole(actor.role) },
        change.state,
        change.transition,
      );
      publish(change, null);
    },
    roomClosed(roomId: string): void {
      consents.forget(roomId);
    },
    state: (roomId: string) => consents.state(roomId),
  };
}
