import { describe, expect, it } from 'vitest';
import {
  SPEAKER_HOLD_MS,
  SPEAKER_POLL_MS,
  SPEAKER_TAKE_POLLS,
  type SpeakerState,
  forgetAbsent,
  nextSpeaker,
  noSpeaker,
} from './activeSpeaker.js';

interface Run {
  state: SpeakerState;
  /** When the next poll is due. */
  now: number;
}

/**
 * Runs polls SPEAKER_POLL_MS apart, carrying on from `from`; each row is one poll's levels.
 * Returns who holds the highlight after each poll.
 */
function run(rows: Array<Record<string, number | null>>, from: Run = { state: noSpeaker, now: 0 }) {
  let { state, now } = from;
  const seen: Array<string | null> = [];
  for (const row of rows) {
    state = nextSpeaker(state, new Map(Object.entries(row)), now);
    seen.push(state.speaker);
    now += SPEAKER_POLL_MS;
  }
  return { seen, state, now };
}

const quiet = { a: 0, b: 0 };

describe('nextSpeaker', () => {
  it('gives the highlight to whoever is loudest for SPEAKER_TAKE_POLLS polls in a row', () => {
    expect(SPEAKER_TAKE_POLLS).toBe(2);
    const { seen } = run([quiet, { a: 0.3, b: 0 }, { a: 0.3, b: 0 }, { a: 0.3, b: 0 }]);
    expect(seen).toEqual([null, null, 'a', 'a']);
  });

  it('nobody below SPEAKING_LEVEL', () => {
    const { seen } = run([
      { a: 0.019, b: 0.01 },
      { a: 0.019, b: 0.01 },
      { a: 0.02, b: null },
    ]);
    expect(seen).toEqual([null, null, null]);
  });

  it('does not flicker on single-poll blips, alternating or not', () => {
    const { seen } = run([
      { a: 0.4, b: 0 },
      { a: 0, b: 0.4 },
      { a: 0.4, b: 0 },
      { a: 0, b: 0.4 },
      { a: 0.4, b: 0 },
      { a: 0, b: 0 },
      { a: 0, b: 0.5 },
      { a: 0, b: 0 },
    ]);
    expect(seen.every((x) => x === null)).toBe(true);
    // And while someone holds it, another's blips do not take it either.
    const holding = run([{ a: 0.3 }, { a: 0.3 }]);
    const blips = run(
      [
        { a: 0.3, b: 0.9 },
        { a: 0.3, b: 0 },
        { a: 0, b: 0.9 },
        { a: 0.3, b: 0 },
        { a: 0, b: 0.9 },
      ],
      holding,
    );
    expect(blips.seen.every((x) => x === 'a')).toBe(true);
  });

  it('keeps it through a pause shorter than SPEAKER_HOLD_MS, then lets go', () => {
    const holding = run([{ a: 0.3 }, { a: 0.3 }]);
    const pausePolls = SPEAKER_HOLD_MS / SPEAKER_POLL_MS;
    const { seen } = run(
      [...Array.from({ length: pausePolls - 1 }, () => ({ a: 0 })), { a: 0.3 }],
      holding,
    );
    expect(seen.every((x) => x === 'a')).toBe(true);
    // Silent for SPEAKER_HOLD_MS: the 4th silent poll after the last one heard drops it.
    const silent = run(
      Array.from({ length: pausePolls + 1 }, () => ({ a: 0 })),
      holding,
    );
    expect(silent.seen).toEqual(['a', 'a', 'a', null, null]);
  });

  it('someone else takes over a silent holder after SPEAKER_TAKE_POLLS, inside the hold', () => {
    const holding = run([
      { a: 0.3, b: 0 },
      { a: 0.3, b: 0 },
    ]);
    const { seen } = run(
      [
        { a: 0, b: 0.1 },
        { a: 0, b: 0.1 },
      ],
      holding,
    );
    expect(seen).toEqual(['a', 'b']);
  });

  it('over a holder who still speaks, only a clearly louder voice takes over', () => {
    const holding = run([
      { a: 0.2, b: 0 },
      { a: 0.2, b: 0 },
    ]);
    // Talking at once, a bit louder: the holder keeps it.
    const overlap = run(
      Array.from({ length: 6 }, () => ({ a: 0.2, b: 0.3 })),
      holding,
    );
    expect(overlap.seen.every((x) => x === 'a')).toBe(true);
    // Twice as loud for two polls: taken.
    const louder = run(
      [
        { a: 0.2, b: 0.4 },
        { a: 0.2, b: 0.4 },
      ],
      holding,
    );
    expect(louder.seen).toEqual(['a', 'b']);
  });

  it('a holder who is muted or leaves loses it at once', () => {
    const holding = run([
      { a: 0.3, b: 0 },
      { a: 0.3, b: 0 },
    ]);
    expect(run([{ b: 0 }], holding).seen).toEqual([null]);
    // A level of null (unknown) is silence, not absence: the hold still applies.
    expect(run([{ a: null, b: 0 }], holding).seen).toEqual(['a']);
  });

  it('forgetAbsent drops a holder or challenger not in the room, keeps the rest as is', () => {
    const s: SpeakerState = { speaker: 'a', heardAt: 5, challenger: 'b', streak: 1 };
    expect(
      forgetAbsent(
        s,
        new Map([
          ['a', 0],
          ['b', 0],
        ]),
      ),
    ).toBe(s);
    expect(forgetAbsent(s, new Map([['b', 0]]))).toEqual({ ...s, speaker: null });
    expect(forgetAbsent(s, new Map([['a', 0]]))).toEqual({ ...s, challenger: null, streak: 0 });
  });
});
