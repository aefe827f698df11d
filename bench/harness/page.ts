// Browser: the bench/e2e harness page. Bundled by esbuild (browser.ts) and served on the
// service's own origin, so REST, Socket.io and getUserMedia behave as in the real apps.
// Everything returns plain data to Playwright's page.evaluate.
import { CallEngine, type CallEngineOptions } from '../../packages/shared/src/call/index.js';
import { previewAndLevel, strictModeEngine } from './hooks.ts';

const now = () => performance.timeOrigin + performance.now();

interface InboundTotals {
  videoFrames: number;
  videoBytes: number;
  audioBytes: number;
  relay: boolean;
  /** DTLS up on the selected transport: media can flow. */
  connected: boolean;
}

async function inbound(pc: { getStats(): Promise<RTCStatsReport | null> }): Promise<InboundTotals> {
  const report = await pc.getStats();
  const t: InboundTotals = {
    videoFrames: 0,
    videoBytes: 0,
    audioBytes: 0,
    relay: false,
    connected: false,
  };
  if (!report) return t;
  const byId = new Map<string, Record<string, unknown>>();
  report.forEach((s: Record<string, unknown>) => byId.set(String(s.id), s));
  for (const s of byId.values()) {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      t.videoFrames += Number(s.framesDecoded ?? 0);
      t.videoBytes += Number(s.bytesReceived ?? 0);
    }
    if (s.type === 'inbound-rtp' && s.kind === 'audio')
      t.audioBytes += Number(s.bytesReceived ?? 0);
    if (s.type === 'transport') {
      if (s.dtlsState === 'connected') t.connected = true;
      if (typeof s.selectedCandidatePairId === 'string') {
        const pair = byId.get(s.selectedCandidatePairId);
        const local = pair ? byId.get(String(pair.localCandidateId)) : undefined;
        const remote = pair ? byId.get(String(pair.remoteCandidateId)) : undefined;
        t.relay = local?.candidateType === 'relay' || remote?.candidateType === 'relay';
      }
    }
  }
  return t;
}

export interface Milestones {
  /** Wall-clock ms when the transport was first seen connected (ICE + DTLS). */
  connected: number;
  /** Wall-clock ms of the first decoded remote video frame. */
  frame: number;
}

/** Polls getStats every 20 ms until the first decoded video frame. */
function firstFrame(src: { getStats(): Promise<RTCStatsReport | null> }, timeoutMs: number) {
  return new Promise<Milestones>((resolve, reject) => {
    const start = now();
    let connected = 0;
    const tick = async () => {
      const t = await inbound(src).catch(() => null);
      if (t?.connected && !connected) connected = now();
      if (t && t.videoFrames > 0) return resolve({ connected: connected || now(), frame: now() });
      if (now() - start > timeoutMs) return reject(new Error('no decoded video frame'));
      setTimeout(() => void tick(), 20);
    };
    void tick();
  });
}

let engine: CallEngine | null = null;
const logs: string[] = [];
const logger = {
  debug: (m: string, c?: object) =>
    logs.push(`${now().toFixed(0)} debug ${m} ${JSON.stringify(c ?? {})}`),
  info: (m: string, c?: object) =>
    logs.push(`${now().toFixed(0)} info ${m} ${JSON.stringify(c ?? {})}`),
  warn: (m: string, c?: object) => logs.push(`warn ${m} ${JSON.stringify(c ?? {})}`),
  error: (m: string, c?: object) => logs.push(`error ${m} ${JSON.stringify(c ?? {})}`),
};
let watch: Promise<Milestones> | null = null;
let watchAll: Promise<number> | null = null;

