// DOM (browser / Electron renderer), framework-free: one participant's side of one video visit.
// It wires signaling (socket.io), the peer connection (perfect negotiation), local media and
// the quality monitor together, and exposes everything as one immutable snapshot.
//
// State machine: idle → joining → waiting (patient) → connected(peer) ↔ reconnecting → ended.
// A visit holds up to 4 people in a full mesh: one PeerSession (and quality monitor) per other
// member, so a member leaving, reconnecting or restarting ICE touches only its own pair.
// Audio-only is local: it stops our camera and sends no video; the other side keeps sending.
// Values from the zod/mini contract modules only, not the index: the index also holds the
// classic-zod REST and IPC schemas, which would pull all of classic zod into the browser.
import type { z } from 'zod/mini';
import type { ErrorBody, Result } from '../contracts/common.js';
import { IceServersResponseSchema } from '../contracts/ice.js';
import { MAX_CHAT_LENGTH, type HandshakeAuth, type RoomUser } from '../contracts/socket.js';
import {
  recordingServerEventSchemas,
  type recordingClientEventSchemas,
} from '../contracts/recording.js';
import { CallError, type MediaErrorKind, mediaErrorKind } from './errors.js';
import { type Clock, systemClock } from './clock.js';
import { errorName, type Logger, silentLogger } from './logger.js';
import { LocalMedia } from './media.js';
import {
  type IceStatus,
  type NegotiationTiming,
  PeerSession,
  defaultTiming,
} from './negotiation.js';
import {
  type ClientPayload,
  type ConnectFailure,
  type ServerPayload,
  SignalingClient,
  type SocketFactory,
  defaultSocketFactory,
} from './signaling.js';
import { QUALITY_INTERVAL_MS, QualityMonitor } from './stats.js';
import {
  SPEAKER_POLL_MS,
  type SpeakerState,
  forgetAbsent,
  nextSpeaker,
  noSpeaker,
} from './activeSpeaker.js';
import {
  type LocalLevelMeter,
  type LocalLevelMeterFactory,
  defaultLevelMeterFactory,
} from './localLevel.js';
import {
  STEP_LEVEL,
  applyVideoScale,
  combinedMaxBitrate,
  initialAdaptation,
  measureLink,
  nextAdaptation,
  type AdaptationState,
} from './adaptation.js';
import type {
  CallEndReason,
  CallEngineApi,
  CallEngineOptions,
  CallSnapshot,
  CallState,
  QualitySample,
  RemotePeer,
  ScreenShareOptions,
  VideoFilter,
} from './types.js';

type VisitServerEvent = keyof typeof recordingServerEventSchemas;
type VisitClientEvent = keyof typeof recordingClientEventSchemas;

export interface EngineTiming extends NegotiationTiming {
  /** First connection + join-room ack; past it the join ends with `unavailable`. */
  joinTimeoutMs: number;
  ackTimeoutMs: number;
  /** How long signaling may stay down mid-call before the engine gives up. */
  reconnectGiveUpMs: number;
  qualityIntervalMs: number;
  /** Audio levels are read this often for the active speaker (activeSpeaker.ts). */
  speakerPollMs: number;
  /** `call-quality` goes to the service this often, and on every level change. */
  qualityReportMs: number;
  iceServersTimeoutMs: number;
}

export const defaultEngineTiming: EngineTiming = {
  ...defaultTiming,
  joinTimeoutMs: 30_000,
  ackTimeoutMs: 10_000,
  reconnectGiveUpMs: 120_000,
  qualityIntervalMs: QUALITY_INTERVAL_MS,
  speakerPollMs: SPEAKER_POLL_MS,
  qualityReportMs: 10_000,
  iceServersTimeoutMs: 5000,
};

export interface CallEngineDeps {
  createSocket: SocketFactory;
  RTCPeerConnection: typeof RTCPeerConnection | null;
  MediaStream: typeof MediaStream | null;
  mediaDevices: MediaDevices | null;
  fetch: typeof fetch | null;
  clock: Clock;
  logger: Logger;
  timing: Partial<EngineTiming>;
  /**
   * Our own microphone level for the active speaker, on the peers' packet scale, read at each
   * poll (localLevel.ts). Default: Web Audio where it exists; null: the 2 s getStats level.
   */
  createLevelMeter: LocalLevelMeterFactory | null;
}

/** Refusals that a retry cannot fix. */
const FATAL_CODES = new Set<ErrorBody['code']>([
  'unauthorized',
  'forbidden',
  'room-closed',
  'client-outdated',
  'not-found',
  'bad-request',
]);
const MAX_CHAT_KEPT = 500;

/**
 * What we may send in all, camera video, bits/s, split evenly between the peers of a mesh (each
 * gets its own copy). 2.5 Mbit/s is about what Chromium sends a single peer at 720p; with one
 * peer no cap is set, so a two-person visit behaves as before.
 */
export const VIDEO_SEND_BUDGET_BPS = 2_500_000;
export { SPEAKING_LEVEL } from './activeSpeaker.js';

const LEVEL_ORDER: Record<QualitySample['level'], number> = { good: 0, fair: 1, poor: 2, lost: 3 };

/** One other member of the room and our pair with them. */
interface PeerEntry {
  user: RoomUser;
  /** Our socket id when the pair was set up: after our own reconnect the pair is stale. */
  mySocketId: string | null;
  session: PeerSession | null;
  monitor: QualityMonitor | null;
  /** Signals from the peer that arrive while its session is still being set up. */
  early: Array<(session: PeerSession) => void>;
  view: RemotePeer;
  /** Network adaptation of our camera on this pair (adaptation.ts). */
  adaptation: AdaptationState;
  availableKbps: number | null;
  /** Cleanup returned by `onPeerConnection` for this session. */
  cleanup: (() => void) | null;
  /**
   * Outgoing signals held back while the pair is prepared for a waiting person (they are not
   * in the room yet, so the service would refuse them); sent in order on `user-joined`.
   */
  held: HeldSignal[] | null;
  /** A prepared pair whose offer went out with the admit: kept until `user-joined`. */
  admitSent?: boolean;
}

/** An outgoing signal held for a person not in the room yet. */
interface HeldSignal {
  send: () => void;
  kind: 'offer' | 'answer' | 'candidate';
  /** A candidate's line (`candidate:…`): an admit-borne offer may already carry it. */
  candidate?: string;
}

/** Waiting people the doctor prepares a pair for: as many as a visit can still take. */
const MAX_PREPARED = 3;

function defaultDeps(): CallEngineDeps {
  const g = globalThis as typeof globalThis & { navigator?: Navigator };
  return {
    createSocket: defaultSocketFactory,
    RTCPeerConnection: typeof g.RTCPeerConnection === 'function' ? g.RTCPeerConnection : null,
    MediaStream: typeof g.MediaStream === 'function' ? g.MediaStream : null,
    mediaDevices: g.navigator?.mediaDevices ?? null,
    fetch: typeof g.fetch === 'function' ? g.fetch.bind(g) : null,
    clock: systemClock,
    logger: silentLogger,
    timing: {},
    createLevelMeter: defaultLevelMeterFactory(),
  };
}

