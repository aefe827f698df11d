// Browser: the React hooks exercised in real Chromium (StrictMode, real getUserMedia with fake
// devices, WebAudio). Part of the harness bundle; driven by react/hooks.e2e.test.ts.
import { StrictMode, createElement, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import type { CallEngineApi, CallEngineOptions } from '../../packages/shared/src/call/index.js';
import type { SocketLike } from '../../packages/shared/src/call/signaling.js';
import {
  useAudioLevel,
  useCallEngine,
  useCallSnapshot,
  useLocalPreview,
  useMediaDevices,
} from '../../packages/shared/src/react/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(get: () => T | null | undefined | false, timeoutMs = 5000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const v = get();
    if (v) return v;
    if (performance.now() - start > timeoutMs) throw new Error('timed out');
    await sleep(10);
  }
}

/** A socket that never connects: the engine stays in `joining`, nothing leaves the page. */
const idleSocket = (): SocketLike => ({
  id: undefined,
  connected: false,
  active: true,
  on: () => undefined,
  off: () => undefined,
  emit: () => undefined,
  connect: () => undefined,
  disconnect: () => undefined,
  io: { on: () => undefined, off: () => undefined },
});

function mount(el: ReturnType<typeof createElement>) {
  const div = document.createElement('div');
  document.body.append(div);
  const root = createRoot(div);
  root.render(createElement(StrictMode, null, el));
  return () => {
    root.unmount();
    div.remove();
  };
}

export async function strictModeEngine() {
  let sockets = 0;
  const options: CallEngineOptions = {
    serverUrl: location.origin,
    token: 't',
    roomId: 'room-hooks',
    userId: 'u',
    userType: 'patient',
    userName: 'n',
  };
  const seen: Array<{ engine: CallEngineApi | null; state: string | null }> = [];
  const deps = {
    createSocket: () => {
      sockets++;
      return idleSocket();
    },
    fetch: () => Promise.resolve(Response.json({ iceServers: [], ttlSeconds: null })),
  };
  function Probe() {
    const engine = useCallEngine(options, { deps });
    const snap = useCallSnapshot(engine);
    useEffect(() => {
      seen.push({ engine, state: snap?.state.kind ?? null });
    });
    return null;
  }
  const unmount = mount(createElement(Probe));
  const live = await waitFor(() => seen.findLast((s) => s.state === 'joining')?.engine);
  // The camera opens while the socket (never) connects.
  await waitFor(() => live.getSnapshot().localStream, 8000).catch(() => null);
  await sleep(100);
  const engines = new Set(seen.map((s) => s.engine).filter(Boolean));
  const localTracks = live.getSnapshot().localStream?.getTracks().length ?? 0;
  unmount();
  await sleep(50);
  return {
    sockets,
    engines: engines.size,
    localTracks,
    stateAfterUnmount: live.getSnapshot().state.kind,
  };
}

export async function previewAndLevel() {
  const out: { tracks: number; maxLevel: number; cameras: number; microphones: number } = {
    tracks: 0,
    maxLevel: 0,
    cameras: 0,
    microphones: 0,
  };
  let stream: MediaStream | null = null;
  const constraints = { audio: true, video: true };
  function Probe() {
    const preview = useLocalPreview(constraints);
    const level = useAudioLevel(preview.stream);
    const devices = useMediaDevices();
    useEffect(() => {
      stream = preview.stream;
      out.tracks = preview.stream?.getTracks().length ?? 0;
      out.maxLevel = Math.max(out.maxLevel, level);
      out.cameras = devices.cameras.length;
      out.microphones = devices.microphones.length;
    });
    return null;
  }
  const unmount = mount(createElement(Probe));
  await waitFor(() => out.tracks === 2 && out.maxLevel > 0, 8000).catch(() => null);
  const held = stream as MediaStream | null;
  unmount();
  await sleep(50);
  return {
    ...out,
    liveAfterUnmount: held?.getTracks().filter((t) => t.readyState === 'live').length ?? -1,
  };
}
