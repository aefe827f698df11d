// Test double (Node): enough of RTCPeerConnection's negotiation state machine to exercise
// perfect negotiation without a browser — an operations chain, signalingState transitions,
// implicit setLocalDescription()/rollback, negotiationneeded, trickled candidates, transceivers
// (addTrack / addTransceiver / replaceTrack / removeTrack / stop) and ICE states.
// Its "SDP" is JSON describing m-lines; it is only ever read by another FakePeerConnection.
// Real WebRTC is covered in real Chromium (bench/call-setup.bench.ts, turn.e2e.test.ts).
import { FakeMediaStreamTrack, type FakeKind } from './fakeMedia.js';

type Dir = RTCRtpTransceiverDirection;

interface MLine {
  mid: string;
  kind: FakeKind;
  dir: Dir;
  stopped: boolean;
  msid: string[];
}
interface FakeSdp {
  fake: 1;
  ufrag: string;
  m: MLine[];
}

const dom = (name: string, message: string) => new DOMException(message, name);
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

const reverse = (d: Dir): Dir =>
  d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d;
const hasSend = (d: Dir | null) => d === 'sendrecv' || d === 'sendonly';
const hasRecv = (d: Dir | null) => d === 'sendrecv' || d === 'recvonly';
/** JSEP: the answer's direction given what we want and what the offer allows. */
const intersect = (want: Dir, offered: Dir): Dir => {
  const send = hasSend(want) && hasRecv(offered);
  const recv = hasRecv(want) && hasSend(offered);
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
};

let ufragSeq = 0;
const newUfrag = () => `u${++ufragSeq}`;

export class FakeRtpSender {
  track: FakeMediaStreamTrack | null;
  streamIds: string[] = [];
  readonly replaced: Array<FakeMediaStreamTrack | null> = [];
  transport = null;
  dtmf = null;
  constructor(track: FakeMediaStreamTrack | null) {
    this.track = track;
  }
  async replaceTrack(track: FakeMediaStreamTrack | null): Promise<void> {
    await Promise.resolve();
    this.track = track;
    this.replaced.push(track);
  }
  setStreams(...streams: Array<{ id: string }>): void {
    this.streamIds = streams.map((s) => s.id);
  }
  private params: { encodings: Array<Record<string, unknown>>; transactionId: string } = {
    encodings: [{ active: true }],
    transactionId: 't0',
  };
  private txSeq = 0;
  /** Every accepted setParameters call's encodings. */
  readonly parameterChanges: Array<Array<Record<string, unknown>>> = [];
  /** The encodings as last set (tests read them, or replace them to model a sender without). */
  get encodings(): Array<Record<string, unknown>> {
    return this.params.encodings;
  }
  set encodings(e: Array<Record<string, unknown>>) {
    this.params = { ...this.params, encodings: e };
  }
  getParameters() {
    this.params.transactionId = `t${++this.txSeq}`;
    return {
      encodings: this.params.encodings.map((e) => ({ ...e })),
      codecs: [],
      headerExtensions: [],
      rtcp: {},
      transactionId: this.params.transactionId,
    };
  }
  /** Like Chromium: a stale transaction id or a changed number of encodings is refused. */
  setParameters(p: {
    encodings: Array<Record<string, unknown>>;
    transactionId: string;
  }): Promise<void> {
    if (p.transactionId !== this.params.transactionId)
      return Promise.reject(dom('InvalidModificationError', 'stale transactionId'));
    if (p.encodings.length !== this.params.encodings.length)
      return Promise.reject(dom('InvalidModificationError', 'encodings changed'));
    this.params = { ...this.params, encodings: p.encodings.map((e) => ({ ...e })) };
    this.parameterChanges.push(this.params.encodings);
    return Promise.resolve();
  }
  getStats(): Promise<RTCStatsReport> {
    return Promise.resolve(new Map() as unknown as RTCStatsReport);
  }
}