/** The snapshot's view of the other side when there is none (before, between and after peers). */
const NO_REMOTE = {
  remoteStream: null,
  remoteScreenStream: null,
  remoteMedia: null,
  remoteSharing: false,
} as const satisfies Partial<CallSnapshot>;

const initialSnapshot = (o: CallEngineOptions): CallSnapshot =>
  Object.freeze<CallSnapshot>({
    state: { kind: 'idle' },
    socketId: null,
    localStream: null,
    ...NO_REMOTE,
    peers: [],
    activeSpeaker: null,
    localScreenStream: null,
    localMedia: { audio: false, video: false },
    audioOnly: o.audioOnly ?? false,
    chat: [],
    quality: null,
    network: null,
    waitingRoom: [],
    devices: {
      cameraId: o.cameraId ?? null,
      microphoneId: o.microphoneId ?? null,
      speakerId: null,
    },
    mediaError: null,
  });

export class CallEngine implements CallEngineApi {
  private readonly o: CallEngineOptions;
  private readonly d: CallEngineDeps;
  private readonly t: EngineTiming;
  private readonly log: Logger;
  private snap: CallSnapshot;
  private readonly listeners = new Set<() => void>();

  private signaling: SignalingClient | null = null;
  private readonly media: LocalMedia;
  /** The other members by socket id, in the order they came. */
  private readonly peers = new Map<string, PeerEntry>();
  /** Doctor: pairs set up while their admit is in flight, by the waiting socket's id. */
  private readonly admitting = new Map<string, PeerEntry>();
  /** Our level from the last getStats sample (media-source, peak, every 2 s): the fallback. */
  private localAudioLevel: number | null = null;
  /** Our level now, while the speaker poll runs and a meter could be made. */
  private levelMeter: LocalLevelMeter | null = null;
  /** Who holds the speaking highlight, and the hysteresis behind it (activeSpeaker.ts). */
  private speaker: SpeakerState = noSpeaker;
  private speakerTimer: unknown = null;

  private joinPromise: Promise<void> | null = null;
  private resolveJoin: (() => void) | null = null;
  private prepared: Promise<void> | null = null;
  private joinTimer: unknown = null;
  private giveUpTimer: unknown = null;
  private retryTimer: unknown = null;
  private connectAttempts = 0;
  private joinAttempts = 0;
  private connectedSince: number | null = null;
  private callStartedAt: number | null = null;
  private ice: { servers: RTCIceServer[]; expiresAt: number } | null = null;
  private screen: {
    stream: MediaStream;
    track: MediaStreamTrack;
    /** The computer's sound, when it was asked for and the picker shared it. */
    audio: MediaStreamTrack | null;
    onEnded: () => void;
  } | null = null;
  private lastQualitySent: { at: number; level: QualitySample['level'] } | null = null;
  /** ICE restarts in this visit, reported with call-quality for the clinic's summary. */
  private iceRestarts = 0;
  private videoFilter: VideoFilter | null = null;
  private localChatSeq = 0;
  /** Extensions' listeners for the recording/file events (see `onVisitEvent`). */
  private readonly visitListeners = new Map<string, Set<(payload: never) => void>>();
  private ownChatSeen = 0;

  /** The handshake's `auth`, shared with the socket; `renewToken` swaps its token. */
  private readonly auth: HandshakeAuth;

  constructor(options: CallEngineOptions, deps: Partial<CallEngineDeps> = {}) {
    this.o = options;
    this.auth = {
      token: options.token,
      ...(options.client ? { client: options.client } : {}),
      ...(options.clientVersion ? { clientVersion: options.clientVersion } : {}),
    };
    this.d = { ...defaultDeps(), ...deps };
    this.t = { ...defaultEngineTiming, ...this.d.timing };
    this.log = this.d.logger;
    this.snap = initialSnapshot(options);
    this.media = new LocalMedia({
      mediaDevices: this.d.mediaDevices,
      MediaStream: this.requireMediaStream(),
      logger: this.log,
      onTrack: (kind, track) => {
        const sent = kind === 'video' ? this.sentVideoTrack() : track;
        for (const session of this.sessions()) void session.setTrack(kind, sent);
        this.publishLocal();
        this.sendMediaState();
      },
      onStream: (stream) => {
        for (const session of this.sessions()) session.setLocalStream(stream);
      },
    });
  }

  // ---- snapshot store ---------------------------------------------------------------------------

