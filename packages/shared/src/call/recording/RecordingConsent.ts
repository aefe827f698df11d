// DOM or Node, framework-free: one participant's view of the visit's recording consent, fed
// by the service's `recording-request` / `recording-state` events through the engine. The
// service holds the truth; this only remembers the open prompt and our own answer.
import type { Result } from '../../contracts/common.js';
import type { RecordingAskEvent, RecordingStateEvent } from '../../contracts/recording.js';
import type { CallEngineApi } from '../types.js';

export interface RecordingConsentSnapshot {
  /** Null until the service said anything. */
  state: RecordingStateEvent | null;
  /** An open consent prompt for us (participants only). */
  prompt: RecordingAskEvent | null;
  /** We accepted the live request (so we may withdraw). */
  accepted: boolean;
}

type EngineLike = Pick<CallEngineApi, 'onVisitEvent' | 'sendVisitEvent'>;

export class RecordingConsent {
  private snap: RecordingConsentSnapshot = { state: null, prompt: null, accepted: false };
  private readonly listeners = new Set<() => void>();
  private engine: EngineLike | null = null;
  private offs: Array<() => void> = [];

  constructor(private readonly roomId: string) {}

  getSnapshot = (): RecordingConsentSnapshot => this.snap;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts listening to an engine; returns an unbind function. */
  bind(engine: EngineLike): () => void {
    this.unbind();
    this.engine = engine;
    this.offs = [
      engine.onVisitEvent('recording-request', (e) => {
        if (e.roomId !== this.roomId) return;
        this.set({ prompt: e, accepted: false });
      }),
      engine.onVisitEvent('recording-state', (e) => {
        if (e.roomId !== this.roomId) return;
        const off = e.status === 'off';
        this.set({
          state: e,
          ...(off ? { prompt: null, accepted: false } : {}),
        });
      }),
    ];
    return () => this.unbind();
  }

  private unbind(): void {
    for (const off of this.offs.splice(0)) off();
    this.engine = null;
  }

  /** Doctor: ask everyone. */
  request(): Promise<Result<unknown>> {
    return this.send('recording-request', { roomId: this.roomId });
  }
  /** Doctor: stop recording or asking. */
  stop(): Promise<Result<unknown>> {
    return this.send('recording-stop', { roomId: this.roomId });
  }
  /** Participant: answer the prompt, or (accept=false after accepting) withdraw. */
  async answer(accept: boolean): Promise<Result<unknown>> {
    const r = await this.send('recording-consent', { roomId: this.roomId, accept });
    if (r.ok) this.set({ prompt: null, accepted: accept });
    return r;
  }

  private send(
    event: 'recording-request' | 'recording-stop' | 'recording-consent',
    payload: { roomId: string; accept?: boolean },
  ): Promise<Result<unknown>> {
    if (!this.engine)
      return Promise.resolve({
        ok: false,
        error: { code: 'not-in-room', message: 'not in the call' },
      });
    if (event === 'recording-consent')
      return this.engine.sendVisitEvent(event, {
        roomId: payload.roomId,
        accept: payload.accept ?? false,
      });
    return this.engine.sendVisitEvent(event, { roomId: payload.roomId });
  }

  private set(patch: Partial<RecordingConsentSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const l of [...this.listeners]) l();
  }
}