export class FakeRtpReceiver {
  readonly track: FakeMediaStreamTrack;
  constructor(kind: FakeKind) {
    this.track = new FakeMediaStreamTrack(kind, {}, 'remote');
    this.track.muted = true;
  }
  getStats(): Promise<RTCStatsReport> {
    return Promise.resolve(new Map() as unknown as RTCStatsReport);
  }
  /**
   * Stands for Chromium's: synchronous, one entry per SSRC that delivered packets in the last
   * 10 s (none before media flows: the fake's track unmutes when ICE connects, and none once
   * stopped); audio entries carry `audioLevel` from the RFC 6464 header extension, which
   * Chromium negotiates by default — here the track's `level`. Video entries carry none.
   */
  getSynchronizationSources(): RTCRtpSynchronizationSource[] {
    const t = this.track;
    if (t.muted || t.readyState === 'ended') return [];
    return [
      {
        source: this.ssrc,
        timestamp: performance.now(),
        rtpTimestamp: 0,
        ...(t.kind === 'audio' ? { audioLevel: t.level } : {}),
      },
    ];
  }
  private readonly ssrc = Math.floor(Math.random() * 2 ** 32);
}

export class FakeRtpTransceiver {
  mid: string | null = null;
  currentDirection: Dir | null = null;
  /** What our last applied local description said for this m-line. */
  negotiatedDirection: Dir | null = null;
  /** What the remote description says the remote does. */
  remoteDirection: Dir | null = null;
  stopped = false;
  /** Stopped and the stop was negotiated: gone from getTransceivers(). */
  removed = false;
  firedTrack = false;
  usedToSend = false;
  readonly sender: FakeRtpSender;
  readonly receiver: FakeRtpReceiver;
  readonly kind: FakeKind;
  readonly createdBy: 'addTrack' | 'addTransceiver' | 'remote';
  private dir: Dir;
  private readonly pc: FakePeerConnection;

  constructor(
    pc: FakePeerConnection,
    kind: FakeKind,
    dir: Dir,
    track: FakeMediaStreamTrack | null,
    createdBy: FakeRtpTransceiver['createdBy'],
  ) {
    this.pc = pc;
    this.kind = kind;
    this.dir = dir;
    this.sender = new FakeRtpSender(track);
    this.receiver = new FakeRtpReceiver(kind);
    this.createdBy = createdBy;
  }
  get direction(): Dir | 'stopped' {
    return this.stopped ? 'stopped' : this.dir;
  }
  set direction(d: Dir | 'stopped') {
    if (this.stopped) throw dom('InvalidStateError', 'transceiver is stopped');
    if (d === 'stopped') throw new TypeError('use stop()');
    if (d === this.dir) return;
    this.dir = d;
    this.pc.updateNegotiationNeeded();
  }
  get wantedDirection(): Dir {
    return this.dir;
  }
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sender.track = null;
    this.receiver.track.endFromSource();
    this.currentDirection = null;
    if (this.mid === null) this.removed = true;
    this.pc.updateNegotiationNeeded();
  }
  setCodecPreferences(): void {}
}

export type FakeStatsProvider = (pc: FakePeerConnection) => Array<Record<string, unknown>>;

export class FakePeerConnection extends EventTarget {
  static instances: FakePeerConnection[] = [];

  readonly configuration: RTCConfiguration;
  signalingState: RTCSignalingState = 'stable';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  iceGatheringState: RTCIceGatheringState = 'new';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  currentLocalDescription: RTCSessionDescriptionInit | null = null;
  currentRemoteDescription: RTCSessionDescriptionInit | null = null;

  onnegotiationneeded: ((ev: Event) => void) | null = null;
  onicecandidate: ((ev: RTCPeerConnectionIceEvent) => void) | null = null;
  ontrack: ((ev: RTCTrackEvent) => void) | null = null;
  oniceconnectionstatechange: ((ev: Event) => void) | null = null;
  onconnectionstatechange: ((ev: Event) => void) | null = null;
  onsignalingstatechange: ((ev: Event) => void) | null = null;
  onicegatheringstatechange: ((ev: Event) => void) | null = null;
  onicecandidateerror: ((ev: Event) => void) | null = null;
  ondatachannel: ((ev: Event) => void) | null = null;

  /** Test controls. */
  statsProvider: FakeStatsProvider = () => [];
  /** When set, ICE never reaches `connected` on its own. */
  holdIce = false;
  readonly log: string[] = [];
  readonly addedCandidates: RTCIceCandidateInit[] = [];
  restartIceCalls = 0;
  negotiationNeededEvents = 0;

