// Node: what the HTTP and socket layers share: config, the (timed) store, tokens, metrics,
// audit, and a handle on the signaling side for REST actions that reach live calls.
import type { ParticipantRole, UserType } from '@bedside/shared';
import type { Audit } from './audit/index.js';
import type { TokenService } from './auth/tokens.js';
import type { Config } from './config/index.js';
import type { Metrics } from './metrics/index.js';
import type { RedisLink } from './socket/redisAdapter.js';
import type { MeetingStore } from './store/types.js';
import type { CallEndedReason } from './meetings/lifecycle.js';

export interface RoomControl {
  /** Tells everyone in or waiting for the room that the call is over and removes them. */
  closeRoom(roomId: string, reason: CallEndedReason, duration: number | null): Promise<void>;
  /** Users (doctor, patient, guests) currently admitted to the room, across instances. */
  roomMembers(
    roomId: string,
  ): Promise<{ userId: string; userType: UserType; role: ParticipantRole }[]>;
  /** A removed guest: told `call-ended` (reason `removed`) and disconnected, wherever it is. */
  removeGuest(roomId: string, guestId: string): Promise<void>;
  /**
   * Opens a new participants entry for every member connected to this instance (after another
   * instance took this one for dead and closed its entries). Returns how many.
   */
  reopenLocalEntries(): Promise<number>;
  /** Disconnects every socket of the user, across instances (sign-out, disable). */
  endSessions(userId: string): Promise<void>;
}

export interface ServiceContext {
  config: Config;
  /** This process's id (a fresh UUID per start): participants entries it opens carry it. */
  instanceId: string;
  store: MeetingStore;
  tokens: TokenService;
  metrics: Metrics;
  audit: Audit;
  /** Base URL for patient links: PUBLIC_URL, or the bound address once listening. */
  publicUrl(): string;
  isAllowedOrigin(origin: string): boolean;
  /** Set once Socket.io is up. */
  rooms: RoomControl | null;
  /** The link to the other instances (`REDIS_URL`); null on a single instance. */
  redis: RedisLink | null;
}
