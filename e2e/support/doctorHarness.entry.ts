// DOM (bundled for a test page): a doctor running the real call engine in Chromium, with no UI
// beyond two <video> elements. End-to-end specs drive it through `window.bedsideDoctor` until
// (and besides) the desktop renderer; it is the same engine the desktop app runs.
import { CallEngine, type CallEngineOptions, type CallSnapshot } from '@bedside/shared/call';

export interface DoctorView {
  state: CallSnapshot['state']['kind'];
  peerName: string | null;
  waiting: { socketId: string; userName: string }[];
  remoteMedia: CallSnapshot['remoteMedia'];
  chat: string[];
  endReason: string | null;
}

let engine: CallEngine | null = null;

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
    engine.subscribe(() => {
      const s = engine!.getSnapshot();
      bind(s.remoteStream, 'Patient video');
      bind(s.localStream, 'Doctor self view');
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
    };
  },
  admit: (socketId: string) => engine!.admit(socketId),
  endCall: () => engine!.endCall(),
  sendChat: (text: string) => engine!.sendChat(text),
  leave: () => engine?.leave(),
  setMicrophoneEnabled: (on: boolean) => engine!.setMicrophoneEnabled(on),
  setCameraEnabled: (on: boolean) => engine!.setCameraEnabled(on),
  startScreenShare: () => engine!.startScreenShare(),
  stopScreenShare: () => engine!.stopScreenShare(),
};

declare global {
  interface Window {
    bedsideDoctor?: typeof api;
  }
}
window.bedsideDoctor = api;
