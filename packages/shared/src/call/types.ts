// DOM (browser / Electron renderer), framework-free: the call engine's public surface.
// Both apps code against this; the engine in `CallEngine.ts` implements it.
import type {
  ChatMessageEvent,
  ErrorBody,
  Precheck,
  RoomUser,
  UserType,
  WaitingPatient,
} from '../contracts/index.js';
import type { z } from 'zod/mini';
import type { Result } from '../contracts/common.js';
import type {
  recordingClientEventSchemas,
  recordingServerEventSchemas,
} from '../contracts/recording.js';
import type { MediaErrorKind } from './errors.js';
import type { NetworkAdaptation } from './adaptation.js';

export type CallEndReason =
  'left' | 'ended-by-doctor' | 'cancelled' | 'abandoned' | 'removed' | 'error';

/** The call's state machine. */
export type CallState =
  | { kind: 'idle' }
  | { kind: 'joining' }
  /** Patient only: in the waiting room until the doctor admits. */
  | { kind: 'waiting' }
  /** In the room. `peer` is null while the other side has not joined (or has left). */
  | { kind: 'connected'; peer: RoomUser | null; since: number }
  /** Signaling or ICE dropped; the engine is retrying on its own. */
  | { kind: 'reconnecting'; attempt: number; cause: 'signaling' | 'ice' }
  | { kind: 'ended'; reason: CallEndReason; error?: ErrorBody; duration?: number | null };

export type QualityLevel = 'good' | 'fair' | 'poor' | 'lost';

export interface QualitySample {
  level: QualityLevel;
  rttMs: number | null;
  /** 0..1, inbound, over the last interval. */
  packetLoss: number | null;
  /** Inbound, kbit/s over the last interval. */
  bitrateKbps: number | null;
  framesDecoded: number | null;
  framesPerSecond: number | null;
  iceState: RTCIceConnectionState;
  /** Sending through a TURN relay (null: no candidate pair selected yet). */
  relay?: boolean | null;
  /** Loudest inbound audio level over the interval, 0..1 (null: no audio stats). */
  audioLevel?: number | null;
  /** Our own microphone's level (`media-source` stats), 0..1, where the browser reports it. */
  localAudioLevel?: number | null;
  at: number;
}

/** ICE on one pair: a pair recovers on its own while the others carry on. */
export type PeerIceState = 'connecting' | 'connected' | 'recovering';

/** One other member of the visit, as the UI shows its tile. */
export interface RemotePeer {
  user: RoomUser;
  /** Their camera and microphone. */
  stream: MediaStream | null;
  screenStream: MediaStream | null;
  media: MediaFlags | null;
  sharing: boolean;
  /** What we receive from them. */
  quality: QualitySample | null;
  ice: PeerIceState;
}

export interface MediaFlags {
  audio: boolean;
  video: boolean;
}

/** Everything a UI renders, as one immutable snapshot (for `useSyncExternalStore`). */
export interface CallSnapshot {
  state: CallState;
  /** Our own socket id while connected to signaling. */
  socketId: string | null;
  localStream: MediaStream | null;
  /**
   * Everyone else in the room, in the order they came (up to 3: the visit holds 4). The
   * `remote*` fields and `quality` below are the main peer's (the patient for the doctor, the
   * doctor for everyone else), kept for two-person screens.
   */
  peers: readonly RemotePeer[];
  /** Socket id of whoever speaks loudest right now (ours included), null in silence. */
  activeSpeaker: string | null;
  /** The other side's camera and microphone. */
  remoteStream: MediaStream | null;
  /** The other side's screen share, when on. */
  remoteScreenStream: MediaStream | null;
  /** Our screen share, when on. */
  localScreenStream: MediaStream | null;
  localMedia: MediaFlags;
  remoteMedia: MediaFlags | null;
  remoteSharing: boolean;
  audioOnly: boolean;
  chat: readonly ChatMessageEvent[];
  /** The worst pair's latest sample (with one peer: that pair's). */
  quality: QualitySample | null;
  /**
   * How far our video is stepped down for the network (adaptation.ts; the most limited pair),
   * and whether to offer audio-only; null outside a call with a peer.
   */
  network?: NetworkAdaptation | null;
  /** Doctor only: patients and guests waiting to be admitted. */
  waitingRoom: readonly WaitingPatient[];
  /** Selected devices (deviceId), when known. */
  devices: { cameraId: string | null; microphoneId: string | null; speakerId: string | null };
  /** Why camera or microphone could not be opened (the call goes on without them), if so. */
  mediaError?: MediaErrorKind | null;
}

