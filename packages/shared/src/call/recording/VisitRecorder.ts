// DOM, framework-free: the doctor's local recording. Every participant's camera (and a shared
// screen) is drawn into one canvas grid; every audio track is mixed with WebAudio; the two go
// into a MediaRecorder producing WebM (VP8 + Opus). Chunks go to a sink as they come — a file
// stream in Electron, a download in the browser — so nothing is held longer than needed and
// nothing is uploaded.
//
// Pausing (someone new has not consented yet) pauses the MediaRecorder: the file simply has
// no media for that stretch, and no frame of the newcomer is written.

/** Where the WebM goes. `write` calls are sequential (awaited one after another). */
export interface RecordingSink {
  write(chunk: Uint8Array): Promise<void>;
  /** The recording is complete. */
  close(): Promise<void>;
  /** Something failed: discard what was written. */
  abort(): Promise<void>;
}

export interface RecorderSource {
  id: string;
  stream: MediaStream;
  label: string;
}

export interface VisitRecorderOptions {
  width?: number;
  height?: number;
  fps?: number;
  videoBitsPerSecond?: number;
  /** MediaRecorder timeslice: a chunk this often (ms). */
  timesliceMs?: number;
  onError?(error: unknown): void;
}

export type RecorderState = 'idle' | 'recording' | 'paused' | 'stopping' | 'done' | 'failed';

const MIME_CANDIDATES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'];

export function recordingMimeType(): string | null {
  if (typeof MediaRecorder === 'undefined') return null;
  return MIME_CANDIDATES.find((m) => MediaRecorder.isTypeSupported(m)) ?? null;
}

interface Tile {
  source: RecorderSource;
  video: HTMLVideoElement;
  audio: MediaStreamAudioSourceNode | null;
  audioTrackId: string | null;
}

export class VisitRecorder {
  private readonly o: Required<Omit<VisitRecorderOptions, 'onError'>> &
    Pick<VisitRecorderOptions, 'onError'>;
  private readonly sink: RecordingSink;
  private canvas: HTMLCanvasElement | null = null;
  private ctx2d: CanvasRenderingContext2D | null = null;
  private audioCtx: AudioContext | null = null;
  private mixDest: MediaStreamAudioDestinationNode | null = null;
  private recorder: MediaRecorder | null = null;
  private readonly tiles = new Map<string, Tile>();
  private drawTimer: ReturnType<typeof setInterval> | null = null;
  private writes: Promise<void> = Promise.resolve();
  private writeFailed = false;
  private stopped: Promise<void> | null = null;
  state: RecorderState = 'idle';
  /** Bytes handed to the sink. */
  bytes = 0;

  constructor(sink: RecordingSink, options: VisitRecorderOptions = {}) {
    this.sink = sink;
    this.o = {
      width: options.width ?? 1280,
      height: options.height ?? 720,
      fps: options.fps ?? 15,
      videoBitsPerSecond: options.videoBitsPerSecond ?? 1_500_000,
      timesliceMs: options.timesliceMs ?? 1000,
      onError: options.onError,
    };
  }

  /** Starts recording the given sources (local first, then each remote). */
  start(sources: readonly RecorderSource[]): void {
    if (this.state !== 'idle') return;
    const mimeType = recordingMimeType();
    if (!mimeType) throw new Error('MediaRecorder with WebM is not available here');
    const canvas = document.createElement('canvas');
    canvas.width = this.o.width;
    canvas.height = this.o.height;
    this.canvas = canvas;
    this.ctx2d = canvas.getContext('2d', { alpha: false });
    this.audioCtx = new AudioContext();
    this.mixDest = this.audioCtx.createMediaStreamDestination();
    // A silent constant keeps the audio track producing samples when everyone is muted, so
    // the WebM's audio stream covers the whole recording.
    const silence = this.audioCtx.createConstantSource();
    silence.offset.value = 0;
    silence.connect(this.mixDest);
    silence.start();
    this.setSources(sources);
    this.draw();
    this.drawTimer = setInterval(() => this.draw(), 1000 / this.o.fps);

    const videoTrack = canvas.captureStream(this.o.fps).getVideoTracks()[0]!;
    const audioTrack = this.mixDest.stream.getAudioTracks()[0]!;
    const recorder = new MediaRecorder(new MediaStream([videoTrack, audioTrack]), {
      mimeType,
      videoBitsPerSecond: this.o.videoBitsPerSecond,
      audioBitsPerSecond: 64_000,
    });
    this.recorder = recorder;
    recorder.addEventListener('dataavailable', (e) => {
      if (e.data.size > 0) this.enqueue(e.data);
    });
    recorder.addEventListener('error', (e) => this.fail(e));
    recorder.start(this.o.timesliceMs);
    this.state = 'recording';
  }

