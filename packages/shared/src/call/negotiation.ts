// DOM: one RTCPeerConnection to one remote peer, negotiated with the W3C "perfect negotiation"
// pattern (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example): the doctor is
// impolite, the patient polite; either side may (re)negotiate at any time and offer glare
// resolves itself (in a visit of 3 or 4 each pair has its own session, and the engine picks
// who is polite per pair). ICE trickles both ways and nobody waits for gathering.
//
// Transceiver layout, the same on both sides: the first audio and the first video m-line carry
// microphone and camera ("canonical", always sendrecv, their tracks swapped with replaceTrack);
// a screen share is an extra sendonly video transceiver added after them (and, when the
// computer's sound is shared with it, a sendonly audio transceiver after that), so the receiver
// tells screen from camera by position alone — no extra signaling needed.
import type { Clock } from './clock.js';
import { errorName, type Logger } from './logger.js';
import { preferVideoCodecs, videoCodecOrder } from './codecs.js';

const localCodecOrder = () =>
  typeof navigator === 'undefined'
    ? 'vp8-first'
    : videoCodecOrder(navigator.userAgent, navigator.maxTouchPoints ?? 0);

export type MediaKind = 'audio' | 'video';

export type IceStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  /** ICE failed, or stayed disconnected past the grace period: an ICE restart is under way. */
  | { kind: 'recovering'; attempt: number };

export interface PeerSessionCallbacks {
  sendDescription(description: RTCSessionDescriptionInit): void;
  sendCandidate(candidate: RTCIceCandidateInit): void;
  /**
   * The remote camera+microphone stream and the remote screen stream (null when absent; it
   * carries the shared computer sound too, when the sender shares it).
   */
  remoteStreams(camera: MediaStream | null, screen: MediaStream | null): void;
  iceStatus(status: IceStatus): void;
}

export interface NegotiationTiming {
  /** A newcomer waits this long for the member already in the room to offer, then offers itself. */
  offerFallbackMs: number;
  /** How long `disconnected` may last before an ICE restart (it often heals on its own). */
  iceDisconnectedGraceMs: number;
  /** If a restart has not reconnected ICE after this long, restart again. */
  iceRestartRetryMs: number;
}

export const defaultTiming: NegotiationTiming = {
  offerFallbackMs: 3000,
  iceDisconnectedGraceMs: 2000,
  iceRestartRetryMs: 10_000,
};

/** What a screen share sends: its video, and the computer's sound when shared with it. */
export interface ScreenShareTracks {
  track: MediaStreamTrack;
  stream: MediaStream;
  audio?: MediaStreamTrack | null;
}

export interface PeerSessionOptions {
  polite: boolean;
  /** `offer`: we are the member already in the room; `await-offer`: the newcomer. */
  mode: 'offer' | 'await-offer';
  config: RTCConfiguration;
  tracks: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  localStream: MediaStream | null;
  RTCPeerConnection: typeof RTCPeerConnection;
  MediaStream: typeof MediaStream;
  clock: Clock;
  logger: Logger;
  callbacks: PeerSessionCallbacks;
  timing?: Partial<NegotiationTiming>;
  /** Fresh ICE servers (TURN credentials expire) before an ICE restart; null keeps the old ones. */
  refreshConfig?: () => Promise<RTCConfiguration | null>;
}

const isStopped = (t: RTCRtpTransceiver): boolean =>
  (t.direction as string) === 'stopped' ||
  (t.currentDirection as string) === 'stopped' ||
  (t as unknown as { stopped?: boolean }).stopped === true;
const receives = (d: RTCRtpTransceiverDirection | null | undefined): boolean =>
  d === 'sendrecv' || d === 'recvonly';
const toInit = (
  d: RTCSessionDescription | RTCSessionDescriptionInit,
): RTCSessionDescriptionInit => ({
  type: d.type,
  sdp: d.sdp ?? '',
});

export class PeerSession {
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  private readonly o: PeerSessionOptions;
  private readonly timing: NegotiationTiming;
  private readonly log: Logger;
  private closed = false;

  // Perfect negotiation state.
  private makingOffer = false;
  private ignoreOffer = false;
  private isSettingRemoteAnswerPending = false;
  private remoteDescriptionsInFlight = 0;
  private pendingCandidates: RTCIceCandidateInit[] = [];

