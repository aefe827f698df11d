// Browser: the page bench/files.bench.ts drives. Two RTCPeerConnections in one page, joined
// directly (no service: the service never carries files or media), so the figures are the
// data channel's and ours, not the network's. Everything returns plain data to page.evaluate.
import {
  FileChannel,
  VisitRecorder,
  silentLogger,
  type FileTransfer,
} from '../../packages/shared/src/call/index.js';
import {
  CHUNK_BYTES,
  HIGH_WATER_BYTES,
  LOW_WATER_BYTES,
} from '../../packages/shared/src/call/files/protocol.js';

/** Two peer connections over loopback with one in-band channel, open on both ends. */
async function channelPair(): Promise<{ a: RTCDataChannel; b: RTCDataChannel; close(): void }> {
  const pa = new RTCPeerConnection();
  const pb = new RTCPeerConnection();
  pa.onicecandidate = (e) => void pb.addIceCandidate(e.candidate ?? undefined);
  pb.onicecandidate = (e) => void pa.addIceCandidate(e.candidate ?? undefined);
  const a = pa.createDataChannel('bench', { ordered: true });
  const bReady = new Promise<RTCDataChannel>((resolve) => {
    pb.ondatachannel = (e) => resolve(e.channel);
  });
  await pa.setLocalDescription();
  await pb.setRemoteDescription(pa.localDescription!);
  await pb.setLocalDescription();
  await pa.setRemoteDescription(pb.localDescription!);
  const b = await bReady;
  const opened = (c: RTCDataChannel) =>
    c.readyState === 'open'
      ? Promise.resolve()
      : new Promise<void>((r) => c.addEventListener('open', () => r(), { once: true }));
  await Promise.all([opened(a), opened(b)]);
  return {
    a,
    b,
    close() {
      pa.close();
      pb.close();
    },
  };
}

function payload(bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  // PNG signature, so our content check accepts it as image/png.
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < bytes; i += 4096) data[i] = i & 0xff;
  return data;
}

/**
 * Baseline: the same bytes over a bare channel with the same chunk size and water marks, no
 * protocol, no hashing. Time from the first send to the last byte received.
 */
async function bare(bytes: number): Promise<{ ms: number }> {
  const { a, b, close } = await channelPair();
  const data = payload(bytes);
  a.bufferedAmountLowThreshold = LOW_WATER_BYTES;
  b.binaryType = 'arraybuffer';
  let got = 0;
  const done = new Promise<void>((resolve) => {
    b.onmessage = (e) => {
      got += (e.data as ArrayBuffer).byteLength;
      if (got >= bytes) resolve();
    };
  });
  const t0 = performance.now();
  let sent = 0;
  while (sent < bytes) {
    if (a.bufferedAmount > HIGH_WATER_BYTES) {
      await new Promise<void>((r) =>
        a.addEventListener('bufferedamountlow', () => r(), { once: true }),
      );
      continue;
    }
    const end = Math.min(sent + CHUNK_BYTES, bytes);
    a.send(data.slice(sent, end).buffer);
    sent = end;
  }
  await done;
  const ms = performance.now() - t0;
  close();
  return { ms };
}

/**
 * Ours: FileChannel on both ends — offer, accept, chunks under back-pressure, SHA-256 check on
 * the receiver, the sender told. Time from accept to the receiver's verified blob, and to the
 * sender's "complete".
 */
async function fileChannel(
  bytes: number,
): Promise<{ ms: number; verifiedMs: number; progressEvents: number }> {
  const { a, b, close } = await channelPair();
  let progressEvents = 0;
  let incoming: ((t: FileTransfer) => void) | null = null;
  let received: ((t: FileTransfer) => void) | null = null;
  let confirmed: (() => void) | null = null;
  let tVerified = 0;
  const sender = new FileChannel(a, {
    peerId: 'b',
    logger: silentLogger,
    onChange(t) {
      if (t.status === 'transferring') progressEvents++;
      if (t.status === 'complete') confirmed?.();
    },
  });
  const receiver = new FileChannel(b, {
    peerId: 'a',
    logger: silentLogger,
    onChange(t) {
      if (t.status === 'incoming') incoming?.(t);
      if (t.status === 'complete' && t.blob) {
        tVerified = performance.now();
        received?.(t);
      }
    },
  });
  const offered = new Promise<FileTransfer>((r) => (incoming = r));
  const got = new Promise<FileTransfer>((r) => (received = r));
  const senderDone = new Promise<void>((r) => (confirmed = r));
  const file = Object.assign(new Blob([payload(bytes) as BlobPart], { type: 'image/png' }), {
    name: 'bench.png',
  });
  const result = await sender.offer(file);
  if (!result.ok) throw new Error(`offer refused: ${result.reason}`);
  const t = await offered;
  const tAccept = performance.now();
  receiver.accept(t.id);
  const blob = (await got).blob!;
  await senderDone;
  const ms = performance.now() - tAccept;
  if (blob.size !== bytes) throw new Error(`received ${blob.size} of ${bytes} bytes`);
  sender.dispose();
  receiver.dispose();
  close();
  return { ms, verifiedMs: tVerified - tAccept, progressEvents };
}

/** A doctor's visit page: local camera plus a "remote" one, both shown in video elements. */
async function visitMedia(): Promise<{ streams: MediaStream[]; stop(): void }> {
  const local = await navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480 },
    audio: true,
  });
  const remote = await navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480 },
    audio: true,
  });
  for (const s of [local, remote]) {
    const v = document.createElement('video');
    v.muted = true;
    v.autoplay = true;
    v.srcObject = s;
    document.body.append(v);
    await v.play().catch(() => {});
  }
  return {
    streams: [local, remote],
    stop() {
      for (const s of [local, remote]) for (const t of s.getTracks()) t.stop();
      document.body.replaceChildren();
    },
  };
}

let media: Awaited<ReturnType<typeof visitMedia>> | null = null;
let recorder: VisitRecorder | null = null;
let recordedBytes = 0;

const bench = {
  bare,
  fileChannel,
  async showVisit() {
    media = await visitMedia();
  },
  /** Records the visit with the app's recorder into a sink that only counts bytes. */
  startRecording() {
    if (!media) throw new Error('showVisit first');
    recordedBytes = 0;
    recorder = new VisitRecorder({
      async write(chunk) {
        recordedBytes += chunk.byteLength;
      },
      async close() {},
      async abort() {},
    });
    recorder.start(media.streams.map((stream, i) => ({ id: `p${i}`, stream, label: `P${i}` })));
  },
  async stopRecording(): Promise<{ bytes: number }> {
    await recorder?.stop();
    recorder = null;
    return { bytes: recordedBytes };
  },
  endVisit() {
    media?.stop();
    media = null;
  },
};

(window as unknown as { filesBench: typeof bench }).filesBench = bench;
