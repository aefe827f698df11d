// Test double: a clock whose timers only fire when the test advances it.
import type { Clock } from '../clock.js';

interface Timer {
  id: number;
  at: number;
  every: number | null;
  fn: () => void;
}

export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, Timer>();

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { id, at: this.t + Math.max(0, ms), every: null, fn });
    return id;
  }
  setInterval(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { id, at: this.t + ms, every: Math.max(1, ms), fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  clearInterval(h: unknown): void {
    this.timers.delete(h as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Pending intervals of that period (a poll that should have stopped shows up here). */
  intervalsOf(ms: number): number {
    let n = 0;
    for (const tm of this.timers.values()) if (tm.every === Math.max(1, ms)) n++;
    return n;
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const tm of this.timers.values())
        if (tm.at <= end && (!next || tm.at < next.at)) next = tm;
      if (!next) break;
      this.t = next.at;
      if (next.every === null) this.timers.delete(next.id);
      else next.at += next.every;
      next.fn();
    }
    this.t = end;
  }
}
