// Pure (no DOM globals): starting a <video> that carries the doctor's sound under browsers'
// autoplay policies, and the "Tap to turn on sound" that follows a refusal.
//
// Safari (iOS and macOS) refuses `play()` of an unmuted element outside a user gesture with a
// `NotAllowedError` (WebKit's "Auto-Play Policy Changes for macOS", and iOS's
// "Video Policies for iOS": muted video may autoplay, sound needs a gesture); Chromium does the
// same with a gesture autoplay policy. Muted playback is allowed, so the picture starts muted
// and the patient is offered a tap. iOS in Low Power Mode refuses even muted autoplay: then
// nothing plays until the tap. The tap must call `play()` inside the gesture itself, before
// any `await`: Safari forgets the gesture once the handler's task has returned.

/** What this needs of an HTMLMediaElement (a fake one in the unit tests). */
export interface PlayableMedia {
  muted: boolean;
  readonly paused: boolean;
  play(): Promise<void>;
}

export type PlaybackOutcome =
  /** Playing with sound. */
  | { kind: 'playing' }
  /** Sound refused: playing muted, waiting for the patient's tap. */
  | { kind: 'muted' }
  /** Refused even muted (iOS Low Power Mode): paused until the patient's tap. */
  | { kind: 'blocked' }
  /** A newer stream replaced this one while it started: nothing to tell the patient. */
  | { kind: 'aborted' }
  /** The media itself failed (decode, no source): the tap would not help. */
  | { kind: 'failed'; name: string };

const errorName = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string'
    ? err.name
    : 'Error';

/** Whether the patient should be offered "Tap to turn on sound" after this start. */
export const needsTap = (outcome: PlaybackOutcome): boolean =>
  outcome.kind === 'muted' || outcome.kind === 'blocked';

/**
 * Plays `el` with sound if the browser lets it, else muted; `muted: true` elements (self views)
 * are just played.
 */
export async function startPlayback(el: PlayableMedia): Promise<PlaybackOutcome> {
  const wanted = !el.muted;
  try {
    await el.play();
    return { kind: 'playing' };
  } catch (err) {
    const name = errorName(err);
    if (name === 'AbortError') return { kind: 'aborted' };
    if (name !== 'NotAllowedError' || !wanted) return fail(name);
  }
  el.muted = true;
  try {
    await el.play();
    return { kind: 'muted' };
  } catch (err) {
    const name = errorName(err);
    if (name === 'AbortError') return { kind: 'aborted' };
    return name === 'NotAllowedError' ? { kind: 'blocked' } : fail(name);
  }
}

function fail(name: string): PlaybackOutcome {
  return name === 'NotAllowedError' ? { kind: 'blocked' } : { kind: 'failed', name };
}

/**
 * Called from the tap's click handler: unmutes every element and plays it again, all
 * synchronously inside the gesture. True when all play with sound; false leaves the refused
 * ones muted (their picture keeps going), so the prompt can stay for another tap.
 */
export async function unmuteFromTap(els: readonly PlayableMedia[]): Promise<boolean> {
  const plays = els.map((el) => {
    el.muted = false;
    return el.play().then(
      () => true,
      (err: unknown) => {
        if (errorName(err) === 'AbortError') return true;
        el.muted = true;
        void el.play().catch(() => {});
        return false;
      },
    );
  });
  const results = await Promise.all(plays);
  return results.every(Boolean);
}