  private transceivers: FakeRtpTransceiver[] = [];
  private mlines: MLine[] = [];
  private ops: Promise<unknown> = Promise.resolve();
  private pendingOps = 0;
  private updateOnEmptyChain = false;
  private negotiationNeeded = false;
  private restartIceRequested = false;
  private localUfrag: string | null = null;
  private remoteUfrag: string | null = null;
  private gatheredUfrag: string | null = null;
  private remoteCandidateUfrags = new Set<string>();
  private closed = false;
  /** Transceivers the last local offer gave a mid to (so a rollback can take it back). */
  private offerAssigned: FakeRtpTransceiver[] = [];
  private remoteCreated: FakeRtpTransceiver[] = [];
  private lastOffer: FakeSdp | null = null;

  constructor(configuration: RTCConfiguration = {}) {
    super();
    this.configuration = configuration;
    FakePeerConnection.instances.push(this);
  }

  static reset(): void {
    FakePeerConnection.instances = [];
  }

  // ---- events ---------------------------------------------------------------------------------

  private fire(type: string, extra: Record<string, unknown> = {}): void {
    const ev = Object.assign(new Event(type), extra);
    const handler = (this as unknown as Record<string, ((e: Event) => void) | null>)[`on${type}`];
    handler?.call(this, ev);
    this.dispatchEvent(ev);
  }

  private setSignalingState(s: RTCSignalingState): void {
    if (this.signalingState === s) return;
    this.signalingState = s;
    this.log.push(`signaling:${s}`);
    this.fire('signalingstatechange');
  }

  /** Test control: force an ICE state (as a network change would). */
  setIceConnectionState(s: RTCIceConnectionState): void {
    if (this.iceConnectionState === s || this.closed) return;
    this.iceConnectionState = s;
    this.log.push(`ice:${s}`);
    this.fire('iceconnectionstatechange');
    const conn: RTCPeerConnectionState =
      s === 'checking'
        ? 'connecting'
        : s === 'completed'
          ? 'connected'
          : (s as RTCPeerConnectionState);
    if (conn !== this.connectionState) {
      this.connectionState = conn;
      this.fire('connectionstatechange');
    }
  }

  // ---- transceivers ---------------------------------------------------------------------------

  getTransceivers(): RTCRtpTransceiver[] {
    return this.transceivers.filter((t) => !t.removed) as unknown as RTCRtpTransceiver[];
  }
  get fakeTransceivers(): FakeRtpTransceiver[] {
    return this.transceivers.filter((t) => !t.removed);
  }
  getSenders(): RTCRtpSender[] {
    return this.fakeTransceivers
      .filter((t) => !t.stopped)
      .map((t) => t.sender) as unknown as RTCRtpSender[];
  }
  getReceivers(): RTCRtpReceiver[] {
    return this.fakeTransceivers
      .filter((t) => !t.stopped)
      .map((t) => t.receiver) as unknown as RTCRtpReceiver[];
  }