const api = {
  async join(options: CallEngineOptions): Promise<string> {
    engine?.leave();
    logs.length = 0;
    engine = new CallEngine(options, { logger });
    await engine.join();
    const s = engine.getSnapshot().state;
    if (s.kind === 'ended') throw new Error(`join ended: ${JSON.stringify(s)}`);
    return s.kind;
  },
  state: () => engine?.getSnapshot().state ?? null,
  waitingSocketIds: () => engine?.getSnapshot().waitingRoom.map((w) => w.socketId) ?? [],
  /** Starts polling for the first decoded remote frame (before the admit, so nothing is missed). */
  watchFirstFrame(timeoutMs: number): void {
    const e = engine!;
    watch = firstFrame(e, timeoutMs);
    watch.catch(() => {});
  },
  firstFrameAt: () => watch!,
  /**
   * Starts polling until every one of `count` peers' pairs has decoded a video frame (a
   * newcomer to a visit of 3 or 4: the last of its pairs is when it sees everyone).
   */
  watchAllFrames(arg: { count: number; timeoutMs: number }): void {
    const e = engine!;
    watchAll = new Promise<number>((resolve, reject) => {
      const start = now();
      const tick = async () => {
        const peers = e.getSnapshot().peers;
        if (peers.length >= arg.count) {
          const all = await Promise.all(
            peers.map((p) => inbound({ getStats: () => e.getPeerStats(p.user.socketId) })),
          ).catch(() => null);
          if (all?.every((t) => t.videoFrames > 0)) return resolve(now());
        }
        if (now() - start > arg.timeoutMs) return reject(new Error('not every pair decoded'));
        setTimeout(() => void tick(), 20);
      };
      void tick();
    });
    watchAll.catch(() => {});
  },
  allFramesAt: () => watchAll!,
  peerCount: () => engine?.getSnapshot().peers.length ?? 0,
  async admit(socketId: string): Promise<number> {
    const t0 = now();
    await engine!.admit(socketId);
    return t0;
  },
  inbound: () => inbound(engine!),
  snapshotSummary() {
    const s = engine!.getSnapshot();
    return {
      state: s.state.kind,
      remoteVideoTracks: s.remoteStream?.getVideoTracks().length ?? 0,
      remoteAudioTracks: s.remoteStream?.getAudioTracks().length ?? 0,
      localTracks: s.localStream?.getTracks().length ?? 0,
      remoteScreen: s.remoteScreenStream !== null,
      remoteSharing: s.remoteSharing,
      remoteMedia: s.remoteMedia,
      quality: s.quality?.level ?? null,
    };
  },
  /** How many relay candidates a relay-only connection gathers with these servers. */
  async gatherRelay(iceServers: RTCIceServer[]): Promise<number> {
    const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
    let relays = 0;
    const done = new Promise<void>((resolve) => {
      pc.onicecandidate = (e) => {
        if (!e.candidate) return resolve();
        if (e.candidate.type === 'relay') relays++;
      };
      setTimeout(resolve, 10_000);
    });
    pc.addTransceiver('audio');
    await pc.setLocalDescription();
    await done;
    pc.close();
    return relays;
  },
  /** State, streams and the peer connection's key stats, for a failure message. */
  async diagnostics() {
    if (!engine) return null;
    const report = await engine.getStats();
    const stats: unknown[] = [];
    report?.forEach((s: Record<string, unknown>) => {
      if (['inbound-rtp', 'outbound-rtp', 'transport', 'candidate-pair'].includes(String(s.type)))
        stats.push({
          type: s.type,
          kind: s.kind,
          state: s.state,
          iceState: s.iceState,
          dtlsState: s.dtlsState,
          bytesReceived: s.bytesReceived,
          bytesSent: s.bytesSent,
          framesDecoded: s.framesDecoded,
        });
    });
    return { summary: api.snapshotSummary(), log: logs.slice(-40), stats };
  },
  /** Frames decoded on the remote screen-share track (0 when none). */
  async screenFrames(): Promise<number> {
    const id = engine?.getSnapshot().remoteScreenStream?.getVideoTracks()[0]?.id;
    const report = await engine?.getStats();
    let frames = 0;
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && id && s.trackIdentifier === id)
        frames = Number(s.framesDecoded ?? 0);
    });
    return frames;
  },
  setMicrophoneEnabled: (on: boolean) => engine!.setMicrophoneEnabled(on),
  quality: () => engine?.getSnapshot().quality ?? null,
  network: () => engine?.getSnapshot().network ?? null,
  /** What we send on the camera: resolution and bytes so far (network adaptation checks). */
  async outboundVideo() {
    const report = await engine?.getStats();
    let out = { frameWidth: 0, frameHeight: 0, bytesSent: 0, at: now() };
    report?.forEach((s: Record<string, unknown>) => {
      if (
        s.type === 'outbound-rtp' &&
        s.kind === 'video' &&
        Number(s.bytesSent ?? 0) >= out.bytesSent
      )
        out = {
          frameWidth: Number(s.frameWidth ?? 0),
          frameHeight: Number(s.frameHeight ?? 0),
          bytesSent: Number(s.bytesSent ?? 0),
          at: now(),
        };
    });
    return out;
  },
  logs: () => logs.slice(),
  startScreenShare: () => engine!.startScreenShare(),
  stopScreenShare: () => engine!.stopScreenShare(),
  endCall: () => engine!.endCall(),
  leave() {
    engine?.leave();
    engine = null;
  },

  /**
   * Lower bound: two RTCPeerConnections in this page, camera already open, no signaling
   * server: time from creating them to the first decoded frame on each side.
   */
  async baseline(timeoutMs: number): Promise<{ a: Milestones; b: Milestones }> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
    });
    const t0 = now();
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
    for (const t of stream.getTracks()) {
      a.addTrack(t, stream);
      b.addTrack(t.clone(), stream);
    }
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    const wrap = (pc: RTCPeerConnection) => ({ getStats: () => pc.getStats() });
    const [ma, mb] = await Promise.all([
      firstFrame(wrap(a), timeoutMs),
      firstFrame(wrap(b), timeoutMs),
    ]);
    a.close();
    b.close();
    for (const t of stream.getTracks()) t.stop();
    const rel = (m: Milestones) => ({ connected: m.connected - t0, frame: m.frame - t0 });
    return { a: rel(ma), b: rel(mb) };
  },
};

(window as unknown as { bench: typeof api }).bench = Object.assign(api, {
  strictModeEngine,
  previewAndLevel,
});
