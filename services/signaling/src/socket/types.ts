// Node: Socket.io types for the service: the typed event maps from the shared contract, what
// each socket carries, and the messages instances exchange through the adapter.
import type { Server, Socket, RemoteSocket } from 'socket.io';
import type {
  ClientToServerEvents,
  ParticipantRole,
  Precheck,
  ServerToClientEvents,
  UserType,
} from '@bedside/shared';
import type { Principal } from '../auth/principal.js';

/** Serialisable (it crosses instances with `fetchSockets`). */
export interface SocketData {
  principal: Principal;
  client: 'desktop' | 'patient-web' | 'other';
  /** The room this socket joined or waits for; membership itself is the Socket.io room. */
  roomId: string | null;
  userType: UserType | null;
  /** doctor, patient, or the guest's invited role; set by join-room. */
  role: ParticipantRole | null;
  userId: string;
  userName: string | null;
  waitingSince: string | null;
  precheck: Precheck | null;
  /** The patient page's per-tab id (join-room `deviceId`); null for others and old pages. */
  deviceId: string | null;
}

/** Something to do to a socket, run by the instance that holds it. */
export type SocketOp =
  | {
      kind: 'relay';
      roomId: string;
      targetSocketId: string;
      event: 'offer' | 'answer' | 'ice-candidate';
      payload: unknown;
    }
  | {
      kind: 'admit';
      roomId: string;
      targetSocketId: string;
      /** The admitting doctor's offer, delivered to the admitted socket as `offer` from `from`. */
      offer?: { offer: { type: 'offer'; sdp: string }; from: string };
    }
  | { kind: 'evict'; roomId: string; targetSocketId: string }
  | { kind: 'remove'; roomId: string; targetSocketId: string };

export interface InterServerEvents {
  'socket-op': (op: SocketOp, done: (handled: boolean) => void) => void;
  'room-closed': (
    roomId: string,
    reason: 'ended-by-doctor' | 'cancelled' | 'abandoned',
    duration: number | null,
  ) => void;
}

export type IoServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type IoSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type AnySocket = IoSocket | RemoteSocket<ServerToClientEvents, SocketData>;

export const waitingRoom = (roomId: string) => `w:${roomId}`;
export const doctorsRoom = (roomId: string) => `d:${roomId}`;

export const isMember = (s: AnySocket, roomId: string): boolean =>
  s.data.roomId === roomId && s.rooms.has(roomId);
export const isWaiting = (s: AnySocket, roomId: string): boolean =>
  s.data.roomId === roomId && s.rooms.has(waitingRoom(roomId));