  getSnapshot = (): CallSnapshot => this.snap;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<CallSnapshot>): void {
    this.snap = Object.freeze({ ...this.snap, ...patch });
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (err) {
        this.log.error('snapshot listener threw', { error: errorName(err) });
      }
    }
  }

  private get state(): CallState {
    return this.snap.state;
  }
  private get ended(): boolean {
    return this.state.kind === 'ended';
  }

  private setState(state: CallState): void {
    if (this.ended) return;
    const prev = this.state.kind;
    if (state.kind !== prev) this.log.info('state', { from: prev, to: state.kind });
    this.set({ state });
  }

  private enterRoom(): void {
    this.connectedSince ??= this.d.clock.now();
    this.setState({
      kind: 'connected',
      peer: this.mainPeer()?.user ?? null,
      since: this.connectedSince,
    });
  }

  private publishLocal(): void {
    const ids = this.media.deviceIds;
    this.attachLevelMeter();
    // Our own mic just went off: we stop being the speaker now, not at the next poll.
    this.speaker = forgetAbsent(this.speaker, this.speakerLevels());
    this.set({
      activeSpeaker: this.speaker.speaker,
      localStream: this.media.currentStream,
      localMedia: this.media.flags,
      audioOnly: this.media.audioOnly,
      devices: { ...this.snap.devices, cameraId: ids.cameraId, microphoneId: ids.microphoneId },
    });
  }

  private requireMediaStream(): typeof MediaStream {
    const M = this.d.MediaStream;
    if (M) return M;
    // Only reached without WebRTC support; the engine will end with `not-supported` on join.
    return class {
      constructor() {
        throw new CallError('not-supported', 'MediaStream is not available');
      }
    } as unknown as typeof MediaStream;
  }

  // ---- join -------------------------------------------------------------------------------------

  /** Resolves once the service answered join-room (waiting or joined) or the call ended. */
  join(): Promise<void> {
    this.joinPromise ??= new Promise<void>((resolve) => {
      this.resolveJoin = resolve;
      this.start();
    });
    return this.joinPromise;
  }

  private settleJoin(): void {
    this.resolveJoin?.();
    this.resolveJoin = null;
  }

  private start(): void {
    if (this.state.kind !== 'idle') return this.settleJoin();
    if (!this.d.RTCPeerConnection || !this.d.MediaStream) {
      this.finish('error', {
        code: 'unavailable',
        message: 'this browser cannot make video calls',
      });
      return;
    }
    this.setState({ kind: 'joining' });
    const socket = this.d.createSocket(this.o.serverUrl, {
      // One object for the engine's life: socket.io sends it on every (re)connect, so a token
      // renewed with `renewToken` is the one a reconnect presents.
      auth: this.auth,
      // WebSocket first; long-polling when a proxy blocks WebSocket upgrades.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      timeout: 10_000,
    });
    const sig = new SignalingClient(socket, this.log);
    this.signaling = sig;
    this.wireSignaling(sig);
    this.joinTimer = this.d.clock.setTimeout(() => {
      this.joinTimer = null;
      if (this.state.kind === 'joining')
        this.finish('error', { code: 'unavailable', message: 'could not reach the service' });
    }, this.t.joinTimeoutMs);
    this.prepared = Promise.all([this.prepareMedia(), this.iceConfig()]).then(() => undefined);
    sig.connect();
  }

  private async prepareMedia(): Promise<void> {
    const o = this.o;
    if (o.localStream) this.media.adopt(o.localStream, o.audioOnly ?? false);
    else
      await this.media.open({
        audio: true,
        video: !(o.audioOnly ?? false),
        cameraId: o.cameraId ?? null,
        microphoneId: o.microphoneId ?? null,
      });
    if (this.ended) return;
    const mediaError: MediaErrorKind | null = this.media.lastError;
    this.set({ mediaError });
    this.publishLocal();
  }

  private iceFetch: Promise<void> | null = null;

  private async iceConfig(): Promise<RTCConfiguration> {
    const base: RTCConfiguration = this.o.iceTransportPolicy
      ? { iceTransportPolicy: this.o.iceTransportPolicy }
      : {};
    if (!this.ice || this.ice.expiresAt <= this.d.clock.now()) {
      // One request at a time, however many sessions ask.
      this.iceFetch ??= this.fetchIceServers().finally(() => (this.iceFetch = null));
      await this.iceFetch;
    }
    return { ...base, iceServers: this.ice?.servers ?? [] };
  }

  private async fetchIceServers(): Promise<void> {
    const now = this.d.clock.now();
    const f = this.d.fetch;
    let servers: RTCIceServer[] = [];
    let ttl: number | null = 60;
    if (f) {
      const url = `${this.o.serverUrl.replace(/\/+$/, '')}/api/ice-servers`;
      const abort = typeof AbortController === 'function' ? new AbortController() : null;
      const timer = this.d.clock.setTimeout(() => abort?.abort(), this.t.iceServersTimeoutMs);
      try {
        const res = await f(url, {
          headers: { Authorization: `Bearer ${this.auth.token}`, Accept: 'application/json' },
          ...(abort ? { signal: abort.signal } : {}),
        });
        if (!res.ok) throw new CallError('unavailable', `ice-servers: HTTP ${res.status}`);
        const parsed = IceServersResponseSchema.parse(await res.json());
        servers = parsed.iceServers;
        ttl = parsed.ttlSeconds;
      } catch (err) {
        // Without the list the call still works wherever a direct path exists.
        this.log.warn('no ICE servers from the service', { error: errorName(err) });
      } finally {
        this.d.clock.clearTimeout(timer);
      }
    }
    // Renew TURN credentials at 80 % of their lifetime; retry a failed fetch after a minute.
    const life = ttl === null ? Number.POSITIVE_INFINITY : ttl * 1000 * (servers.length ? 0.8 : 1);
    this.ice = { servers, expiresAt: now + life };
  }

  // ---- signaling --------------------------------------------------------------------------------

  private wireSignaling(sig: SignalingClient): void {
    sig.lifecycle({
      connect: () => void this.onConnect(),
      disconnect: (reason, willReconnect) => this.onDisconnect(reason, willReconnect),
      connectError: (f) => this.onConnectError(f),
      reconnectAttempt: (n) => {
        if (this.state.kind === 'reconnecting' && this.state.cause === 'signaling')
          this.setState({ kind: 'reconnecting', attempt: n, cause: 'signaling' });
      },
    });
    for (const event of Object.keys(recordingServerEventSchemas) as VisitServerEvent[]) {
      sig.on(event, (payload) => {
        for (const fn of [...(this.visitListeners.get(event) ?? [])])
          (fn as (p: typeof payload) => void)(payload);
      });
    }
    sig.on('waiting-room', (list) => {
      this.set({ waitingRoom: list });
      // Once our camera and ICE servers are ready (the first list comes with the join).
      void this.prepared?.then(() => this.prepareWaiting());
    });
    sig.on('admitted', (e) => {
      if (e.roomId !== this.o.roomId) return;
      this.enterRoom();
    });
    sig.on('room-users', (users) => {
      // We are the newcomer (or asked again): everyone listed offers to us. Pairs set up on
      // this same connection are kept (a repeated join-room resends the list).
      const me = sig.id;
      const others = users.filter((u) => u.socketId !== me);
      const listed = new Set(others.map((u) => u.socketId));
      for (const e of [...this.peers.values()])
        if (!listed.has(e.user.socketId) || e.mySocketId !== me) this.dropEntry(e);
      for (const u of others) if (!this.peers.has(u.socketId)) this.startPeer(u, 'await-offer');
      this.publishPeers();
      this.enterRoom();
    });
    sig.on('user-joined', (user) => {
      if (user.socketId === sig.id) return;
      // We are the member already in the room: we offer.
      this.startPeer(user, 'offer');
      this.publishPeers();
      const st = this.state;
      if (st.kind === 'connected' || (st.kind === 'reconnecting' && st.cause === 'ice'))
        this.enterRoom();
    });
    sig.on('user-left', (e) => {
      this.discardPrepared(e.socketId);
      const entry = this.peers.get(e.socketId);
      if (!entry) return;
      this.dropEntry(entry);
      this.publishPeers();
      if (this.state.kind === 'connected' || this.state.kind === 'reconnecting') this.enterRoom();
    });
    sig.on('offer', (e) => this.onRemoteDescription(e.socketId, e.offer));
    sig.on('answer', (e) => this.onRemoteDescription(e.socketId, e.answer));
    sig.on('ice-candidate', (e) => {
      const c = e.candidate as RTCIceCandidateInit | null;
      this.toSession(e.socketId, (session) => void session.handleCandidate(c));
    });
    sig.on('media-state', (e) => {
      const entry = this.peers.get(e.socketId);
      if (!entry) return;
      this.updateView(entry, { media: { audio: e.audio, video: e.video } });
    });
    sig.on('screen-share-toggle', (e) => {
      const entry = this.peers.get(e.socketId);
      if (!entry) return;
      this.updateView(entry, { sharing: e.isSharing });
    });
    sig.on('chat-message', (m) => {
      if (m.roomId !== this.o.roomId) return;
      let chat = this.snap.chat;
      if (m.socketId === sig.id) {
        this.ownChatSeen++;
        // Replace the local echo we may have added when the ack beat the broadcast.
        const i = chat.findIndex((c) => c.id.startsWith('local-') && c.message === m.message);
        if (i >= 0) chat = chat.filter((_, j) => j !== i);
      }
      this.set({ chat: [...chat, m].slice(-MAX_CHAT_KEPT) });
    });
    sig.on('call-ended', (e) => {
      if (e.roomId !== this.o.roomId) return;
      this.finish(e.reason, undefined, e.duration);
    });
    sig.on('signal-error', (e) => {
      this.log.warn('service refused a message', { event: e.event, code: e.error.code });
      // Joined from another tab or device: the service drops this socket. Reconnecting would
      // evict the other one in turn, so this side stops.
      if (e.event === 'join-room' && e.error.code === 'conflict') this.finish('error', e.error);
    });
  }

  private async onConnect(): Promise<void> {
    const sig = this.signaling;
    if (!sig || this.ended) return;
    this.connectAttempts = 0;
    this.set({ socketId: sig.id });
    await this.prepared;
    if (this.ended || !sig.connected) return;
    const res = await sig.request(
      'join-room',
      {
        roomId: this.o.roomId,
        userId: this.o.userId,
        userType: this.o.userType,
        userName: this.o.userName,
        ...(this.o.precheck ? { precheck: this.o.precheck } : {}),
        ...(this.o.deviceId ? { deviceId: this.o.deviceId } : {}),
      },
      this.t.ackTimeoutMs,
      this.d.clock,
    );
    if (this.ended) return;
    if (!res.ok) {
      if (FATAL_CODES.has(res.error.code)) return this.finish('error', res.error);
      // Transient (timeout, rate limit, server hiccup): try again a few times.
      if (++this.joinAttempts > 3) return this.finish('error', res.error);
      this.log.warn('join-room failed; retrying', { code: res.error.code });
      this.retryTimer = this.d.clock.setTimeout(
        () => void this.onConnect(),
        1000 * this.joinAttempts,
      );
      return;
    }
    this.joinAttempts = 0;
    this.clearTimer('joinTimer');
    this.clearTimer('giveUpTimer');
    if (res.data.status === 'waiting') {
      this.dropAllPeers();
      this.setState({ kind: 'waiting' });
    } else this.enterRoom();
    this.sendMediaState();
    this.settleJoin();
  }

  private onDisconnect(reason: string, willReconnect: boolean): void {
    if (this.ended) return;
    this.log.info('signaling lost', { reason: reason.slice(0, 40) });
    this.set({ socketId: null });
    if (this.state.kind !== 'joining') {
      this.setState({ kind: 'reconnecting', attempt: 0, cause: 'signaling' });
      this.giveUpTimer ??= this.d.clock.setTimeout(() => {
        this.giveUpTimer = null;
        if (this.state.kind === 'reconnecting' && this.state.cause === 'signaling')
          this.finish('error', { code: 'unavailable', message: 'lost connection to the service' });
      }, this.t.reconnectGiveUpMs);
    }
    // The server closed us ("io server disconnect"): socket.io will not retry by itself.
    if (!willReconnect) this.scheduleManualConnect();
  }

  private onConnectError(f: ConnectFailure): void {
    if (this.ended) return;
    this.log.warn('could not connect to the service', { code: f.code, retrying: f.willRetry });
    if (f.code && FATAL_CODES.has(f.code))
      return this.finish('error', { code: f.code, message: f.message });
    if (!f.willRetry) this.scheduleManualConnect();
  }

  private scheduleManualConnect(): void {
    if (this.retryTimer !== null) return;
    const delay = Math.min(10_000, 500 * 2 ** this.connectAttempts++);
    this.retryTimer = this.d.clock.setTimeout(() => {
      this.retryTimer = null;
      if (!this.ended) this.signaling?.connect();
    }, delay);
  }

  // ---- peers ------------------------------------------------------------------------------------

  /** Every pair our media goes to: those in the call and those prepared for a waiting person. */
  private *sessions(): Generator<PeerSession> {
    for (const e of [...this.peers.values(), ...this.admitting.values()])
      if (e.session) yield e.session;
  }

  /** The peer two-person screens show: the patient for the doctor, the doctor for the others. */
  private mainPeer(): PeerEntry | null {
    const all = [...this.peers.values()];
    const main = (e: PeerEntry) =>
      e.user.userType !== 'guest' && e.user.userType !== this.o.userType;
    return all.find(main) ?? all[0] ?? null;
  }

  /**
   * Perfect negotiation needs exactly one polite side per pair, and both sides must agree
   * without talking: the doctor is never polite (as in a two-person visit); between two
   * others the one with the greater socket id is.
   */
  private politeTowards(peer: RoomUser): boolean {
    const rank = (t: RoomUser['userType']) => (t === 'doctor' ? 0 : 1);
    const mine = rank(this.o.userType);
    const theirs = rank(peer.userType);
    if (mine !== theirs) return mine > theirs;
    return (this.signaling?.id ?? this.snap.socketId ?? '') > peer.socketId;
  }

  private startPeer(user: RoomUser, mode: 'offer' | 'await-offer'): void {
    const prepared = this.admitting.get(user.socketId) ?? null;
    this.admitting.delete(user.socketId);
    // The same person on a new connection replaces their old pair.
    for (const e of [...this.peers.values()])
      if (e.user.socketId === user.socketId || e.user.userId === user.userId) {
        if (e.user.socketId !== user.socketId) this.log.info('peer rejoined with a new connection');
        this.dropEntry(e);
      }
    if (prepared) {
      if (mode === 'offer' && prepared.user.userId === user.userId)
        return this.promotePrepared(prepared, user);
      this.dropEntry(prepared);
    }
    const entry = this.newEntry(user);
    this.peers.set(user.socketId, entry);
    this.callStartedAt ??= this.d.clock.now();
    this.launchSession(entry, mode);
  }

  /**
   * The doctor's side of an admit: the pair with a waiting person is set up (connection,
   * transceivers, offer, ICE gathering) while they wait, so the offer — with the candidates
   * gathered so far — goes out with the admit itself (see `admit`), instead of after the
   * service's `user-joined`.
   */
  private prepareWaiting(): void {
    if (this.ended || this.o.userType !== 'doctor') return;
    const waiting = this.snap.waitingRoom;
    const ids = new Set(waiting.map((w) => w.socketId));
    for (const [id, entry] of [...this.admitting])
      if (!ids.has(id) && !entry.admitSent) this.discardPrepared(id);
    for (const w of waiting) {
      if (this.admitting.size >= MAX_PREPARED) break;
      this.prepareForAdmit(w.socketId);
    }
  }

  private prepareForAdmit(socketId: string): void {
    if (this.peers.has(socketId) || this.admitting.has(socketId)) return;
    const waiting = this.snap.waitingRoom.find((w) => w.socketId === socketId);
    if (!waiting) return;
    const entry = this.newEntry({
      socketId: waiting.socketId,
      userId: waiting.userId,
      userType: waiting.userType,
      userName: waiting.userName,
      role: waiting.role,
    });
    entry.held = [];
    this.admitting.set(socketId, entry);
    this.launchSession(entry, 'offer');
  }

  /** Drops a pair prepared for an admit that did not bring the patient in. */
  private discardPrepared(socketId: string): void {
    const entry = this.admitting.get(socketId);
    if (!entry) return;
    this.admitting.delete(socketId);
    this.dropEntry(entry);
  }

  private promotePrepared(entry: PeerEntry, user: RoomUser): void {
    entry.user = user;
    entry.view = { ...entry.view, user };
    entry.mySocketId = this.signaling?.id ?? null;
    this.peers.set(user.socketId, entry);
    this.callStartedAt ??= this.d.clock.now();
    const held = entry.held ?? [];
    entry.held = null;
    for (const signal of held) signal.send();
    // What createSession does for a pair in the room, skipped while the pair was held.
    if (entry.session) this.announceTo();
  }

  /** Bitrates for the new set of pairs; the new peer hears how we are (mute, camera, screen). */
  private announceTo(): void {
    this.applyBitrates();
    // It missed earlier announcements.
    this.sendMediaState();
    if (this.screen) this.sendScreenToggle(true);
  }

  private isCurrent(entry: PeerEntry): boolean {
    const id = entry.user.socketId;
    return this.peers.get(id) === entry || this.admitting.get(id) === entry;
  }

  private launchSession(entry: PeerEntry, mode: 'offer' | 'await-offer'): void {
    void this.iceConfig().then((config) => {
      // The peer (or the call) may have gone while we fetched credentials.
      if (this.ended || !this.isCurrent(entry) || entry.session) return;
      this.createSession(entry, mode, config);
    });
  }

  private newEntry(user: RoomUser): PeerEntry {
    return {
      user,
      mySocketId: this.signaling?.id ?? null,
      session: null,
      monitor: null,
      early: [],
      adaptation: initialAdaptation,
      availableKbps: null,
      cleanup: null,
      held: null,
      view: {
        user,
        stream: null,
        screenStream: null,
        media: null,
        sharing: false,
        quality: null,
        ice: 'connecting',
      },
    };
  }

  private createSession(
    entry: PeerEntry,
    mode: 'offer' | 'await-offer',
    config: RTCConfiguration,
  ): void {
    const sig = this.signaling!;
    const peer = entry.user;
    const out = (signal: HeldSignal) => (entry.held ? entry.held.push(signal) : signal.send());
    const session = new PeerSession({
      polite: this.politeTowards(peer),
      mode,
      config,
      tracks: { audio: this.media.audioTrack, video: this.sentVideoTrack() },
      localStream: this.media.currentStream,
      RTCPeerConnection: this.d.RTCPeerConnection!,
      MediaStream: this.d.MediaStream!,
      clock: this.d.clock,
      logger: this.log,
      timing: this.t,
      refreshConfig: () => this.iceConfig(),
      callbacks: {
        sendDescription: (description) => {
          const payload = { type: description.type, sdp: description.sdp };
          if (description.type === 'offer')
            out({
              kind: 'offer',
              send: () =>
                sig.send('offer', {
                  roomId: this.o.roomId,
                  offer: payload,
                  targetSocketId: peer.socketId,
                }),
            });
          else if (description.type === 'answer')
            out({
              kind: 'answer',
              send: () =>
                sig.send('answer', {
                  roomId: this.o.roomId,
                  answer: payload,
                  targetSocketId: peer.socketId,
                }),
            });
        },
        sendCandidate: (c) =>
          out({
            kind: 'candidate',
            candidate: c.candidate ?? '',
            send: () =>
              sig.send('ice-candidate', {
                roomId: this.o.roomId,
                candidate: {
                  candidate: c.candidate ?? '',
                  sdpMid: c.sdpMid ?? null,
                  sdpMLineIndex: c.sdpMLineIndex ?? null,
                  usernameFragment: c.usernameFragment ?? null,
                },
                targetSocketId: peer.socketId,
              }),
          }),
        remoteStreams: (camera, screen) => {
          if (entry.session === session)
            this.updateView(entry, { stream: camera, screenStream: screen });
        },
        iceStatus: (st) => this.onIceStatus(entry, session, st),
      },
    });
    entry.session = session;
    // Extensions (the file channel) add to the connection before its first offer goes out.
    entry.cleanup =
      this.o.onPeerConnection?.(peer, session.pc, { initiator: mode === 'offer' }) ?? null;
    if (this.screen) {
      const { track, stream, audio } = this.screen;
      session.setScreen({ track, stream, audio });
    }
    for (const deliver of entry.early.splice(0)) deliver(session);
    entry.monitor = new QualityMonitor({
      getStats: () => session.getStats(),
      iceState: () => session.pc.iceConnectionState,
      videoExpected: () => (entry.view.media?.video ?? true) && entry.view.stream !== null,
      cameraMid: () => session.remoteCameraTransceiverMid,
      clock: this.d.clock,
      logger: this.log,
      intervalMs: this.t.qualityIntervalMs,
      onSample: (sample, report) => this.onQuality(entry, sample, report),
    });
    entry.monitor.start();
    if (!entry.held) this.announceTo();
  }

  /**
   * Splits the send budget between the pairs (with a single pair there is no cap), each pair
   * further limited by its network step (adaptation.ts), and sets the step's resolution.
   */
  private applyBitrates(): void {
    const live = [...this.peers.values()].filter((e) => e.session);
    const cap = live.length > 1 ? Math.floor(VIDEO_SEND_BUDGET_BPS / live.length) : null;
    for (const e of live) {
      const session = e.session!;
      const step = e.adaptation.step;
      // One after the other: both change the same sender's parameters.
      void session.setVideoMaxBitrate(combinedMaxBitrate(step, cap)).then(() => {
        const sender = session.cameraSender;
        if (sender && !session.isClosed) void applyVideoScale(sender, step);
      });
    }
  }

  private onRemoteDescription(
    from: string,
    desc: { type: RTCSdpType; sdp?: string | undefined },
  ): void {
    if (desc.type === 'rollback' || desc.type === 'pranswer') return;
    const init: RTCSessionDescriptionInit = { type: desc.type, sdp: desc.sdp ?? '' };
    this.toSession(from, (session) => void session.handleDescription(init));
  }

  /** Hands a peer's signal to its session, holding it while the session is being created. */
  private toSession(from: string, deliver: (session: PeerSession) => void): void {
    if (this.ended) return;
    // A prepared pair's answer may beat `user-joined` across instances (the service relays
    // only between members, so the sender is in the room).
    const entry = this.peers.get(from) ?? this.admitting.get(from);
    if (!entry) {
      this.log.debug('signal from a socket that is not in our room; dropped');
      return;
    }
    if (entry.session) deliver(entry.session);
    else entry.early.push(deliver);
  }

  private onIceStatus(entry: PeerEntry, session: PeerSession, s: IceStatus): void {
    if (entry.session !== session || this.ended) return;
    if (s.kind === 'recovering') this.iceRestarts++; // one per restart (negotiation.ts restartIce)
    this.updateView(entry, { ice: s.kind });
    if (s.kind === 'connected') this.applyBitrates(); // encodings exist now
    const st = this.state;
    // The whole call is reconnecting only when no pair is up; one pair's restart is its tile's.
    const live = [...this.peers.values()].filter((e) => e.session);
    const allRecovering = live.length > 0 && live.every((e) => e.view.ice === 'recovering');
    if (s.kind === 'recovering' && allRecovering) {
      if (st.kind === 'connected' || (st.kind === 'reconnecting' && st.cause === 'ice'))
        this.setState({ kind: 'reconnecting', attempt: s.attempt, cause: 'ice' });
    } else if (s.kind === 'connected') {
      if (st.kind === 'reconnecting' && st.cause === 'ice') this.enterRoom();
    }
  }

  private onQuality(entry: PeerEntry, sample: QualitySample, report: RTCStatsReport): void {
    if (this.ended || !this.peers.has(entry.user.socketId)) return;
    const prevStep = entry.adaptation.step;
    const link = measureLink(report, sample.packetLoss);
    entry.adaptation = nextAdaptation(entry.adaptation, link);
    entry.availableKbps = link.availableKbps;
    const step = entry.adaptation.step;
    if (step !== prevStep) {
      this.log.info('video step', { from: prevStep, to: step, availableKbps: link.availableKbps });
      this.applyBitrates();
    }
    // While the network holds video down, the indicator says so (never better than the step).
    const stepLevel = STEP_LEVEL[step];
    if (LEVEL_ORDER[stepLevel] > LEVEL_ORDER[sample.level])
      sample = { ...sample, level: stepLevel };
    if (sample.localAudioLevel !== undefined && sample.localAudioLevel !== null)
      this.localAudioLevel = sample.localAudioLevel;
    this.updateView(entry, { quality: sample });
    const worst = this.snap.quality;
    if (!worst) return;
    const last = this.lastQualitySent;
    const now = this.d.clock.now();
    if (last && last.level === worst.level && now - last.at < this.t.qualityReportMs) return;
    const sent = this.signaling?.send('call-quality', {
      roomId: this.o.roomId,
      rttMs: worst.rttMs === null ? null : Math.min(60_000, worst.rttMs),
      packetLoss: worst.packetLoss,
      bitrateKbps: worst.bitrateKbps === null ? null : Math.min(1_000_000, worst.bitrateKbps),
      iceState: worst.iceState,
      level: worst.level,
      ...(typeof worst.relay === 'boolean' ? { relay: worst.relay } : {}),
      iceRestarts: this.iceRestarts,
    });
    if (sent) this.lastQualitySent = { at: now, level: worst.level };
  }

  private updateView(entry: PeerEntry, patch: Partial<RemotePeer>): void {
    entry.view = { ...entry.view, ...patch };
    if (this.peers.get(entry.user.socketId) === entry) this.publishPeers();
  }

  /** Rebuilds the snapshot's view of the others: the tiles and the main peer's fields. */
  private publishPeers(): void {
    const views = [...this.peers.values()].map((e) => e.view);
    const main = this.mainPeer()?.view ?? null;
    let worst: QualitySample | null = null;
    for (const v of views)
      if (v.quality && (!worst || LEVEL_ORDER[v.quality.level] > LEVEL_ORDER[worst.level]))
        worst = v.quality;
    // The most limited pair's step (audio-only is offered when any pair is at the floor).
    const order = ['full', 'reduced', 'low', 'floor'] as const;
    let net: PeerEntry | null = null;
    for (const e of this.peers.values())
      if (
        e.session &&
        (!net || order.indexOf(e.adaptation.step) > order.indexOf(net.adaptation.step))
      )
        net = e;
    this.set({
      network: net
        ? {
            step: net.adaptation.step,
            suggestAudioOnly: net.adaptation.step === 'floor' && !this.snap.audioOnly,
            availableKbps: net.availableKbps,
          }
        : null,
      peers: views,
      remoteStream: main?.stream ?? null,
      remoteScreenStream: main?.screenStream ?? null,
      remoteMedia: main?.media ?? null,
      remoteSharing: main?.sharing ?? false,
      quality: worst,
      // A member who left, muted or whose pair went down stops being the speaker at once.
      activeSpeaker: (this.speaker = forgetAbsent(this.speaker, this.speakerLevels())).speaker,
    });
    this.syncSpeakerPoll();
  }

  // ---- active speaker -------------------------------------------------------------------------

  /**
   * The level poll (and our level meter, an AudioContext) runs only in a visit of 3 or 4: the
   * speaking highlight is shown on the grids, and a two-person call has no one to tell apart.
   */
  private syncSpeakerPoll(): void {
    const wanted = !this.ended && this.peers.size >= 2;
    if (wanted && this.speakerTimer === null) {
      this.speakerTimer = this.d.clock.setInterval(() => this.pollSpeaker(), this.t.speakerPollMs);
      this.attachLevelMeter();
    } else if (!wanted && this.speakerTimer !== null) {
      this.d.clock.clearInterval(this.speakerTimer);
      this.speakerTimer = null;
      this.levelMeter?.close();
      this.levelMeter = null;
    }
  }

  /**
   * While the poll runs, the meter measures the microphone we send, following every change of
   * it (device switch, unplug); while muted it measures nothing (we are not a candidate then).
   */
  private attachLevelMeter(): void {
    if (this.speakerTimer === null) return;
    const track = this.media.flags.audio ? this.media.audioTrack : null;
    if (!this.levelMeter) {
      if (!track || !this.d.createLevelMeter) return;
      try {
        this.levelMeter = this.d.createLevelMeter();
      } catch (err) {
        this.log.warn('no local level meter', { error: errorName(err) });
        return;
      }
    }
    this.levelMeter.attach(track);
  }

  private pollSpeaker(): void {
    if (this.ended) return;
    this.speaker = nextSpeaker(this.speaker, this.speakerLevels(), this.d.clock.now());
    // Only a change of speaker is published: the poll itself re-renders nothing.
    if (this.speaker.speaker !== this.snap.activeSpeaker)
      this.set({ activeSpeaker: this.speaker.speaker });
  }

  /**
   * Everyone who may be the speaker now, with their level (null: unknown): us while our mic is
   * on, and each peer whose microphone is on and whose pair is up.
   */
  private speakerLevels(): Map<string, number | null> {
    const levels = new Map<string, number | null>();
    const me = this.snap.socketId;
    if (me !== null && this.media.flags.audio)
      levels.set(me, this.levelMeter?.read() ?? this.localAudioLevel);
    for (const e of this.peers.values())
      if (e.session && e.view.media?.audio !== false && e.view.ice === 'connected')
        levels.set(e.user.socketId, this.peerAudioLevel(e, e.session));
    return levels;
  }

  /**
   * A peer's microphone level now: `getSynchronizationSources()` is synchronous and cheap (the
   * level comes with each RTP packet, RFC 6464 header extension, as linear 0..1). Where it is
   * missing, or reports no level yet, the last getStats sample's (every 2 s).
   */
  private peerAudioLevel(entry: PeerEntry, session: PeerSession): number | null {
    const rx = session.microphoneReceiver;
    if (rx && typeof rx.getSynchronizationSources === 'function') {
      let level: number | null = null;
      for (const s of rx.getSynchronizationSources())
        if (typeof s.audioLevel === 'number' && Number.isFinite(s.audioLevel))
          level = Math.max(level ?? 0, s.audioLevel);
      if (level !== null) return level;
    }
    return entry.view.quality?.audioLevel ?? null;
  }

  private dropEntry(entry: PeerEntry): void {
    if (this.peers.get(entry.user.socketId) === entry) this.peers.delete(entry.user.socketId);
    entry.early = [];
    entry.monitor?.stop();
    entry.monitor = null;
    const cleanup = entry.cleanup;
    entry.cleanup = null;
    cleanup?.();
    entry.session?.close();
    entry.session = null;
    if (this.peers.size === 0) this.lastQualitySent = null;
    this.applyBitrates();
  }

  private dropAllPeers(): void {
    for (const id of [...this.admitting.keys()]) this.discardPrepared(id);
    for (const e of [...this.peers.values()]) this.dropEntry(e);
    this.publishPeers();
  }

  // ---- controls -------------------------------------------------------------------------------

  private inRoom(): boolean {
    const k = this.state.kind;
    return k === 'connected' || k === 'reconnecting';
  }

  private sendMediaState(): void {
    if (!this.inRoom()) return;
    const f = this.media.flags;
    this.signaling?.send('media-state', { roomId: this.o.roomId, audio: f.audio, video: f.video });
  }

  private sendScreenToggle(isSharing: boolean): void {
    if (!this.inRoom()) return;
    this.signaling?.send('screen-share-toggle', {
      roomId: this.o.roomId,
      isSharing,
      userName: this.o.userName,
    });
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.media.setEnabled('audio', enabled);
    this.publishLocal();
    this.sendMediaState();
  }

  setCameraEnabled(enabled: boolean): void {
    this.media.setEnabled('video', enabled);
    this.publishLocal();
    this.sendMediaState();
  }

  async switchCamera(deviceId?: string): Promise<void> {
    this.assertActive();
    try {
      await this.media.switchCamera(deviceId);
    } catch (err) {
      throw new CallError('media-failed', 'could not switch camera', { cause: err });
    } finally {
      this.publishLocal();
    }
  }

  async switchMicrophone(deviceId: string): Promise<void> {
    this.assertActive();
    try {
      await this.media.switchMicrophone(deviceId);
    } catch (err) {
      throw new CallError('media-failed', 'could not switch microphone', { cause: err });
    } finally {
      this.publishLocal();
    }
  }

  /** Applies where `setSinkId` exists (Chromium, Electron, recent Safari/Firefox); remembered. */
  async setSpeaker(deviceId: string, elements: readonly HTMLMediaElement[]): Promise<void> {
    for (const el of elements) {
      const withSink = el as HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };
      if (typeof withSink.setSinkId === 'function') await withSink.setSinkId(deviceId);
    }
    this.set({ devices: { ...this.snap.devices, speakerId: deviceId } });
  }

  async setAudioOnly(audioOnly: boolean): Promise<void> {
    this.assertActive();
    try {
      await this.media.setAudioOnly(audioOnly);
    } catch (err) {
      throw new CallError('media-failed', 'could not turn the camera back on', { cause: err });
    } finally {
      this.publishLocal();
      this.sendMediaState();
    }
  }

  async setVideoFilter(filter: VideoFilter | null): Promise<void> {
    if (this.videoFilter === filter) return;
    this.videoFilter = filter;
    const sent = this.sentVideoTrack();
    await Promise.all([...this.sessions()].map((session) => session.setTrack('video', sent)));
  }

  /** The track our camera sender carries: the camera, or its filtered form. */
  private sentVideoTrack(): MediaStreamTrack | null {
    const camera = this.media.videoTrack;
    return camera && this.videoFilter ? this.videoFilter.apply(camera) : camera;
  }

  async startScreenShare(options: ScreenShareOptions = {}): Promise<void> {
    this.assertActive();
    if (this.screen) return;
    const md = this.d.mediaDevices;
    if (!md || typeof md.getDisplayMedia !== 'function')
      throw new CallError('not-supported', 'screen sharing is not available here');
    let stream: MediaStream;
    try {
      stream = await md.getDisplayMedia({ video: true, audio: options.systemAudio === true });
    } catch (err) {
      const code = mediaErrorKind(err) === 'denied' ? 'media-denied' : 'media-failed';
      throw new CallError(code, 'screen sharing did not start', { cause: err });
    }
    const track = stream.getVideoTracks()[0];
    if (this.ended || this.screen || !track) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    // Text on a shared screen matters more than motion.
    if ('contentHint' in track) track.contentHint = 'detail';
    // The browser's own "Stop sharing" button ends the track.
    const onEnded = () => this.stopScreenShare();
    track.addEventListener('ended', onEnded);
    // Asking for audio is a request, not a promise: the picker may share the screen without it.
    const audio = options.systemAudio === true ? (stream.getAudioTracks()[0] ?? null) : null;
    this.screen = { stream, track, audio, onEnded };
    for (const session of this.sessions()) session.setScreen({ track, stream, audio });
    this.set({ localScreenStream: stream });
    this.sendScreenToggle(true);
  }

  stopScreenShare(): void {
    const s = this.screen;
    if (!s) return;
    this.screen = null;
    s.track.removeEventListener('ended', s.onEnded);
    for (const t of s.stream.getTracks()) t.stop();
    for (const session of this.sessions()) session.setScreen(null);
    this.set({ localScreenStream: null });
    this.sendScreenToggle(false);
  }

  async sendChat(text: string): Promise<void> {
    const message = text.trim();
    if (!message) return;
    if (message.length > MAX_CHAT_LENGTH)
      throw new CallError('bad-request', `messages are limited to ${MAX_CHAT_LENGTH} characters`);
    if (!this.inRoom() || !this.signaling) throw new CallError('not-in-room', 'not in the call');
    const seenBefore = this.ownChatSeen;
    const res = await this.signaling.request(
      'chat-message',
      { roomId: this.o.roomId, message, userName: this.o.userName, userType: this.o.userType },
      this.t.ackTimeoutMs,
      this.d.clock,
    );
    if (!res.ok) throw CallError.fromBody(res.error);
    // Services that broadcast to the room but not back to the sender: show our own line.
    if (this.ownChatSeen === seenBefore && !this.ended)
      this.set({
        chat: [
          ...this.snap.chat,
          {
            id: `local-${++this.localChatSeq}`,
            roomId: this.o.roomId,
            message,
            userName: this.o.userName,
            userType: this.o.userType,
            socketId: this.snap.socketId ?? '',
            timestamp: new Date(this.d.clock.now()).toISOString(),
          },
        ].slice(-MAX_CHAT_KEPT),
      });
  }

  /** Listens to a recording-consent server event; returns an unsubscribe function. */
  onVisitEvent<K extends VisitServerEvent>(
    event: K,
    handler: (payload: ServerPayload<K>) => void,
  ): () => void {
    let set = this.visitListeners.get(event);
    if (!set) this.visitListeners.set(event, (set = new Set()));
    const fn = handler as (payload: never) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Sends a recording-consent or file-audit event and resolves to the service's answer. */
  sendVisitEvent<K extends VisitClientEvent>(
    event: K,
    payload: z.input<(typeof recordingClientEventSchemas)[K]>,
  ): Promise<Result<unknown>> {
    if (!this.inRoom() || !this.signaling)
      return Promise.resolve({
        ok: false,
        error: { code: 'not-in-room', message: 'not in the call' },
      });
    return this.signaling.request(
      event,
      payload as ClientPayload<K>,
      this.t.ackTimeoutMs,
      this.d.clock,
    ) as Promise<Result<unknown>>;
  }

  async admit(socketId: string): Promise<void> {
    this.assertDoctor();
    this.prepareForAdmit(socketId);
    const offer = this.takePreparedOffer(socketId);
    const res = await this.signaling!.request(
      'admit-patient',
      { roomId: this.o.roomId, socketId, ...(offer ? { offer } : {}) },
      this.t.ackTimeoutMs,
      this.d.clock,
    );
    if (!res.ok) {
      // Refused (the person left, the visit is full): the pair is not needed as it stands.
      this.discardPrepared(socketId);
      this.prepareWaiting();
      throw CallError.fromBody(res.error);
    }
    // The service sends `user-joined` before its ack, so a pair still held here is promoted
    // when it comes (across instances the two may cross). One whose offer did not go with the
    // admit is dropped, and the pair is set up on `user-joined` as without preparation.
    if (!offer) this.discardPrepared(socketId);
  }

  /**
   * The prepared pair's offer, if it is made, for the admit to carry: the local description as
   * it stands, which holds the candidates gathered so far (a browser adds each to it before
   * announcing it). The held offer and those candidates are not sent again; the others still
   * trickle on `user-joined`.
   */
  private takePreparedOffer(socketId: string): { type: 'offer'; sdp: string } | null {
    const entry = this.admitting.get(socketId);
    const pc = entry?.session?.pc;
    const d = pc?.localDescription;
    if (!entry || !pc || pc.signalingState !== 'have-local-offer' || d?.type !== 'offer')
      return null;
    entry.held = (entry.held ?? []).filter(
      (h) => h.kind === 'candidate' && !d.sdp.includes(`a=${h.candidate ?? ''}\r\n`),
    );
    entry.admitSent = true;
    return { type: 'offer', sdp: d.sdp };
  }

  async endCall(): Promise<void> {
    this.assertDoctor();
    const res = await this.signaling!.request(
      'end-call',
      { roomId: this.o.roomId },
      this.t.ackTimeoutMs,
      this.d.clock,
    );
    // The service's `call-ended` may beat its ack and end (and disconnect) us first.
    if (this.ended) return;
    if (!res.ok) throw CallError.fromBody(res.error);
    this.finish('ended-by-doctor');
  }

  renewToken(token: string): void {
    if (this.ended || token === this.auth.token) return;
    this.auth.token = token;
    const sig = this.signaling;
    if (!sig?.connected) return;
    void sig.request('renew-token', { token }, this.t.ackTimeoutMs, this.d.clock).then((res) => {
      if (!res.ok) this.log.warn('token renewal refused', { code: res.error.code });
    });
  }

  leave(): void {
    if (this.ended) return;
    if (this.inRoom() || this.state.kind === 'waiting')
      this.signaling?.send('leave-call', { roomId: this.o.roomId, userId: this.o.userId });
    this.finish('left');
  }

  /** The main peer's connection stats (null without a peer), for diagnostics and tests. */
  getStats(): Promise<RTCStatsReport | null> {
    const main = this.mainPeer();
    return main ? this.getPeerStats(main.user.socketId) : Promise.resolve(null);
  }

  /** One pair's connection stats (null when there is no such peer, or no session yet). */
  getPeerStats(socketId: string): Promise<RTCStatsReport | null> {
    const session = this.peers.get(socketId)?.session;
    return session ? session.getStats() : Promise.resolve(null);
  }

  private assertActive(): void {
    if (this.ended) throw new CallError('invalid-state', 'the call has ended');
  }

  private assertDoctor(): void {
    this.assertActive();
    if (this.o.userType !== 'doctor') throw new CallError('forbidden', 'doctor only');
    if (!this.signaling) throw new CallError('invalid-state', 'join first');
  }

  // ---- end --------------------------------------------------------------------------------------

  private clearTimer(name: 'joinTimer' | 'giveUpTimer' | 'retryTimer'): void {
    if (this[name] !== null) this.d.clock.clearTimeout(this[name]);
    this[name] = null;
  }

  private finish(reason: CallEndReason, error?: ErrorBody, duration?: number | null): void {
    if (this.ended) return;
    this.clearTimer('joinTimer');
    this.clearTimer('giveUpTimer');
    this.clearTimer('retryTimer');
    if (this.screen) {
      const s = this.screen;
      this.screen = null;
      s.track.removeEventListener('ended', s.onEnded);
      for (const t of s.stream.getTracks()) t.stop();
    }
    for (const id of [...this.admitting.keys()]) this.discardPrepared(id);
    for (const e of [...this.peers.values()]) this.dropEntry(e);
    this.syncSpeakerPoll();
    this.speaker = noSpeaker;
    this.media.stop();
    this.signaling?.close();
    const d =
      duration !== undefined
        ? duration
        : this.callStartedAt === null
          ? null
          : Math.round((this.d.clock.now() - this.callStartedAt) / 1000);
    this.log.info('call ended', { reason, code: error?.code ?? null });
    this.set({
      state: { kind: 'ended', reason, ...(error ? { error } : {}), duration: d },
      socketId: null,
      localStream: null,
      ...NO_REMOTE,
      peers: [],
      activeSpeaker: null,
      localScreenStream: null,
      localMedia: { audio: false, video: false },
      quality: null,
      network: null,
      waitingRoom: [],
    });
    this.settleJoin();
  }
}