  private tracks: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  private localStream: MediaStream | null;
  private readonly tx: { audio: RTCRtpTransceiver | null; video: RTCRtpTransceiver | null } = {
    audio: null,
    video: null,
  };
  private screen: ScreenShareTracks | null = null;
  private screenTx: RTCRtpTransceiver | null = null;
  private screenAudioTx: RTCRtpTransceiver | null = null;
  private maxVideoBitrate: number | null = null;

  private remoteCamera: MediaStream | null = null;
  private remoteCameraTracks: MediaStreamTrack[] = [];
  private remoteScreen: MediaStream | null = null;
  private remoteScreenTracks: MediaStreamTrack[] = [];
  private reported: { camera: MediaStream | null; screen: MediaStream | null } = {
    camera: null,
    screen: null,
  };

  private offerFallbackTimer: unknown = null;
  private disconnectTimer: unknown = null;
  private restartRetryTimer: unknown = null;
  private iceAttempt = 0;
  private everConnected = false;

  constructor(options: PeerSessionOptions) {
    this.o = options;
    this.polite = options.polite;
    this.timing = { ...defaultTiming, ...options.timing };
    this.log = options.logger;
    this.tracks = { ...options.tracks };
    this.localStream = options.localStream;
    const pc = new options.RTCPeerConnection(options.config);
    this.pc = pc;

    pc.onnegotiationneeded = () => void this.negotiate();
    pc.onicecandidate = (ev) => {
      // End-of-candidates is not forwarded: trickle works without it and some browsers
      // have rejected an empty candidate.
      if (this.closed || !ev.candidate || !ev.candidate.candidate) return;
      this.o.callbacks.sendCandidate(
        typeof ev.candidate.toJSON === 'function' ? ev.candidate.toJSON() : ev.candidate,
      );
    };
    pc.ontrack = () => this.updateRemote();
    pc.oniceconnectionstatechange = () => this.onIceState();

    if (options.mode === 'offer') this.ensureCanonical();
    else
      this.offerFallbackTimer = options.clock.setTimeout(() => {
        this.offerFallbackTimer = null;
        if (this.closed || this.pc.remoteDescription) return;
        this.log.info('no offer from the peer yet; offering ourselves');
        this.ensureCanonical();
      }, this.timing.offerFallbackMs);
  }

  /** The canonical transceivers, created by us (the offering side). */
  private ensureCanonical(): void {
    for (const kind of ['audio', 'video'] as const) {
      if (this.tx[kind]) continue;
      const tx = this.pc.addTransceiver(this.tracks[kind] ?? kind, {
        direction: 'sendrecv',
        streams: this.localStream ? [this.localStream] : [],
      });
      if (kind === 'video') preferVideoCodecs(tx, localCodecOrder());
      this.tx[kind] = tx;
    }
    this.attachScreen();
  }

  private async setLocal(): Promise<void> {
    try {
      await this.pc.setLocalDescription();
    } catch (err) {
      // Browsers without the parameterless form (pre-2020) throw a TypeError.
      if (!(err instanceof TypeError)) throw err;
      const d =
        this.pc.signalingState === 'have-remote-offer'
          ? await this.pc.createAnswer()
          : await this.pc.createOffer();
      await this.pc.setLocalDescription(d);
    }
  }