export interface CallEngineOptions {
  /** Origin of the Bedside service, e.g. `https://visits.example.org`. */
  serverUrl: string;
  /** Access token (doctor) or patient join token. */
  token: string;
  roomId: string;
  userId: string;
  userType: UserType;
  userName: string;
  client?: 'desktop' | 'patient-web' | 'other';
  clientVersion?: string;
  precheck?: Precheck;
  /**
   * Patient page: a random id kept for the tab (sessionStorage). The service lets a reconnect
   * with the same id straight back into the call; another holder of the link waits.
   */
  deviceId?: string;
  /** A stream the pre-call check already opened; the engine takes ownership. */
  localStream?: MediaStream;
  /** Preferred devices. */
  cameraId?: string | null;
  microphoneId?: string | null;
  audioOnly?: boolean;
  /** `relay` forces TURN (clinics that must not expose addresses; the TURN check). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /**
   * Called for each new peer connection, before its first offer (the file channel hooks in
   * here); `initiator` is the side that offers first. The returned function runs when that
   * connection closes.
   */
  onPeerConnection?: (
    peer: RoomUser,
    pc: RTCPeerConnection,
    role: { initiator: boolean },
  ) => (() => void) | void;
}

export type CallEngineEvent = 'change';

/**
 * Turns the camera track into the track that is sent (background blur). `apply` returns the
 * same output for the same camera track; a new camera track (device switch) gets a new output.
 */
export interface VideoFilter {
  apply(camera: MediaStreamTrack): MediaStreamTrack;
}

export interface ScreenShareOptions {
  /**
   * Also ask for the computer's sound (`getDisplayMedia({ audio: true })`). Only the desktop app
   * on Windows can answer with it (Electron's `audio: 'loopback'`); elsewhere the share comes
   * back without sound. When an audio track comes back it is sent to every peer with the screen.
   */
  systemAudio?: boolean;
}

export interface CallEngineApi {
  getSnapshot(): CallSnapshot;
  /** Subscribe to snapshot changes; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Connects signaling, opens media if needed, joins the room (or its waiting room). */
  join(): Promise<void>;
  /** Leaves the call and releases camera, microphone and connections. */
  leave(): void;
  /** Doctor only: completes the meeting for everyone. */
  endCall(): Promise<void>;
  /** Doctor only. */
  admit(socketId: string): Promise<void>;
  setMicrophoneEnabled(enabled: boolean): void;
  setCameraEnabled(enabled: boolean): void;
  /** Without an id: the next camera (front ↔ back on phones). */
  switchCamera(deviceId?: string): Promise<void>;
  switchMicrophone(deviceId: string): Promise<void>;
  /** Output device for the given media elements (`setSinkId` where supported). */
  setSpeaker(deviceId: string, elements: readonly HTMLMediaElement[]): Promise<void>;
  /** Calls `getDisplayMedia` (in Electron, main answers with the picker's choice). */
  startScreenShare(options?: ScreenShareOptions): Promise<void>;
  stopScreenShare(): void;
  sendChat(text: string): Promise<void>;
  setAudioOnly(audioOnly: boolean): Promise<void>;
  /**
   * Sends the camera through `filter` (null: the camera itself). The sent track is swapped in
   * place with `replaceTrack`, so there is no renegotiation and the video does not pause.
   */
  setVideoFilter(filter: VideoFilter | null): Promise<void>;
  /** Recording consent events from the service (`recording-request`, `recording-state`). */
  onVisitEvent<K extends keyof typeof recordingServerEventSchemas>(
    event: K,
    handler: (payload: z.infer<(typeof recordingServerEventSchemas)[K]>) => void,
  ): () => void;
  /** Recording consent and file-audit events to the service, with its answer. */
  sendVisitEvent<K extends keyof typeof recordingClientEventSchemas>(
    event: K,
    payload: z.input<(typeof recordingClientEventSchemas)[K]>,
  ): Promise<Result<unknown>>;
  /**
   * A refreshed access token: the live socket switches to it (the service ends a socket when
   * its token expires) and reconnects use it.
   */
  renewToken(token: string): void;
}
