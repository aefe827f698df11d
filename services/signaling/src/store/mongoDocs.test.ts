// No MongoDB server runs here, so the adapter's guards and update pipelines are evaluated with
// mingo, an in-memory implementation of MongoDB's query and aggregation language, and compared
// with the pure lifecycle rules the SQLite adapter applies (records.ts). The real server runs
// the same code in mongoStore.test.ts when MONGODB_URI is set.
import { aggregate, Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import type { Meeting, MeetingStatus, Participant } from '@bedside/shared';
import {
  activePipeline,
  instanceGonePipeline,
  leavePipeline,
  movableGuard,
  openEntryGuard,
  openGuard,
  openInstanceEntryGuard,
  terminalPipeline,
  toMeeting,
  toMeetingDoc,
} from './mongoDocs.js';
import {
  applyActive,
  applyInstanceGone,
  applyLeave,
  applyTerminal,
  isFinal,
  publicMeeting,
  type StoredParticipant,
} from './records.js';
import type { MeetingDoc } from './schemas.js';

const NOW = '2030-03-02T00:00:00.000Z';
const at = (sec: number) =>
  new Date(Date.parse('2030-03-01T09:00:00.000Z') + sec * 1000).toISOString();

/** What findOneAndUpdate does: apply the pipeline if the guard matches, else leave the doc. */
function serverUpdate(m: Meeting, guard: object, pipeline: object[]): Meeting {
  const doc = toMeetingDoc(m);
  if (!new Query(guard as Record<string, unknown>).test(doc)) return m;
  const [out] = aggregate([doc], pipeline as Record<string, unknown>[]) as unknown as MeetingDoc[];
  return toMeeting(out!);
}

// Deterministic pseudo-random meetings (mulberry32), covering every status and entry shape.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const STATUSES: MeetingStatus[] = ['scheduled', 'active', 'completed', 'cancelled'];
function sampleMeetings(count: number): Meeting[] {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const participants: Participant[] = Array.from({ length: Math.floor(r() * 5) }, (_, k) => ({
      userId: pick(['doc-1', 'pat-1', '$status', 'pat-2']),
      userType: pick(['doctor', 'patient'] as const),
      joinedAt: at(k * 10),
      leftAt: r() < 0.5 ? null : at(k * 10 + 5),
    }));
    const status = pick(STATUSES);
    return {
      appointmentId: `a${i}`,
      roomId: `room-a${i}`,
      doctorId: 'doc-1',
      patientId: 'pat-1',
      patientName: null,
      scheduledTime: at(0),
      startTime: status === 'scheduled' || r() < 0.2 ? null : at(Math.floor(r() * 100)),
      endTime: isFinal(status) ? at(500) : null,
      status,
      participants,
      duration: isFinal(status) ? 10 : null,
      createdAt: at(-100),
      updatedAt: at(-1),
    };
  });
}

const meetings = sampleMeetings(300);

describe('MongoDB updates agree with the lifecycle rules', () => {
  it('documents round-trip to identical records', () => {
    for (const m of meetings) expect(toMeeting(toMeetingDoc(m) as MeetingDoc)).toEqual(m);
  });

  it('markActive: scheduled only, startTime kept once set', () => {
    for (const m of meetings) {
      const expected = applyActive(m, at(42), NOW) ?? m;
      expect(
        serverUpdate(m, movableGuard('active'), activePipeline(new Date(at(42)), new Date(NOW))),
      ).toEqual(expected);
    }
  });

  it.each(['completed', 'cancelled'] as const)(
    'mark %s: guard, duration and closed entries',
    (to) => {
      for (const end of [at(754.9), at(0), at(-30)]) {
        for (const m of meetings) {
          const expected = applyTerminal(m, to, end, NOW) ?? m;
          const got = serverUpdate(
            m,
            movableGuard(to),
            terminalPipeline(to, new Date(end), new Date(NOW)),
          );
          expect(got).toEqual(expected);
        }
      }
    },
  );

  it('markParticipantLeft: latest open entry of that user only, ids taken literally', () => {
    let closed = 0;
    for (const m of meetings) {
      for (const user of ['pat-1', 'doc-1', '$status', 'nobody']) {
        const expected = applyLeave(m, user, at(999), NOW) ?? m;
        if (expected !== m) closed++;
        const got = serverUpdate(
          m,
          openEntryGuard(user),
          leavePipeline(user, new Date(at(999)), new Date(NOW)),
        );
        expect(got).toEqual(expected);
      }
    }
    expect(closed).toBeGreaterThan(100);
  });

  it('a dead instance: its open entries close at its last beat (never before joinedAt), ids literal', () => {
    const r = rng(7);
    const tracked = meetings.map((m) => ({
      ...m,
      participants: m.participants.map((p): StoredParticipant => {
        const id = ['inst-a', 'inst-b', '$status', undefined][Math.floor(r() * 4)];
        return id === undefined ? p : { ...p, instanceId: id };
      }),
    }));
    let changed = 0;
    for (const m of tracked) {
      // The entry kept its instanceId in the document; the record callers see has none.
      expect(toMeeting(toMeetingDoc(m) as MeetingDoc)).toEqual(publicMeeting(m));
      for (const id of ['inst-a', '$status', 'inst-c']) {
        for (const beat of [at(15), at(999)]) {
          const next = applyInstanceGone(m, id, beat, NOW);
          if (next) changed++;
          const got = serverUpdate(
            m,
            openInstanceEntryGuard(id),
            instanceGonePipeline(id, new Date(beat), new Date(NOW)),
          );
          // A missed guard hands back the input itself, instanceIds and all.
          expect(publicMeeting(got)).toEqual(publicMeeting(next ?? m));
        }
      }
    }
    expect(changed).toBeGreaterThan(50);
  });

  it('joins are guarded to meetings that are not final', () => {
    for (const m of meetings) {
      expect(new Query(openGuard() as Record<string, unknown>).test(toMeetingDoc(m))).toBe(
        !isFinal(m.status),
      );
    }
  });
});