  private async negotiate(): Promise<void> {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.setLocal();
      const d = this.pc.localDescription;
      if (d && !this.closed) {
        this.log.debug('sending description', { type: d.type });
        this.o.callbacks.sendDescription(toInit(d));
      }
    } catch (err) {
      if (!this.closed) this.log.warn('could not create an offer', { error: errorName(err) });
    } finally {
      this.makingOffer = false;
    }
  }

  /** An offer or answer from the peer. Never throws. */
  async handleDescription(description: RTCSessionDescriptionInit): Promise<void> {
    if (this.closed) return;
    const pc = this.pc;
    try {
      const readyForOffer =
        !this.makingOffer && (pc.signalingState === 'stable' || this.isSettingRemoteAnswerPending);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) {
        this.log.debug('ignoring a colliding offer (impolite side)');
        return;
      }
      if (offerCollision) this.log.debug('offer collision: rolling back (polite side)');
      this.log.debug('applying remote description', { type: description.type });
      this.isSettingRemoteAnswerPending = description.type === 'answer';
      this.remoteDescriptionsInFlight++;
      try {
        // An offer in have-local-offer rolls back our own offer implicitly.
        await pc.setRemoteDescription(description);
      } finally {
        this.remoteDescriptionsInFlight--;
        this.isSettingRemoteAnswerPending = false;
      }
      if (this.closed) return;
      if (this.offerFallbackTimer !== null) {
        this.o.clock.clearTimeout(this.offerFallbackTimer);
        this.offerFallbackTimer = null;
      }
      await this.adoptCanonical();
      if (description.type === 'offer') {
        await this.setLocal();
        const d = pc.localDescription;
        if (d && !this.closed) {
          this.log.debug('sending description', { type: d.type });
          this.o.callbacks.sendDescription(toInit(d));
        }
      }
      this.updateRemote();
      await this.flushCandidates();
    } catch (err) {
      if (!this.closed)
        this.log.warn('could not apply remote description', {
          type: description.type,
          error: errorName(err),
        });
    }
  }

  /** A trickled candidate from the peer. Never throws. */
  async handleCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    if (this.closed || !candidate || !candidate.candidate) return;
    if (!this.pc.remoteDescription && this.remoteDescriptionsInFlight === 0) {
      // Arrived before the description it belongs to (or that description was ignored).
      if (!this.ignoreOffer) this.pendingCandidates.push(candidate);
      return;
    }
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (err) {
      // Candidates of an offer we ignored are expected to fail.
      if (!this.ignoreOffer && !this.closed)
        this.log.debug('candidate rejected', { error: errorName(err) });
    }
  }

  private async flushCandidates(): Promise<void> {
    if (!this.pc.remoteDescription || this.pendingCandidates.length === 0) return;
    const queued = this.pendingCandidates.splice(0);
    for (const c of queued) {
      try {
        await this.pc.addIceCandidate(c);
      } catch (err) {
        // May belong to a description that was rolled back in glare.
        this.log.debug('queued candidate rejected', { error: errorName(err) });
      }
    }
  }

  /**
   * After a remote description: make the first negotiated audio and video transceivers ours
   * for camera and microphone. The newcomer gets them from the offer; in glare the polite side
   * drops the unnegotiated ones it had created for its own rolled-back offer.
   */
  private async adoptCanonical(): Promise<void> {
    for (const kind of ['audio', 'video'] as const) {
      const current = this.tx[kind];
      if (current && current.mid !== null && !isStopped(current)) continue;
      const found = this.pc
        .getTransceivers()
        .find(
          (t) =>
            t.mid !== null &&
            !isStopped(t) &&
            t.receiver.track.kind === kind &&
            t !== this.screenTx &&
            t !== this.screenAudioTx,
        );
      if (!found) continue;
      if (current && current !== found && !isStopped(current)) current.stop();
      this.tx[kind] = found;
      // The answerer's order decides which shared codec the answer picks first.
      if (kind === 'video') preferVideoCodecs(found, localCodecOrder());
      if (found.direction !== 'sendrecv') found.direction = 'sendrecv';
      if (found.sender.track !== this.tracks[kind])
        await found.sender.replaceTrack(this.tracks[kind]);
      if (this.localStream && typeof found.sender.setStreams === 'function')
        found.sender.setStreams(this.localStream);
    }
    this.attachScreen();
  }

  private updateRemote(): void {
    if (this.closed) return;
    const cameraTracks: MediaStreamTrack[] = [];
    for (const t of [this.tx.audio, this.tx.video])
      if (t && t.mid !== null && !isStopped(t) && receives(t.currentDirection))
        cameraTracks.push(t.receiver.track);
    if (cameraTracks.length === 0) this.remoteCamera = null;
    else if (
      !this.remoteCamera ||
      cameraTracks.length !== this.remoteCameraTracks.length ||
      cameraTracks.some((t, i) => t !== this.remoteCameraTracks[i])
    )
      this.remoteCamera = new this.o.MediaStream(cameraTracks);
    this.remoteCameraTracks = cameraTracks;

    // Whatever else the other side sends is its screen share: one video, maybe one audio.
    const extra = (kind: MediaKind) =>
      this.pc
        .getTransceivers()
        .find(
          (t) =>
            t !== this.tx.audio &&
            t !== this.tx.video &&
            t !== this.screenTx &&
            t !== this.screenAudioTx &&
            t.mid !== null &&
            !isStopped(t) &&
            t.receiver.track.kind === kind &&
            receives(t.currentDirection),
        );
    const screenTrack = extra('video')?.receiver.track ?? null;
    // Only beside a screen, and only once our microphone line is known (else it is that one).
    const screenAudio = screenTrack && this.tx.audio ? extra('audio')?.receiver.track : undefined;
    const screenTracks = screenTrack ? [screenTrack, ...(screenAudio ? [screenAudio] : [])] : [];
    if (screenTracks.length === 0) this.remoteScreen = null;
    else if (
      !this.remoteScreen ||
      screenTracks.length !== this.remoteScreenTracks.length ||
      screenTracks.some((t, i) => t !== this.remoteScreenTracks[i])
    )
      this.remoteScreen = new this.o.MediaStream(screenTracks);
    this.remoteScreenTracks = screenTracks;

    if (this.reported.camera !== this.remoteCamera || this.reported.screen !== this.remoteScreen) {
      this.reported = { camera: this.remoteCamera, screen: this.remoteScreen };
      this.o.callbacks.remoteStreams(this.remoteCamera, this.remoteScreen);
    }
  }

  // ---- local media ------------------------------------------------------------------------------

  /** Swaps what we send for camera or microphone; null sends nothing. No renegotiation. */
  async setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    this.tracks[kind] = track;
    const t = this.tx[kind];
    if (!t || isStopped(t) || this.closed) return;
    if (t.sender.track !== track) await t.sender.replaceTrack(track);
  }

  setLocalStream(stream: MediaStream | null): void {
    this.localStream = stream;
  }

  /**
   * Starts (tracks) or stops (null) sending a screen share on its own transceiver, and the
   * computer's sound shared with it on one more.
   */
  setScreen(share: ScreenShareTracks | null): void {
    if (this.closed) return;
    if (share) {
      if (
        this.screen?.track === share.track &&
        (this.screen.audio ?? null) === (share.audio ?? null)
      )
        return;
      this.removeScreenTx();
      this.screen = share;
      this.attachScreen();
    } else {
      this.screen = null;
      this.removeScreenTx();
    }
  }

  /**
   * Caps what we send this peer on camera and screen (bits/s; null lifts the cap). In a mesh
   * our uplink carries one copy per peer, so the engine splits a budget between them.
   * Encodings exist only once negotiated: before that this is a no-op and the engine calls it
   * again when the pair connects.
   */
  async setVideoMaxBitrate(bps: number | null): Promise<void> {
    this.maxVideoBitrate = bps;
    for (const t of [this.tx.video, this.screenTx]) {
      if (!t || isStopped(t) || this.closed) continue;
      const params = t.sender.getParameters();
      if (!params.encodings || params.encodings.length === 0) continue;
      let changed = false;
      for (const e of params.encodings) {
        if (bps === null && e.maxBitrate !== undefined) {
          delete e.maxBitrate;
          changed = true;
        } else if (bps !== null && e.maxBitrate !== bps) {
          e.maxBitrate = bps;
          changed = true;
        }
      }
      if (!changed) continue;
      try {
        await t.sender.setParameters(params);
      } catch (err) {
        // A renegotiation in flight invalidates the transaction id; the next call applies it.
        this.log.debug('setParameters failed', { error: errorName(err) });
      }
    }
  }

  /** The cap last asked for (null: none). */
  get videoMaxBitrate(): number | null {
    return this.maxVideoBitrate;
  }

  private attachScreen(): void {
    // Only after the camera transceiver exists, so the screen's m-line comes after it.
    if (!this.screen || this.screenTx || !this.tx.video || this.closed) return;
    this.screenTx = this.pc.addTransceiver(this.screen.track, {
      direction: 'sendonly',
      streams: [this.screen.stream],
    });
    if (this.screen.audio)
      this.screenAudioTx = this.pc.addTransceiver(this.screen.audio, {
        direction: 'sendonly',
        streams: [this.screen.stream],
      });
  }

  private removeScreenTx(): void {
    const sent = [this.screenTx, this.screenAudioTx];
    this.screenTx = null;
    this.screenAudioTx = null;
    for (const t of sent) {
      if (!t || isStopped(t)) continue;
      if (typeof t.stop === 'function') t.stop();
      else this.pc.removeTrack(t.sender);
    }
  }

  // ---- ICE ------------------------------------------------------------------------------------

  private onIceState(): void {
    if (this.closed) return;
    const state = this.pc.iceConnectionState;
    this.log.debug('ice state', { state });
    switch (state) {
      case 'connected':
      case 'completed':
        this.clearIceTimers();
        this.iceAttempt = 0;
        this.everConnected = true;
        this.o.callbacks.iceStatus({ kind: 'connected' });
        return;
      case 'failed':
        this.clearTimer('disconnectTimer');
        if (this.restartRetryTimer === null) this.restartIce();
        return;
      case 'disconnected':
        if (this.disconnectTimer === null && this.restartRetryTimer === null)
          this.disconnectTimer = this.o.clock.setTimeout(() => {
            this.disconnectTimer = null;
            const s = this.pc.iceConnectionState;
            if (s === 'disconnected' || s === 'failed') this.restartIce();
          }, this.timing.iceDisconnectedGraceMs);
        return;
      case 'new':
      case 'checking':
        if (!this.everConnected) this.o.callbacks.iceStatus({ kind: 'connecting' });
        return;
      case 'closed':
        return;
    }
  }

  /** Starts an ICE restart (and keeps retrying until ICE connects again). */
  restartIce(): void {
    if (this.closed) return;
    this.clearIceTimers();
    this.iceAttempt++;
    this.log.info('ice restart', { attempt: this.iceAttempt });
    this.o.callbacks.iceStatus({ kind: 'recovering', attempt: this.iceAttempt });
    this.restartRetryTimer = this.o.clock.setTimeout(() => {
      this.restartRetryTimer = null;
      const s = this.pc.iceConnectionState;
      if (s !== 'connected' && s !== 'completed') this.restartIce();
    }, this.timing.iceRestartRetryMs);
    const go = (config: RTCConfiguration | null) => {
      if (this.closed) return;
      if (config) {
        try {
          this.pc.setConfiguration(config);
        } catch (err) {
          this.log.debug('setConfiguration refused', { error: errorName(err) });
        }
      }
      if (typeof this.pc.restartIce === 'function') this.pc.restartIce();
      else
        void this.pc.createOffer({ iceRestart: true }).then((o) => this.pc.setLocalDescription(o));
    };
    if (this.o.refreshConfig) this.o.refreshConfig().then(go, () => go(null));
    else go(null);
  }

  private clearTimer(name: 'disconnectTimer' | 'restartRetryTimer' | 'offerFallbackTimer'): void {
    if (this[name] !== null) this.o.clock.clearTimeout(this[name]);
    this[name] = null;
  }
  private clearIceTimers(): void {
    this.clearTimer('disconnectTimer');
    this.clearTimer('restartRetryTimer');
  }

  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  /** The receiver of the remote camera, for stats scoped to it. */
  get remoteCameraTransceiverMid(): string | null {
    return this.tx.video?.mid ?? null;
  }

  /** The receiver of the remote microphone (not a shared screen's sound), once it receives. */
  get microphoneReceiver(): RTCRtpReceiver | null {
    const t = this.tx.audio;
    return t && t.mid !== null && !isStopped(t) && receives(t.currentDirection) ? t.receiver : null;
  }

  /** The camera's sender (network adaptation limits its bitrate and resolution). */
  get cameraSender(): RTCRtpSender | null {
    const t = this.tx.video;
    return t && !isStopped(t) ? t.sender : null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearIceTimers();
    this.clearTimer('offerFallbackTimer');
    const pc = this.pc;
    pc.onnegotiationneeded = null;
    pc.onicecandidate = null;
    pc.ontrack = null;
    pc.oniceconnectionstatechange = null;
    try {
      pc.close();
    } catch {
      // already closed
    }
  }
}
