// Pure: who holds the "speaking" highlight, from audio levels sampled every SPEAKER_POLL_MS.
//
// A raw "loudest right now" flickers: a cough, a door or the gap between two words moves it.
// So the highlight changes hands with hysteresis:
// - to take it, a member must be the loudest above SPEAKING_LEVEL for SPEAKER_TAKE_POLLS polls
//   in a row (~0.5 s);
// - while the holder still speaks, a challenger must also be SPEAKER_TAKEOVER_RATIO times
//   louder (two people talking at once do not swap it back and forth);
// - the holder keeps it SPEAKER_HOLD_MS after falling silent (pauses between sentences),
//   unless someone else takes it as above;
// - a member who can no longer speak (muted, left, pair down) loses it at once.

/** Audio levels are read this often: fast enough to follow a conversation (< 1 s), cheap. */
export const SPEAKER_POLL_MS = 250;
/** Below this audio level (0..1, linear, RFC 6464 / getStats scale) nobody is speaking. */
export const SPEAKING_LEVEL = 0.02;
/** Consecutive polls a member must be loudest to take the highlight. */
export const SPEAKER_TAKE_POLLS = 2;
/** The holder keeps the highlight this long after their last poll above SPEAKING_LEVEL. */
export const SPEAKER_HOLD_MS = 1000;
/** Over a holder who still speaks, a challenger must be this much louder (×2 ≈ +6 dB). */
export const SPEAKER_TAKEOVER_RATIO = 2;

export interface SpeakerState {
  /** Who holds the highlight (a socket id), or null. */
  readonly speaker: string | null;
  /** When the holder was last heard above SPEAKING_LEVEL. */
  readonly heardAt: number;
  /** Who has been loudest in the last polls without holding the highlight, and how many. */
  readonly challenger: string | null;
  readonly streak: number;
}

export const noSpeaker: SpeakerState = { speaker: null, heardAt: 0, challenger: null, streak: 0 };

/**
 * One poll. `levels` holds everyone who may speak now (muted members and closed pairs left
 * out); a level of null is "unknown", counted as silence.
 */
export function nextSpeaker(
  state: SpeakerState,
  levels: ReadonlyMap<string, number | null>,
  now: number,
): SpeakerState {
  let s = forgetAbsent(state, levels);
  let loudest: string | null = null;
  let top = SPEAKING_LEVEL;
  for (const [id, level] of levels)
    if (level !== null && level > top) {
      loudest = id;
      top = level;
    }
  const held = s.speaker === null ? null : (levels.get(s.speaker) ?? null);
  const holderSpeaks = held !== null && held > SPEAKING_LEVEL;
  if (holderSpeaks) s = { ...s, heardAt: now };
  else if (s.speaker !== null && now - s.heardAt >= SPEAKER_HOLD_MS) s = { ...s, speaker: null };

  const clear =
    loudest !== null &&
    loudest !== s.speaker &&
    (!holderSpeaks || top >= held * SPEAKER_TAKEOVER_RATIO);
  if (!clear) return s.challenger === null ? s : { ...s, challenger: null, streak: 0 };
  const streak = s.challenger === loudest ? s.streak + 1 : 1;
  if (streak < SPEAKER_TAKE_POLLS) return { ...s, challenger: loudest, streak };
  return { speaker: loudest, heardAt: now, challenger: null, streak: 0 };
}

/** Drops a holder or challenger who can no longer speak (muted, left) without waiting. */
export function forgetAbsent(
  state: SpeakerState,
  present: ReadonlyMap<string, unknown>,
): SpeakerState {
  const speakerGone = state.speaker !== null && !present.has(state.speaker);
  const challengerGone = state.challenger !== null && !present.has(state.challenger);
  if (!speakerGone && !challengerGone) return state;
  return {
    speaker: speakerGone ? null : state.speaker,
    heardAt: state.heardAt,
    challenger: challengerGone ? null : state.challenger,
    streak: challengerGone ? 0 : state.streak,
  };
}
