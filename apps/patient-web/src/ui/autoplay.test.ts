import { describe, expect, it } from 'vitest';
import { needsTap, startPlayback, unmuteFromTap, type PlayableMedia } from './autoplay.ts';

/**
 * A media element under Safari's autoplay policy. A fake because Safari cannot run here
 * (Debian's WebKitGTK is built without WebRTC); it refuses as WebKit does, never more kindly:
 * `play()` of an unmuted element outside a user gesture rejects with a `NotAllowedError`
 * DOMException and leaves the element paused; in Low Power Mode even muted play is refused.
 * A gesture lasts only while the tap's handler runs synchronously (WebKit's
 * UserGestureIndicator), so a `play()` after an `await` in the handler is refused too.
 */
class SafariLikeVideo implements PlayableMedia {
  muted = false;
  paused = true;
  plays = 0;
  private inGesture = false;
  constructor(private readonly policy: { lowPower?: boolean } = {}) {}

  play(): Promise<void> {
    this.plays += 1;
    const allowed = this.inGesture || (this.muted && !this.policy.lowPower);
    if (!allowed) {
      return Promise.reject(
        new DOMException(
          'The request is not allowed by the user agent or the platform in the current context, possibly because the user denied permission.',
          'NotAllowedError',
        ),
      );
    }
    this.paused = false;
    return Promise.resolve();
  }

  /** The patient taps: `handler` runs with a gesture, which ends when it returns. */
  tap<R>(handler: () => R): R {
    this.inGesture = true;
    try {
      return handler();
    } finally {
      this.inGesture = false;
    }
  }
}

/** Several elements tapped at once (one click covers the whole page). */
function tapAll<R>(els: SafariLikeVideo[], handler: () => R): R {
  const [first, ...rest] = els;
  if (!first) return handler();
  return first.tap(() => tapAll(rest, handler));
}

describe('startPlayback', () => {
  it('plays with sound when the browser allows it', async () => {
    const el = { muted: false, paused: true, play: () => Promise.resolve() };
    expect(await startPlayback(el)).toEqual({ kind: 'playing' });
    expect(el.muted).toBe(false);
  });

  it('falls back to muted playback when sound is refused, and asks for a tap', async () => {
    const el = new SafariLikeVideo();
    const outcome = await startPlayback(el);
    expect(outcome).toEqual({ kind: 'muted' });
    expect(needsTap(outcome)).toBe(true);
    expect(el.muted).toBe(true);
    expect(el.paused).toBe(false); // the doctor's picture moves while waiting for the tap
  });

  it('reports blocked when even muted play is refused (iOS Low Power Mode)', async () => {
    const el = new SafariLikeVideo({ lowPower: true });
    const outcome = await startPlayback(el);
    expect(outcome).toEqual({ kind: 'blocked' });
    expect(needsTap(outcome)).toBe(true);
    expect(el.paused).toBe(true);
  });

  it('plays a muted self view without asking for anything', async () => {
    const el = new SafariLikeVideo();
    el.muted = true;
    const outcome = await startPlayback(el);
    expect(outcome).toEqual({ kind: 'playing' });
    expect(needsTap(outcome)).toBe(false);
    expect(el.plays).toBe(1);
  });

  it('says nothing when a newer stream aborted the start', async () => {
    const el = {
      muted: false,
      paused: true,
      play: () => Promise.reject(new DOMException('interrupted by a new load', 'AbortError')),
    };
    const outcome = await startPlayback(el);
    expect(outcome).toEqual({ kind: 'aborted' });
    expect(needsTap(outcome)).toBe(false);
    expect(el.muted).toBe(false);
  });

  it('does not offer a tap when the media itself failed', async () => {
    const el = {
      muted: false,
      paused: true,
      play: () => Promise.reject(new DOMException('no supported source', 'NotSupportedError')),
    };
    const outcome = await startPlayback(el);
    expect(outcome).toEqual({ kind: 'failed', name: 'NotSupportedError' });
    expect(needsTap(outcome)).toBe(false);
  });
});

describe('unmuteFromTap', () => {
  it('turns the sound on from the tap: unmuted and playing', async () => {
    const el = new SafariLikeVideo();
    await startPlayback(el);
    const ok = await el.tap(() => unmuteFromTap([el]));
    expect(ok).toBe(true);
    expect(el.muted).toBe(false);
    expect(el.paused).toBe(false);
  });

  it('starts a video that Low Power Mode kept paused', async () => {
    const el = new SafariLikeVideo({ lowPower: true });
    await startPlayback(el);
    expect(await el.tap(() => unmuteFromTap([el]))).toBe(true);
    expect(el.paused).toBe(false);
    expect(el.muted).toBe(false);
  });

  it('unmutes every remote video from one tap (a grid of people)', async () => {
    const els = [new SafariLikeVideo(), new SafariLikeVideo(), new SafariLikeVideo()];
    for (const el of els) await startPlayback(el);
    expect(await tapAll(els, () => unmuteFromTap(els))).toBe(true);
    expect(els.map((el) => [el.muted, el.paused])).toEqual([
      [false, false],
      [false, false],
      [false, false],
    ]);
  });

  it('keeps the picture going muted, and says so, when called outside a gesture', async () => {
    const el = new SafariLikeVideo();
    await startPlayback(el);
    expect(await unmuteFromTap([el])).toBe(false);
    expect(el.muted).toBe(true);
    expect(el.paused).toBe(false);
  });
});
