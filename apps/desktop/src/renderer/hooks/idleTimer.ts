// DOM-free: fires `onIdle` after `timeoutMs` without user input on `target`. Paused while a
// call is running (a doctor listening to a patient touches nothing, yet is not idle).
export const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
] as const;

export interface IdleTimerOptions {
  target: EventTarget;
  timeoutMs: number;
  onIdle: () => void;
  now?: () => number;
}

export class IdleTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastActivity: number;
  private paused = false;
  private readonly now: () => number;

  constructor(private readonly options: IdleTimerOptions) {
    this.now = options.now ?? Date.now;
    this.lastActivity = this.now();
    for (const type of ACTIVITY_EVENTS)
      options.target.addEventListener(type, this.onActivity, { passive: true });
    this.arm();
  }

  /** Pausing stops the clock; resuming starts a fresh full timeout. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    this.lastActivity = this.now();
    this.arm();
  }

  dispose(): void {
    for (const type of ACTIVITY_EVENTS)
      this.options.target.removeEventListener(type, this.onActivity);
    this.clear();
  }

  // pointermove fires at frame rate; only the timestamp changes, the timer is re-armed lazily.
  private readonly onActivity = () => {
    this.lastActivity = this.now();
  };

  private arm(): void {
    this.clear();
    if (this.paused) return;
    const remaining = this.lastActivity + this.options.timeoutMs - this.now();
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (this.paused) return;
        if (this.now() - this.lastActivity >= this.options.timeoutMs) this.options.onIdle();
        else this.arm();
      },
      Math.max(0, remaining),
    );
  }

  private clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
