// Test double (Node): the engine's local level meter (localLevel.ts). It reads the attached
// fake track's `level`, as the Web Audio meter reads what the microphone delivers.
import type { LocalLevelMeter } from '../localLevel.js';
import { type FakeMediaStreamTrack, fakeOf } from './fakeMedia.js';

export class FakeLevelMeter implements LocalLevelMeter {
  track: FakeMediaStreamTrack | null = null;
  /** Every track attached, in order (null: detached). */
  readonly attached: Array<FakeMediaStreamTrack | null> = [];
  closed = false;
  /** Test control: the meter cannot tell (a suspended AudioContext). */
  unknown = false;

  attach(track: MediaStreamTrack | null): void {
    if (this.closed) throw new Error('attach after close');
    this.track = fakeOf(track);
    this.attached.push(this.track);
  }
  read(): number | null {
    if (this.closed) throw new Error('read after close');
    if (this.unknown || !this.track) return null;
    return this.track.enabled && this.track.readyState === 'live' ? this.track.level : 0;
  }
  close(): void {
    this.closed = true;
    this.track = null;
  }
}