  /** Who is in the visit now; tiles and audio inputs follow. */
  setSources(sources: readonly RecorderSource[]): void {
    if (!this.audioCtx) return;
    const ids = new Set(sources.map((s) => s.id));
    for (const [id, tile] of this.tiles) {
      if (!ids.has(id)) this.removeTile(id, tile);
    }
    for (const source of sources) {
      const existing = this.tiles.get(source.id);
      const audioTrack = source.stream.getAudioTracks()[0] ?? null;
      if (existing && existing.source.stream === source.stream) {
        existing.source = source;
        if ((audioTrack?.id ?? null) !== existing.audioTrackId) this.connectAudio(existing);
        continue;
      }
      if (existing) this.removeTile(source.id, existing);
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = source.stream;
      void video.play().catch(() => {
        // Autoplay of a muted element is allowed; a failure leaves a grey tile.
      });
      const tile: Tile = { source, video, audio: null, audioTrackId: null };
      this.connectAudio(tile);
      this.tiles.set(source.id, tile);
    }
  }

  private connectAudio(tile: Tile): void {
    tile.audio?.disconnect();
    tile.audio = null;
    tile.audioTrackId = null;
    const track = tile.source.stream.getAudioTracks()[0];
    if (!track || !this.audioCtx || !this.mixDest) return;
    // Chromium only plays a remote WebRTC stream into WebAudio while it is also attached to a
    // media element (crbug.com/933677); the tile's muted <video> is that element.
    const node = this.audioCtx.createMediaStreamSource(new MediaStream([track]));
    node.connect(this.mixDest);
    tile.audio = node;
    tile.audioTrackId = track.id;
  }

  private removeTile(id: string, tile: Tile): void {
    tile.audio?.disconnect();
    tile.video.srcObject = null;
    this.tiles.delete(id);
  }

  pause(): void {
    if (this.state !== 'recording' || !this.recorder) return;
    this.recorder.pause();
    this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused' || !this.recorder) return;
    this.recorder.resume();
    this.state = 'recording';
  }

  /** Stops and finishes the file (closes the sink); resolves when everything is written. */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    const recorder = this.recorder;
    this.state = 'stopping';
    this.stopped = new Promise<void>((resolve) => {
      if (!recorder || recorder.state === 'inactive') return resolve();
      recorder.addEventListener('stop', () => resolve(), { once: true });
      recorder.stop();
    }).then(async () => {
      this.release();
      await this.writes;
      if (this.writeFailed) {
        this.state = 'failed';
        await this.sink.abort().catch(() => {});
        return;
      }
      await this.sink.close();
      this.state = 'done';
    });
    return this.stopped;
  }

  private enqueue(blob: Blob): void {
    this.writes = this.writes.then(async () => {
      if (this.writeFailed) return;
      try {
        const chunk = new Uint8Array(await blob.arrayBuffer());
        await this.sink.write(chunk);
        this.bytes += chunk.byteLength;
      } catch (err) {
        this.writeFailed = true;
        this.o.onError?.(err);
      }
    });
  }

  private fail(err: unknown): void {
    this.writeFailed = true;
    this.o.onError?.(err);
    void this.stop();
  }

  private release(): void {
    if (this.drawTimer) clearInterval(this.drawTimer);
    this.drawTimer = null;
    for (const [id, tile] of this.tiles) this.removeTile(id, tile);
    this.recorder?.stream.getTracks().forEach((t) => t.stop());
    void this.audioCtx?.close().catch(() => {});
    this.audioCtx = null;
    this.mixDest = null;
  }

  /** A grid: 1 → full, 2 → side by side, 3–4 → 2×2; each video fitted (letterboxed) in its cell. */
  private draw(): void {
    const ctx = this.ctx2d;
    if (!ctx || this.state === 'paused') return;
    const { width: W, height: H } = this.o;
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, W, H);
    const tiles = [...this.tiles.values()];
    const n = Math.max(1, tiles.length);
    const cols = n === 1 ? 1 : 2;
    const rows = Math.ceil(n / cols);
    const cw = W / cols;
    const ch = H / rows;
    tiles.forEach((tile, i) => {
      const x = (i % cols) * cw;
      const y = Math.floor(i / cols) * ch;
      const v = tile.video;
      if (v.videoWidth > 0 && v.videoHeight > 0) {
        const scale = Math.min(cw / v.videoWidth, ch / v.videoHeight);
        const w = v.videoWidth * scale;
        const h = v.videoHeight * scale;
        ctx.drawImage(v, x + (cw - w) / 2, y + (ch - h) / 2, w, h);
      }
      ctx.fillStyle = 'rgba(0,0,0,0.5)';
      ctx.fillRect(x + 8, y + ch - 36, Math.min(cw - 16, 12 + tile.source.label.length * 9), 28);
      ctx.fillStyle = '#fff';
      ctx.font = '16px sans-serif';
      ctx.fillText(tile.source.label, x + 14, y + ch - 16);
    });
  }
}

/** Browser: collects the chunks and offers the file as a download when done. */
export function downloadSink(fileName: string, doc: Document = document): RecordingSink {
  let parts: BlobPart[] = [];
  return {
    async write(chunk) {
      parts.push(chunk as BlobPart);
    },
    async close() {
      const url = URL.createObjectURL(new Blob(parts, { type: 'video/webm' }));
      parts = [];
      const a = doc.createElement('a');
      a.href = url;
      a.download = fileName;
      doc.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    async abort() {
      parts = [];
    },
  };
}