  private assertOpen(): void {
    if (this.closed) throw dom('InvalidStateError', 'closed');
  }

  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
    this.assertOpen();
    const t = track as unknown as FakeMediaStreamTrack;
    if (this.fakeTransceivers.some((x) => x.sender.track === t))
      throw dom('InvalidAccessError', 'track already added');
    // JSEP: reuse a transceiver that never sent and has no track (e.g. created by an offer).
    let tx = this.fakeTransceivers.find(
      (x) => !x.stopped && x.kind === t.kind && x.sender.track === null && !x.usedToSend,
    );
    if (tx) {
      tx.sender.track = t;
      tx.direction = tx.wantedDirection === 'recvonly' ? 'sendrecv' : 'sendonly';
    } else {
      tx = new FakeRtpTransceiver(this, t.kind, 'sendrecv', t, 'addTrack');
      this.transceivers.push(tx);
    }
    tx.usedToSend = true;
    tx.sender.setStreams(...(streams as unknown as Array<{ id: string }>));
    this.updateNegotiationNeeded();
    return tx.sender as unknown as RTCRtpSender;
  }

  addTransceiver(
    trackOrKind: MediaStreamTrack | string,
    init: RTCRtpTransceiverInit = {},
  ): RTCRtpTransceiver {
    this.assertOpen();
    const track =
      typeof trackOrKind === 'string' ? null : (trackOrKind as unknown as FakeMediaStreamTrack);
    const kind = (track ? track.kind : trackOrKind) as FakeKind;
    if (kind !== 'audio' && kind !== 'video') throw new TypeError(`bad kind ${String(kind)}`);
    const tx = new FakeRtpTransceiver(
      this,
      kind,
      init.direction ?? 'sendrecv',
      track,
      'addTransceiver',
    );
    if (track) tx.usedToSend = true;
    tx.sender.setStreams(...((init.streams ?? []) as unknown as Array<{ id: string }>));
    this.transceivers.push(tx);
    this.updateNegotiationNeeded();
    return tx as unknown as RTCRtpTransceiver;
  }

  removeTrack(sender: RTCRtpSender): void {
    this.assertOpen();
    const tx = this.fakeTransceivers.find((x) => (x.sender as unknown) === sender);
    if (!tx || tx.stopped || tx.sender.track === null) return;
    tx.sender.track = null;
    const d = tx.wantedDirection;
    tx.direction = d === 'sendrecv' ? 'recvonly' : d === 'sendonly' ? 'inactive' : d;
    this.updateNegotiationNeeded();
  }

  // ---- negotiation-needed (webrtc-pc §4.7.3, simplified) --------------------------------------

  private isNegotiationNeeded(): boolean {
    if (this.restartIceRequested) return true;
    const offerer = this.currentLocalDescription?.type === 'offer';
    for (const t of this.fakeTransceivers) {
      if (t.stopped) {
        if (t.mid !== null && !this.mlines.find((m) => m.mid === t.mid)?.stopped) return true;
        continue;
      }
      if (t.mid === null) return true;
      if (t.negotiatedDirection === null) return true;
      const expected = offerer
        ? t.wantedDirection
        : intersect(t.wantedDirection, t.remoteDirection ?? 'inactive');
      if (t.negotiatedDirection !== expected) return true;
    }
    return false;
  }
  /** Public so transceivers can poke it; tests don't call it. */
  updateNegotiationNeeded(): void {
    if (this.closed) return;
    if (this.pendingOps > 0) {
      this.updateOnEmptyChain = true;
      return;
    }
    queueMicrotask(() => {
      if (this.closed || this.signalingState !== 'stable') return;
      if (!this.isNegotiationNeeded()) {
        this.negotiationNeeded = false;
        return;
      }
      if (this.negotiationNeeded) return;
      this.negotiationNeeded = true;
      this.negotiationNeededEvents++;
      this.log.push('negotiationneeded');
      this.fire('negotiationneeded');
    });
  }

  private chain<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(dom('InvalidStateError', 'closed'));
    this.pendingOps++;
    const run = this.ops.then(async () => {
      if (this.closed) throw dom('InvalidStateError', 'closed');
      return fn();
    });
    this.ops = run.then(
      () => this.opDone(),
      () => this.opDone(),
    );
    return run;
  }
  private opDone(): void {
    this.pendingOps--;
    if (this.pendingOps === 0 && this.updateOnEmptyChain) {
      this.updateOnEmptyChain = false;
      this.updateNegotiationNeeded();
    }
  }

  // ---- descriptions ---------------------------------------------------------------------------

  private buildOffer(): FakeSdp {
    if (this.restartIceRequested || !this.localUfrag) this.pendingUfrag = newUfrag();
    const ufrag = this.pendingUfrag ?? this.localUfrag!;
    const lines: MLine[] = this.mlines.map((m) => ({ ...m }));
    // Mids are unique for the session's life, whichever side allocated them.
    let nextMid =
      Math.max(
        -1,
        ...lines.map((m) => Number(m.mid)),
        ...this.transceivers.map((t) => Number(t.mid ?? -1)),
      ) + 1;
    for (const t of this.fakeTransceivers) {
      const msid = t.sender.streamIds;
      const line = t.mid === null ? null : lines.find((m) => m.mid === t.mid);
      if (line) {
        line.dir = t.stopped ? 'inactive' : t.wantedDirection;
        line.stopped = t.stopped;
        line.msid = msid;
      } else if (!t.stopped) {
        // Recycle a stopped m-line (with a fresh mid), as browsers do.
        const recycled = lines.find((m) => m.stopped && m.kind === t.kind && !this.midOwner(m.mid));
        const mid = String(nextMid++);
        const nl: MLine = { mid, kind: t.kind, dir: t.wantedDirection, stopped: false, msid };
        if (recycled) lines.splice(lines.indexOf(recycled), 1, nl);
        else lines.push(nl);
        this.provisionalMid.set(t, mid);
      }
    }
    return { fake: 1, ufrag, m: lines };
  }
  private pendingUfrag: string | null = null;
  private provisionalMid = new Map<FakeRtpTransceiver, string>();
  private midOwner(mid: string): FakeRtpTransceiver | undefined {
    return this.fakeTransceivers.find((t) => t.mid === mid && !t.stopped);
  }

  private buildAnswer(): FakeSdp {
    const offer = this.remoteSdp!;
    if (!this.localUfrag || this.remoteUfragChanged) this.pendingUfrag = newUfrag();
    const ufrag = this.pendingUfrag ?? this.localUfrag!;
    const m = offer.m.map((om) => {
      const t = this.fakeTransceivers.find((x) => x.mid === om.mid);
      if (!t || om.stopped || t.stopped)
        return { mid: om.mid, kind: om.kind, dir: 'inactive' as Dir, stopped: true, msid: [] };
      return {
        mid: om.mid,
        kind: om.kind,
        dir: intersect(t.wantedDirection, om.dir),
        stopped: false,
        msid: t.sender.streamIds,
      };
    });
    return { fake: 1, ufrag, m };
  }
  private remoteSdp: FakeSdp | null = null;
  private remoteUfragChanged = false;

  createOffer(_options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> {
    return this.chain(async () => {
      await tick();
      if (_options?.iceRestart) this.restartIceRequested = true;
      const sdp = this.buildOffer();
      this.lastOffer = sdp;
      return { type: 'offer' as const, sdp: JSON.stringify(sdp) };
    });
  }

  createAnswer(): Promise<RTCSessionDescriptionInit> {
    return this.chain(async () => {
      await tick();
      if (this.signalingState !== 'have-remote-offer')
        throw dom('InvalidStateError', `createAnswer in ${this.signalingState}`);
      return { type: 'answer' as const, sdp: JSON.stringify(this.buildAnswer()) };
    });
  }

  setLocalDescription(desc?: RTCSessionDescriptionInit): Promise<void> {
    return this.chain(async () => {
      await tick();
      let type = desc?.type;
      if (type === 'rollback') return this.rollback('local');
      if (!type) type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
      if (type === 'offer') {
        if (this.signalingState !== 'stable' && this.signalingState !== 'have-local-offer')
          throw dom('InvalidStateError', `offer in ${this.signalingState}`);
        const sdp = desc?.sdp ? (JSON.parse(desc.sdp) as FakeSdp) : this.buildOffer();
        if (!desc?.sdp) this.lastOffer = sdp;
        // Assign the mids the offer gave.
        this.offerAssigned = [];
        for (const [t, mid] of this.provisionalMid) {
          if (t.mid === null && !t.stopped) {
            t.mid = mid;
            this.offerAssigned.push(t);
          }
        }
        this.provisionalMid.clear();
        this.mlines = sdp.m.map((m) => ({ ...m }));
        this.localUfrag = sdp.ufrag;
        this.restartIceRequested = false;
        this.pendingUfrag = null;
        this.localDescription = { type: 'offer', sdp: JSON.stringify(sdp) };
        this.setSignalingState('have-local-offer');
        this.negotiationNeeded = false;
        this.gather();
        return;
      }
      if (type === 'answer') {
        if (this.signalingState !== 'have-remote-offer')
          throw dom('InvalidStateError', `answer in ${this.signalingState}`);
        const sdp = this.buildAnswer();
        for (const m of sdp.m) {
          const t = this.fakeTransceivers.find((x) => x.mid === m.mid);
          if (!t) continue;
          t.negotiatedDirection = m.dir;
          t.currentDirection = t.stopped ? null : m.dir;
          if (m.stopped && t.stopped) t.removed = true;
        }
        this.mlines = sdp.m.map((m) => ({ ...m }));
        this.localUfrag = sdp.ufrag;
        this.pendingUfrag = null;
        this.remoteUfragChanged = false;
        this.localDescription = { type: 'answer', sdp: JSON.stringify(sdp) };
        this.currentLocalDescription = this.localDescription;
        this.currentRemoteDescription = this.remoteDescription;
        this.remoteCreated = [];
        this.setSignalingState('stable');
        this.gather();
        this.afterStable();
        return;
      }
      throw dom('InvalidStateError', `unsupported ${type}`);
    });
  }

  setRemoteDescription(desc: RTCSessionDescriptionInit): Promise<void> {
    return this.chain(async () => {
      await tick();
      if (desc.type === 'rollback') return this.rollback('remote');
      if (!desc.sdp) throw new TypeError('sdp missing');
      let sdp: FakeSdp;
      try {
        sdp = JSON.parse(desc.sdp) as FakeSdp;
        if (sdp.fake !== 1) throw new Error('x');
      } catch {
        throw dom('OperationError', 'unparsable description');
      }
      if (desc.type === 'offer') {
        if (this.signalingState === 'have-local-offer') this.rollback('local'); // implicit rollback
        if (this.signalingState !== 'stable' && this.signalingState !== 'have-remote-offer')
          throw dom('InvalidStateError', `offer in ${this.signalingState}`);
        this.remoteCreated = [];
        const fire: FakeRtpTransceiver[] = [];
        for (const m of sdp.m) {
          let t = this.fakeTransceivers.find((x) => x.mid === m.mid);
          if (!t && !m.stopped) {
            t = this.fakeTransceivers.find(
              (x) =>
                x.mid === null && !x.stopped && x.kind === m.kind && x.createdBy === 'addTrack',
            );
            if (!t) {
              t = new FakeRtpTransceiver(this, m.kind, 'recvonly', null, 'remote');
              this.transceivers.push(t);
              this.remoteCreated.push(t);
            }
            t.mid = m.mid;
          }
          if (!t) continue;
          if (m.stopped) {
            t.stop();
            continue;
          }
          t.remoteDirection = m.dir;
          if (hasSend(m.dir) && !t.firedTrack) fire.push(t);
          if (!hasSend(m.dir)) t.firedTrack = false;
        }
        this.remoteUfragChanged = this.remoteUfrag !== sdp.ufrag;
        this.remoteUfrag = sdp.ufrag;
        this.remoteSdp = sdp;
        this.remoteDescription = { type: 'offer', sdp: desc.sdp };
        this.setSignalingState('have-remote-offer');
        this.fireTracks(fire);
        return;
      }
      if (desc.type === 'answer') {
        if (this.signalingState !== 'have-local-offer')
          throw dom('InvalidStateError', `Called in wrong state: ${this.signalingState}`);
        const fire: FakeRtpTransceiver[] = [];
        for (const m of sdp.m) {
          const t = this.fakeTransceivers.find((x) => x.mid === m.mid);
          if (!t) continue;
          const local = this.mlines.find((l) => l.mid === m.mid);
          t.negotiatedDirection = local?.dir ?? null;
          if (local?.stopped || m.stopped) {
            if (!t.stopped) t.stop();
            t.removed = true;
            continue;
          }
          t.remoteDirection = m.dir;
          t.currentDirection = reverse(m.dir);
          if (hasSend(m.dir) && !t.firedTrack) fire.push(t);
          if (!hasSend(m.dir)) t.firedTrack = false;
        }
        this.remoteUfrag = sdp.ufrag;
        this.remoteSdp = sdp;
        this.remoteDescription = { type: 'answer', sdp: desc.sdp };
        this.currentRemoteDescription = this.remoteDescription;
        this.currentLocalDescription = this.localDescription;
        this.offerAssigned = [];
        this.setSignalingState('stable');
        this.fireTracks(fire);
        this.afterStable();
        return;
      }
      throw dom('InvalidStateError', `unsupported ${desc.type}`);
    });
  }

  private rollback(_side: 'local' | 'remote'): void {
    if (this.signalingState === 'stable') throw dom('InvalidStateError', 'rollback in stable');
    if (this.signalingState === 'have-local-offer') {
      for (const t of this.offerAssigned) t.mid = null;
      this.offerAssigned = [];
      this.localDescription = this.currentLocalDescription;
      this.mlines = this.currentLocalDescription?.sdp
        ? (JSON.parse(this.currentLocalDescription.sdp) as FakeSdp).m
        : [];
      // Keep the next offer's ufrag unchanged unless a restart was asked for again.
    } else {
      for (const t of this.remoteCreated) {
        if (t.sender.track) t.mid = null;
        else t.removed = true;
      }
      this.remoteCreated = [];
      this.remoteDescription = this.currentRemoteDescription;
    }
    this.log.push('rollback');
    this.setSignalingState('stable');
    this.afterStable();
  }

  private afterStable(): void {
    // webrtc-pc: returning to stable re-evaluates negotiation-needed.
    this.negotiationNeeded = false;
    this.updateNegotiationNeeded();
    this.maybeConnect();
  }

  private fireTracks(list: FakeRtpTransceiver[]): void {
    for (const t of list) {
      t.firedTrack = true;
      this.fire('track', {
        track: t.receiver.track,
        receiver: t.receiver,
        transceiver: t,
        streams: [],
      });
    }
  }

  // ---- ICE ------------------------------------------------------------------------------------

  private gather(): void {
    const ufrag = this.localUfrag;
    if (!ufrag || ufrag === this.gatheredUfrag) return;
    this.gatheredUfrag = ufrag;
    this.iceGatheringState = 'gathering';
    // Trickle two host candidates then end-of-candidates, each on its own task.
    const send = (i: number) => {
      if (this.closed || this.localUfrag !== ufrag) return;
      if (i < 2) {
        const candidate = {
          candidate: `candidate:${i} 1 udp ${2122260223 - i} 127.0.0.1 ${50000 + i} typ host`,
          sdpMid: '0',
          sdpMLineIndex: 0,
          usernameFragment: ufrag,
        };
        this.fire('icecandidate', { candidate: { ...candidate, toJSON: () => candidate } });
        setTimeout(() => send(i + 1), 0);
      } else {
        this.iceGatheringState = 'complete';
        this.fire('icecandidate', { candidate: null });
      }
    };
    setTimeout(() => send(0), 0);
  }

  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    return this.chain(async () => {
      await Promise.resolve();
      if (!this.remoteDescription)
        throw dom('InvalidStateError', 'The remote description was null');
      if (!candidate || !candidate.candidate) return; // end of candidates
      if (candidate.usernameFragment && candidate.usernameFragment !== this.remoteUfrag)
        throw dom('OperationError', 'Error processing ICE candidate (ufrag)');
      this.addedCandidates.push(candidate);
      if (candidate.usernameFragment) this.remoteCandidateUfrags.add(candidate.usernameFragment);
      this.maybeConnect();
    });
  }

  private maybeConnect(): void {
    if (this.holdIce || this.closed || this.signalingState !== 'stable') return;
    if (!this.remoteUfrag || !this.remoteCandidateUfrags.has(this.remoteUfrag)) return;
    if (this.iceConnectionState === 'connected' || this.iceConnectionState === 'completed') return;
    // A failed or disconnected agent only recovers through an ICE restart (new credentials).
    const broken =
      this.iceConnectionState === 'failed' || this.iceConnectionState === 'disconnected';
    if (broken && this.remoteUfrag === this.connectedUfrag) return;
    this.connectedUfrag = this.remoteUfrag;
    setTimeout(() => {
      if (this.holdIce || this.closed) return;
      this.setIceConnectionState('checking');
      setTimeout(() => {
        if (this.holdIce || this.closed) return;
        this.setIceConnectionState('connected');
        for (const t of this.fakeTransceivers)
          if (hasRecv(t.currentDirection)) t.receiver.track.muted = false;
      }, 1);
    }, 0);
  }
  private connectedUfrag: string | null = null;

  /** Test control: let a held ICE agent connect now. */
  releaseIce(): void {
    this.holdIce = false;
    this.maybeConnect();
  }

  restartIce(): void {
    this.restartIceCalls++;
    this.restartIceRequested = true;
    this.updateNegotiationNeeded();
  }

  setConfiguration(_c: RTCConfiguration): void {}
  getConfiguration(): RTCConfiguration {
    return this.configuration;
  }

  getStats(): Promise<RTCStatsReport> {
    const entries = this.statsProvider(this).map((s) => [String(s.id), s] as const);
    return Promise.resolve(new Map(entries) as unknown as RTCStatsReport);
  }

  createDataChannel(): never {
    throw dom('NotSupportedError', 'not in the fake');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.transceivers) {
      t.stopped = true;
      t.receiver.track.stop();
    }
    this.signalingState = 'closed';
    this.iceConnectionState = 'closed';
    this.connectionState = 'closed';
  }
  get isClosed(): boolean {
    return this.closed;
  }
}

export const FakePeerConnectionCtor = FakePeerConnection as unknown as typeof RTCPeerConnection;
