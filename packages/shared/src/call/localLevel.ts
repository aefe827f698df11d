// Our own microphone level for the active speaker, on the scale of the peers' packet levels.
//
// A peer's level comes from `RTCRtpReceiver.getSynchronizationSources()`: the RFC 6464 level
// the sender wrote into each RTP packet. Chromium (WebRTC's RmsLevel, RFC 6465 maths) takes
// the RMS of the packet's samples against full scale, rounds it to whole -dBov (0..127, 127
// silence), and the receiver hands it back as 10^(-dBov/20), linear 0..1. Our own level used
// to be getStats' media-source audioLevel: 2 s old (the quality sample) and a peak level, so a
// -12 dBFS tone read 0.25 for us against 0.178 for a peer (bench/speaker-level.bench.ts).
// Here the same RMS, in the page: a Web Audio AnalyserNode on the track we send, read at the
// speaker poll.

/** RMS of time-domain samples (−1..1 of full scale). 0 for none. */
export function rmsOf(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}

/** RFC 6464's floor: 127 -dBov is silence. */
const RFC6464_SILENCE = 127;

/**
 * An RMS (0..1 of full scale) as getSynchronizationSources reports it: rounded to whole
 * -dBov as the packet carries it, then back to linear; at or below -127 dBov, 0.
 */
export function rfc6464Level(rms: number): number {
  if (!(rms > 0)) return 0;
  const dbov = Math.min(RFC6464_SILENCE, Math.max(0, Math.round(-20 * Math.log10(rms))));
  return dbov === RFC6464_SILENCE ? 0 : 10 ** (-dbov / 20);
}

/**
 * Measures the microphone track we send. The engine attaches the current track whenever it
 * changes (device switch, unplug, mute: null), reads at every speaker poll and closes the
 * meter when nobody is left to hear or the call ends.
 */
export interface LocalLevelMeter {
  /** Measures this track from now on; null stops measuring (keeps the meter for later). */
  attach(track: MediaStreamTrack | null): void;
  /** The level now (linear 0..1, RFC 6464 scale), or null when it cannot tell. */
  read(): number | null;
  /** Releases everything (the AudioContext: browsers cap how many a page may hold). */
  close(): void;
}

export type LocalLevelMeterFactory = () => LocalLevelMeter;

/** ~21 ms at 48 kHz: about one 20 ms Opus packet, the span a peer's packet level covers. */
const WINDOW = 1024;

type AudioContextCtor = typeof AudioContext;

/** DOM: the meter on Web Audio. One AudioContext for the meter's life, one source per track. */
export class WebAudioLevelMeter implements LocalLevelMeter {
  private ctx: AudioContext | null = null;
  private analyser: AnalyserNode | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private track: MediaStreamTrack | null = null;
  private readonly buf = new Float32Array(WINDOW);
  private closed = false;

  constructor(
    private readonly Ctx: AudioContextCtor,
    private readonly MS: typeof MediaStream,
  ) {}

  attach(track: MediaStreamTrack | null): void {
    if (this.closed || track === this.track) return;
    this.source?.disconnect();
    this.source = null;
    this.track = track;
    if (!track) return;
    try {
      if (!this.ctx) {
        this.ctx = new this.Ctx();
        this.analyser = this.ctx.createAnalyser();
        this.analyser.fftSize = WINDOW;
      }
      // A stream of the audio track alone: the caller's stream is left untouched.
      this.source = this.ctx.createMediaStreamSource(new this.MS([track]));
      this.source.connect(this.analyser!);
      // Autoplay policy may hold the context suspended until a user gesture.
      if (this.ctx.state !== 'running') void this.ctx.resume().catch(() => {});
    } catch {
      // No audio output device, too many contexts: the engine falls back to getStats.
      this.source = null;
    }
  }

  read(): number | null {
    if (!this.source || !this.analyser || this.ctx?.state !== 'running') return null;
    this.analyser.getFloatTimeDomainData(this.buf);
    return rfc6464Level(rmsOf(this.buf));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source?.disconnect();
    this.source = null;
    this.track = null;
    const ctx = this.ctx;
    this.ctx = null;
    this.analyser = null;
    void ctx?.close().catch(() => {});
  }
}

/** The default meter where Web Audio exists (browsers, Electron), else none (getStats level). */
export function defaultLevelMeterFactory(): LocalLevelMeterFactory | null {
  const g = globalThis as typeof globalThis & { webkitAudioContext?: AudioContextCtor };
  const Ctx = typeof g.AudioContext === 'function' ? g.AudioContext : g.webkitAudioContext;
  const MS = typeof g.MediaStream === 'function' ? g.MediaStream : null;
  if (typeof Ctx !== 'function' || !MS) return null;
  return () => new WebAudioLevelMeter(Ctx, MS);
}
