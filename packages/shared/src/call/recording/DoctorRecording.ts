// DOM, framework-free: the doctor's side of recording. The doctor picks where the file goes
// first (a save dialog in Electron), then the service asks everyone; the recorder follows the
// service's consent state — starts when all accepted, pauses while someone new has not
// answered, stops (and finishes the file) when anyone withdraws or the doctor stops. A request
// that never started leaves no file.
import type { RecordingStateEvent } from '../../contracts/recording.js';
import type { RecordingConsent } from './RecordingConsent.js';
import { VisitRecorder, type RecorderSource, type RecordingSink } from './VisitRecorder.js';

export type DoctorRecordingPhase =
  | { kind: 'idle' }
  | { kind: 'choosing' }
  | { kind: 'asking' }
  | { kind: 'recording' }
  | { kind: 'paused' }
  | { kind: 'saving' }
  | { kind: 'saved'; bytes: number }
  | { kind: 'declined' }
  | { kind: 'failed'; message: string };

export interface DoctorRecordingOptions {
  consent: RecordingConsent;
  /** Where to write; null when the doctor cancelled the save dialog. */
  openSink(): Promise<RecordingSink | null>;
  /** Everyone's streams now (local first). */
  sources(): RecorderSource[];
  recorder?: ConstructorParameters<typeof VisitRecorder>[1];
}

export class DoctorRecording {
  private readonly o: DoctorRecordingOptions;
  private sink: RecordingSink | null = null;
  private recorder: VisitRecorder | null = null;
  private phase: DoctorRecordingPhase = { kind: 'idle' };
  private readonly listeners = new Set<() => void>();
  private readonly off: () => void;
  private lastState: RecordingStateEvent | null = null;

  constructor(options: DoctorRecordingOptions) {
    this.o = options;
    this.off = options.consent.subscribe(() => {
      const s = options.consent.getSnapshot().state;
      if (s) void this.follow(s);
    });
  }

  getSnapshot = (): DoctorRecordingPhase => this.phase;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  get bytes(): number {
    return this.recorder?.bytes ?? 0;
  }

  /** The doctor pressed Record. */
  async begin(): Promise<void> {
    const k = this.phase.kind;
    if (k !== 'idle' && k !== 'saved' && k !== 'declined' && k !== 'failed') return;
    this.set({ kind: 'choosing' });
    let sink: RecordingSink | null;
    try {
      sink = await this.o.openSink();
    } catch (err) {
      this.set({ kind: 'failed', message: messageOf(err) });
      return;
    }
    if (!sink) {
      this.set({ kind: 'idle' });
      return;
    }
    this.sink = sink;
    this.set({ kind: 'asking' });
    const r = await this.o.consent.request();
    if (!r.ok) {
      await this.discard();
      this.set({ kind: 'failed', message: r.error.message });
    }
  }

  /** The doctor pressed Stop. */
  async stop(): Promise<void> {
    await this.o.consent.stop();
  }

  /** Call when participants or their streams change. */
  refreshSources(): void {
    this.recorder?.setSources(this.o.sources());
  }

  dispose(): void {
    this.off();
    void this.finish();
  }

  private async follow(s: RecordingStateEvent): Promise<void> {
    // The consent store notifies on prompt changes too; act once per state event.
    if (s === this.lastState) return;
    this.lastState = s;
    if (!this.sink) return;
    switch (s.status) {
      case 'asking':
        if (this.phase.kind === 'choosing') this.set({ kind: 'asking' });
        return;
      case 'recording':
        if (!this.recorder) {
          this.recorder = new VisitRecorder(this.sink, {
            ...this.o.recorder,
            onError: (err) => this.set({ kind: 'failed', message: messageOf(err) }),
          });
          try {
            this.recorder.start(this.o.sources());
          } catch (err) {
            this.recorder = null;
            await this.discard();
            this.set({ kind: 'failed', message: messageOf(err) });
            return;
          }
        } else this.recorder.resume();
        this.set({ kind: 'recording' });
        return;
      case 'paused':
        this.recorder?.pause();
        this.set({ kind: 'paused' });
        return;
      case 'off':
        if (this.recorder) await this.finish();
        else {
          await this.discard();
          this.set(s.reason === 'declined' ? { kind: 'declined' } : { kind: 'idle' });
        }
        return;
      default: {
        const never: never = s.status;
        return never;
      }
    }
  }

  private async finish(): Promise<void> {
    const recorder = this.recorder;
    this.recorder = null;
    this.sink = null;
    if (!recorder) return;
    this.set({ kind: 'saving' });
    try {
      await recorder.stop();
      if (recorder.state === 'done') this.set({ kind: 'saved', bytes: recorder.bytes });
      else this.set({ kind: 'failed', message: 'The recording could not be written.' });
    } catch (err) {
      this.set({ kind: 'failed', message: messageOf(err) });
    }
  }

  private async discard(): Promise<void> {
    const sink = this.sink;
    this.sink = null;
    await sink?.abort().catch(() => {});
  }

  private set(phase: DoctorRecordingPhase): void {
    this.phase = phase;
    for (const l of [...this.listeners]) l();
  }
}

const messageOf = (err: unknown) =>
  err instanceof Error ? err.message.slice(0, 200) : 'The recording failed.';
