// DOM (bundled for a test page): a doctor running the real call engine in Chromium, with no UI
// beyond two <video> elements. End-to-end specs drive it through `window.bedsideDoctor` until
// (and besides) the desktop renderer; it is the same engine the desktop app runs. A guest (an
// interpreter, a family member) runs in it too (`openMemberPage`): the same engine the guests'
// page runs, one <video> per other member of the visit.
import {
  CallEngine,
  type CallEngineOptions,
  type CallSnapshot,
  type ScreenShareOptions,
} from '@bedside/shared/call';

export interface DoctorView {
  state: CallSnapshot['state']['kind'];
  peerName: string | null;
  waiting: { socketId: string; userName: string }[];
  remoteMedia: CallSnapshot['remoteMedia'];
  chat: string[];
  endReason: string | null;
  /** Every state the call went through, in order (for failure messages). */
  history: string[];
  /** Everyone else in the room, one entry per pair. */
  peers: {
    socketId: string;
    userName: string;
    role: string;
    sharing: boolean;
    hasScreen: boolean;
    hasStream: boolean;
  }[];
}

/** Inbound camera frames decoded on our pair with each member, by their name. */
export type PeerFrames = Record<string, number>;

let engine: CallEngine | null = null;
let history: string[] = [];

function bind(stream: MediaStream | null, label: string) {
  let el = document.querySelector<HTMLVideoElement>(`video[aria-label="${label}"]`);
  if (!el) {
    el = document.createElement('video');
    el.setAttribute('aria-label', label);
    el.autoplay = true;
    el.playsInline = true;
    el.muted = label === 'Doctor self view';
    el.width = 320;
    document.body.append(el);
  }
  if (el.srcObject !== stream) el.srcObject = stream;
}

const api = {
  async start(options: CallEngineOptions): Promise<void> {
    engine?.leave();
    // A longer ack wait than the app's: on a loaded CI machine the service can take over 10 s
    // to answer, which is a slow test, not a broken visit.
    engine = new CallEngine(options, { timing: { ackTimeoutMs: 30_000 } });
    history = [];
    engine.subscribe(() => {
      const s = engine!.getSnapshot();
      const label =
        s.state.kind === 'reconnecting' ? `reconnecting(${s.state.cause})` : s.state.kind;
      if (history.at(-1) !== label) history.push(label);
      bind(s.remoteStream, 'Patient video');
      bind(s.localStream, 'Doctor self view');
      for (const p of s.peers) {
        bind(p.stream, `${p.user.userName} video`);
        bind(p.screenStream, `${p.user.userName} screen`);
      }
    });
    await engine.join();
  },
  view(): DoctorView | null {
    if (!engine) return null;
    const s = engine.getSnapshot();
    return {
      state: s.state.kind,
      peerName: s.state.kind === 'connected' ? (s.state.peer?.userName ?? null) : null,
      waiting: s.waitingRoom.map((w) => ({ socketId: w.socketId, userName: w.userName })),
      remoteMedia: s.remoteMedia,
      chat: s.chat.map((m) => m.message),
      endReason: s.state.kind === 'ended' ? s.state.reason : null,
      history: [...history],
      peers: s.peers.map((p) => ({
        socketId: p.user.socketId,
        userName: p.user.userName,
        role: p.user.role,
        sharing: p.sharing,
        hasScreen: p.screenStream !== null,
        hasStream: p.stream !== null,
      })),
    };
  },
  async peerFrames(): Promise<PeerFrames> {
    const out: PeerFrames = {};
    if (!engine) return out;
    for (const p of engine.getSnapshot().peers) {
      const report = await engine.getPeerStats(p.user.socketId);
      let frames = 0;
      // The camera's m-line comes before any shared screen's: the lowest mid.
      let mid = Infinity;
      report?.forEach((st: Record<string, unknown>) => {
        if (st.type !== 'inbound-rtp' || st.kind !== 'video') return;
        const m = Number(st.mid);
        if (!(m < mid)) return;
        mid = m;
        frames = typeof st.framesDecoded === 'number' ? st.framesDecoded : 0;
      });
      out[p.user.userName] = frames;
    }
    return out;
  },
  admit: (socketId: string) => engine!.admit(socketId),
  endCall: () => engine!.endCall(),
  sendChat: (text: string) => engine!.sendChat(text),
  leave: () => engine?.leave(),
  setMicrophoneEnabled: (on: boolean) => engine!.setMicrophoneEnabled(on),
  setCameraEnabled: (on: boolean) => engine!.setCameraEnabled(on),
  startScreenShare: (options?: ScreenShareOptions) => engine!.startScreenShare(options),
  stopScreenShare: () => engine!.stopScreenShare(),
};

declare global {
  interface Window {
    bedsideDoctor?: typeof api;
  }
}
window.bedsideDoctor = api;
