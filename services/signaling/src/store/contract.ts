// Node (tests only): the one behaviour suite every MeetingStore adapter must pass. Each adapter's
// test file calls runStoreContract with a function that opens a fresh, empty store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_QUALITY_ENTRIES,
  MeetingSchema,
  type Meeting,
  type Participant,
  type ParticipantQuality,
} from '@bedside/shared';
import { StoreError, type StoreErrorCode } from './errors.js';
import type { AuditEntry, MeetingStore, NewMeeting } from './types.js';

export interface StoreContractOptions {
  /** Called after each test in place of `close()`, e.g. to drop a throwaway database. */
  dispose?: (store: MeetingStore) => Promise<void>;
}

const T0 = Date.parse('2030-03-01T09:00:00.000Z');
/** ISO time `sec` seconds after T0. */
const at = (sec: number): string => new Date(T0 + sec * 1000).toISOString();

const newMeeting = (appointmentId: string, over: Partial<NewMeeting> = {}): NewMeeting => ({
  appointmentId,
  roomId: `room-${appointmentId}`,
  doctorId: 'doc-1',
  patientId: 'pat-1',
  patientName: 'Ada Lovelace',
  scheduledTime: at(0),
  ...over,
});

const record = (appointmentId: string, over: Partial<Meeting> = {}): Meeting => ({
  appointmentId,
  roomId: `room-${appointmentId}`,
  doctorId: 'doc-1',
  patientId: 'pat-1',
  patientName: null,
  scheduledTime: at(0),
  startTime: at(60),
  endTime: at(660),
  status: 'completed',
  participants: [
    { userId: 'doc-1', userType: 'doctor', joinedAt: at(30), leftAt: at(660) },
    { userId: 'pat-1', userType: 'patient', joinedAt: at(60), leftAt: at(660) },
  ],
  duration: 600,
  createdAt: at(-86_400),
  updatedAt: at(660),
  ...over,
});

async function storeError(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected the call to throw a StoreError').toBeInstanceOf(StoreError);
  return err as StoreError;
}

async function expectCode(p: Promise<unknown>, code: StoreErrorCode): Promise<void> {
  expect((await storeError(p)).code).toBe(code);
}

async function collect(it: AsyncIterable<Meeting>): Promise<Meeting[]> {
  const out: Meeting[] = [];
  for await (const m of it) out.push(m);
  return out;
}

const rooms = (ms: readonly Meeting[]): string[] => ms.map((m) => m.roomId);

export function runStoreContract(
  name: string,
  open: () => Promise<MeetingStore>,
  opts: StoreContractOptions = {},
): void {
  describe(`MeetingStore contract: ${name}`, () => {
    let store: MeetingStore;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await (opts.dispose ? opts.dispose(store) : store.close());
    });

    describe('createMeeting / getMeeting', () => {
      it('creates a scheduled meeting with canonical UTC timestamps', async () => {
        const { meeting, created } = await store.createMeeting(
          newMeeting('appt-1', { scheduledTime: '2030-03-01T11:00:00+02:00' }),
        );
        expect(created).toBe(true);
        expect(meeting).toMatchObject({
          appointmentId: 'appt-1',
          roomId: 'room-appt-1',
          doctorId: 'doc-1',
          patientId: 'pat-1',
          patientName: 'Ada Lovelace',
          scheduledTime: '2030-03-01T09:00:00.000Z',
          startTime: null,
          endTime: null,
          status: 'scheduled',
          participants: [],
          duration: null,
        });
        expect(MeetingSchema.parse(meeting)).toEqual(meeting);
        expect(new Date(meeting.createdAt).toISOString()).toBe(meeting.createdAt);
        expect(meeting.updatedAt).toBe(meeting.createdAt);
        expect(await store.getMeeting('room-appt-1')).toEqual(meeting);
      });

      it('returns the existing meeting for the same appointmentId, unchanged', async () => {
        const first = await store.createMeeting(newMeeting('appt-1'));
        const again = await store.createMeeting(
          newMeeting('appt-1', { patientName: 'Someone Else', scheduledTime: at(3600) }),
        );
        expect(again.created).toBe(false);
        expect(again.meeting).toEqual(first.meeting);
        expect((await store.listMeetings({}, { page: 1, limit: 10 })).total).toBe(1);
      });

      it('creates each appointment once under concurrent requests', async () => {
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.createMeeting(newMeeting('appt-race'))),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.meeting.createdAt)).size).toBe(1);
      });

      it('refuses invalid input with bad-request and stores nothing', async () => {
        await expectCode(store.createMeeting(newMeeting('has space')), 'bad-request');
        await expectCode(
          store.createMeeting(newMeeting('appt-2', { roomId: 'room-other' })),
          'bad-request',
        );
        await expectCode(
          store.createMeeting(newMeeting('appt-3', { scheduledTime: 'tomorrow' })),
          'bad-request',
        );
        await expectCode(
          store.createMeeting(newMeeting('appt-4', { doctorId: '' })),
          'bad-request',
        );
        expect((await store.listMeetings({}, { page: 1, limit: 10 })).total).toBe(0);
      });

      it('returns null for an unknown or non-string roomId', async () => {
        await store.createMeeting(newMeeting('appt-1'));
        expect(await store.getMeeting('room-nope')).toBeNull();
        expect(await store.getMeeting({ $ne: null } as unknown as string)).toBeNull();
        expect(await store.getMeeting({ $gt: '' } as unknown as string)).toBeNull();
      });

      it('stores hostile strings literally and matches them only literally', async () => {
        const hostile = `'); DROP TABLE meetings; -- {"$gt":""} \\ "`;
        const { meeting } = await store.createMeeting(
          newMeeting('appt-h', { patientName: hostile, doctorId: '{"$ne":null}' }),
        );
        await store.createMeeting(newMeeting('appt-other'));
        expect((await store.getMeeting('room-appt-h'))?.patientName).toBe(hostile);
        expect(await store.getMeeting(`room-appt-h' OR '1'='1`)).toBeNull();
        expect(await store.getMeeting('{"$gt":""}')).toBeNull();
        const mine = await store.listMeetings({ doctorId: '{"$ne":null}' }, { page: 1, limit: 10 });
        expect(rooms(mine.items)).toEqual([meeting.roomId]);
        await expectCode(
          store.listMeetings(
            { doctorId: { $ne: null } as unknown as string },
            { page: 1, limit: 10 },
          ),
          'bad-request',
        );
      });
    });

    describe('listMeetings', () => {
      beforeEach(async () => {
        const plan: [string, string, number][] = [
          ['a1', 'doc-a', 0],
          ['a2', 'doc-a', 3600],
          ['a3', 'doc-a', 7200],
          ['a4', 'doc-a', 10800],
          ['a5', 'doc-a', 14400],
          ['b1', 'doc-b', 1800],
          ['b2', 'doc-b', 5400],
        ];
        for (const [appt, doctorId, sec] of plan) {
          await store.createMeeting(newMeeting(appt, { doctorId, scheduledTime: at(sec) }));
        }
        await store.markActive('room-a2', at(3700));
        await store.markCancelled('room-a4', at(10000));
      });

      it('lists newest scheduledTime first with the total', async () => {
        const all = await store.listMeetings({}, { page: 1, limit: 50 });
        expect(all.total).toBe(7);
        expect(rooms(all.items)).toEqual([
          'room-a5',
          'room-a4',
          'room-a3',
          'room-b2',
          'room-a2',
          'room-b1',
          'room-a1',
        ]);
      });

      it('filters by doctor and paginates', async () => {
        const p1 = await store.listMeetings({ doctorId: 'doc-a' }, { page: 1, limit: 2 });
        const p2 = await store.listMeetings({ doctorId: 'doc-a' }, { page: 2, limit: 2 });
        const p3 = await store.listMeetings({ doctorId: 'doc-a' }, { page: 3, limit: 2 });
        const p4 = await store.listMeetings({ doctorId: 'doc-a' }, { page: 4, limit: 2 });
        expect([p1.total, p2.total, p3.total, p4.total]).toEqual([5, 5, 5, 5]);
        expect(rooms(p1.items)).toEqual(['room-a5', 'room-a4']);
        expect(rooms(p2.items)).toEqual(['room-a3', 'room-a2']);
        expect(rooms(p3.items)).toEqual(['room-a1']);
        expect(p4.items).toEqual([]);
        const b = await store.listMeetings({ doctorId: 'doc-b' }, { page: 1, limit: 10 });
        expect(rooms(b.items)).toEqual(['room-b2', 'room-b1']);
        expect(
          (await store.listMeetings({ doctorId: 'doc-z' }, { page: 1, limit: 10 })).total,
        ).toBe(0);
      });

      it('filters by status and by a [from, to) scheduledTime range', async () => {
        const active = await store.listMeetings({ status: 'active' }, { page: 1, limit: 10 });
        expect(rooms(active.items)).toEqual(['room-a2']);
        const cancelled = await store.listMeetings({ status: 'cancelled' }, { page: 1, limit: 10 });
        expect(rooms(cancelled.items)).toEqual(['room-a4']);
        const scheduled = await store.listMeetings({ status: 'scheduled' }, { page: 1, limit: 10 });
        expect(scheduled.total).toBe(5);

        const range = await store.listMeetings(
          { from: at(1800), to: at(7200) },
          { page: 1, limit: 10 },
        );
        expect(rooms(range.items)).toEqual(['room-b2', 'room-a2', 'room-b1']);
        // Offsets are compared as instants, not as text.
        const shifted = await store.listMeetings(
          { from: '2030-03-01T11:30:00+02:00', to: '2030-03-01T12:00:00+02:00' },
          { page: 1, limit: 10 },
        );
        expect(rooms(shifted.items)).toEqual(['room-b1']);

        const combined = await store.listMeetings(
          { doctorId: 'doc-a', status: 'scheduled', from: at(0), to: at(14400) },
          { page: 1, limit: 10 },
        );
        expect(rooms(combined.items)).toEqual(['room-a3', 'room-a1']);
        expect(combined.total).toBe(2);
      });

      it('refuses a bad page or filter with bad-request', async () => {
        await expectCode(store.listMeetings({}, { page: 0, limit: 10 }), 'bad-request');
        await expectCode(store.listMeetings({}, { page: 1, limit: 0 }), 'bad-request');
        await expectCode(
          store.listMeetings({ status: 'deleted' as never }, { page: 1, limit: 10 }),
          'bad-request',
        );
        await expectCode(
          store.listMeetings({ from: 'yesterday' }, { page: 1, limit: 10 }),
          'bad-request',
        );
      });
    });

    it('pages through equal scheduledTimes without repeats or gaps', async () => {
      for (let i = 0; i < 7; i++) await store.createMeeting(newMeeting(`tie-${i}`));
      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) {
        seen.push(...rooms((await store.listMeetings({}, { page, limit: 2 })).items));
      }
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
    });

    describe('lifecycle', () => {
      beforeEach(async () => {
        await store.createMeeting(newMeeting('life'));
      });

      it('markActive moves scheduled → active and sets startTime once', async () => {
        const active = await store.markActive('room-life', at(100));
        expect(active).toMatchObject({ status: 'active', startTime: at(100) });
        const again = await store.markActive('room-life', at(200));
        expect(again).toMatchObject({ status: 'active', startTime: at(100) });
        expect(await store.getMeeting('room-life')).toEqual(again);
      });

      it('returns null for an unknown room on every lifecycle method', async () => {
        expect(await store.markActive('room-none', at(1))).toBeNull();
        expect(await store.markCompleted('room-none', at(1))).toBeNull();
        expect(await store.markCancelled('room-none', at(1))).toBeNull();
        expect(
          await store.addParticipant('room-none', {
            userId: 'u',
            userType: 'doctor',
            joinedAt: at(1),
          }),
        ).toBeNull();
        expect(await store.markParticipantLeft('room-none', 'u', at(1))).toBeNull();
      });

      it('refuses bad timestamps and entries with bad-request', async () => {
        await expectCode(store.markActive('room-life', 'now'), 'bad-request');
        await expectCode(store.markCompleted('room-life', ''), 'bad-request');
        await expectCode(
          store.addParticipant('room-life', {
            userId: 'u',
            userType: 'admin' as never,
            joinedAt: at(1),
          }),
          'bad-request',
        );
        expect(await store.getMeeting('room-life')).toMatchObject({
          status: 'scheduled',
          participants: [],
        });
      });

      it('records one participant entry per join, so reconnects show', async () => {
        await store.addParticipant('room-life', {
          userId: 'doc-1',
          userType: 'doctor',
          joinedAt: at(10),
        });
        await store.addParticipant('room-life', {
          userId: 'pat-1',
          userType: 'patient',
          joinedAt: at(20),
        });
        await store.markParticipantLeft('room-life', 'pat-1', at(30));
        const m = await store.addParticipant('room-life', {
          userId: 'pat-1',
          userType: 'patient',
          joinedAt: at(40),
        });
        expect(m?.participants).toEqual<Participant[]>([
          { userId: 'doc-1', userType: 'doctor', joinedAt: at(10), leftAt: null },
          { userId: 'pat-1', userType: 'patient', joinedAt: at(20), leftAt: at(30) },
          { userId: 'pat-1', userType: 'patient', joinedAt: at(40), leftAt: null },
        ]);
      });

      it('markParticipantLeft closes only the latest open entry of that user', async () => {
        // A reconnect can arrive before the old socket's disconnect: two open entries.
        await store.addParticipant('room-life', {
          userId: 'pat-1',
          userType: 'patient',
          joinedAt: at(10),
        });
        await store.addParticipant('room-life', {
          userId: 'doc-1',
          userType: 'doctor',
          joinedAt: at(15),
        });
        await store.addParticipant('room-life', {
          userId: 'pat-1',
          userType: 'patient',
          joinedAt: at(20),
        });
        const first = await store.markParticipantLeft('room-life', 'pat-1', at(30));
        expect(first?.participants.map((p) => p.leftAt)).toEqual([null, null, at(30)]);
        const second = await store.markParticipantLeft('room-life', 'pat-1', at(40));
        expect(second?.participants.map((p) => p.leftAt)).toEqual([at(40), null, at(30)]);
        const none = await store.markParticipantLeft('room-life', 'pat-1', at(50));
        expect(none).toEqual(second);
        const stranger = await store.markParticipantLeft('room-life', 'nobody', at(50));
        expect(stranger).toEqual(second);
      });

      it('markCompleted sets endTime, whole-second duration and closes open entries', async () => {
        await store.addParticipant('room-life', {
          userId: 'doc-1',
          userType: 'doctor',
          joinedAt: at(10),
        });
        await store.addParticipant('room-life', {
          userId: 'pat-1',
          userType: 'patient',
          joinedAt: at(20),
        });
        await store.markActive('room-life', at(20));
        await store.markParticipantLeft('room-life', 'pat-1', at(500));
        const end = new Date(T0 + 20_000 + 754_900).toISOString(); // 754.9 s after start
        const done = await store.markCompleted('room-life', end);
        expect(done).toMatchObject({
          status: 'completed',
          startTime: at(20),
          endTime: end,
          duration: 754,
        });
        expect(done?.participants.map((p) => p.leftAt)).toEqual([end, at(500)]);
        expect(MeetingSchema.parse(done)).toEqual(done);
        expect(await store.getMeeting('room-life')).toEqual(done);
      });

      it('completes a meeting that never started with duration 0 and no startTime', async () => {
        const done = await store.markCompleted('room-life', at(900));
        expect(done).toMatchObject({
          status: 'completed',
          startTime: null,
          endTime: at(900),
          duration: 0,
        });
      });

      it('markCancelled closes a scheduled or active meeting', async () => {
        const c = await store.markCancelled('room-life', at(50));
        expect(c).toMatchObject({
          status: 'cancelled',
          endTime: at(50),
          duration: 0,
          startTime: null,
        });

        await store.createMeeting(newMeeting('life-2'));
        await store.addParticipant('room-life-2', {
          userId: 'doc-1',
          userType: 'doctor',
          joinedAt: at(5),
        });
        await store.markActive('room-life-2', at(10));
        const c2 = await store.markCancelled('room-life-2', at(70));
        expect(c2).toMatchObject({ status: 'cancelled', endTime: at(70), duration: 60 });
        expect(c2?.participants[0]?.leftAt).toBe(at(70));
      });

      it('never moves status backwards; completed and cancelled are final', async () => {
        await store.markActive('room-life', at(10));
        const done = await store.markCompleted('room-life', at(70));
        expect(await store.markActive('room-life', at(80))).toEqual(done);
        expect(await store.markCancelled('room-life', at(80))).toEqual(done);
        expect(await store.markCompleted('room-life', at(999))).toEqual(done);
        expect(
          await store.addParticipant('room-life', {
            userId: 'late',
            userType: 'patient',
            joinedAt: at(90),
          }),
        ).toEqual(done);

        await store.createMeeting(newMeeting('life-c'));
        const cancelled = await store.markCancelled('room-life-c', at(5));
        expect(await store.markActive('room-life-c', at(6))).toEqual(cancelled);
        expect(await store.markCompleted('room-life-c', at(6))).toEqual(cancelled);
        expect(await store.getMeeting('room-life-c')).toEqual(cancelled);
      });

      it('keeps every concurrent join and never un-completes a raced meeting', async () => {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.addParticipant('room-life', {
              userId: `u${i}`,
              userType: 'patient',
              joinedAt: at(i),
            }),
          ),
        );
        expect((await store.getMeeting('room-life'))?.participants).toHaveLength(10);

        await Promise.all([
          store.markCompleted('room-life', at(100)),
          store.markActive('room-life', at(50)),
        ]);
        const m = await store.getMeeting('room-life');
        expect(m?.status).toBe('completed');
        expect(m?.participants.every((p) => p.leftAt !== null)).toBe(true);
      });
    });

    describe('quality summaries', () => {
      const summary = (
        userId: string,
        over: Partial<ParticipantQuality> = {},
      ): ParticipantQuality => ({
        userId,
        userType: 'patient',
        at: at(300),
        samples: 12,
        rttMedianMs: 47.5,
        rttP95Ms: 900,
        packetLossMedian: 0,
        packetLossP95: 0.3,
        bitrateMedianKbps: 1000,
        secondsByLevel: { good: 45, fair: 0, poor: 15, lost: 0 },
        iceRestarts: 1,
        relayUsed: true,
        ...over,
      });

      it('appends summaries in order, in any status, and returns them with the meeting', async () => {
        await store.createMeeting(newMeeting('q1'));
        expect((await store.getMeeting('room-q1'))?.quality ?? []).toEqual([]);
        await store.addQualitySummary('room-q1', summary('pat-1'));
        const done = await store.markCompleted('room-q1', at(400));
        const after = await store.addQualitySummary(
          'room-q1',
          summary('doc-1', {
            userType: 'doctor',
            at: '2030-03-01T10:06:40+01:00',
            relayUsed: false,
          }),
        );
        expect(after?.quality).toEqual([
          summary('pat-1'),
          summary('doc-1', { userType: 'doctor', at: at(400), relayUsed: false }),
        ]);
        expect(await store.getMeeting('room-q1')).toEqual(after);
        // An annotation, not a lifecycle change: updatedAt stays where completion put it.
        expect(after?.updatedAt).toBe(done?.updatedAt);
        expect(MeetingSchema.safeParse(after).success).toBe(true);
      });

      it('refuses implausible or malformed summaries with bad-request and stores nothing', async () => {
        await store.createMeeting(newMeeting('q2'));
        const bad: unknown[] = [
          summary('p', { rttP95Ms: 60_000 }),
          summary('p', { packetLossMedian: 1.5 }),
          summary('p', { samples: -1 }),
          summary('p', { secondsByLevel: { good: 1.5, fair: 0, poor: 0, lost: 0 } }),
          { ...summary('p'), extra: { $gt: '' } },
          { userId: 'p' },
        ];
        for (const entry of bad) {
          await expectCode(
            store.addQualitySummary('room-q2', entry as ParticipantQuality),
            'bad-request',
          );
        }
        expect((await store.getMeeting('room-q2'))?.quality ?? []).toEqual([]);
        expect(await store.addQualitySummary('room-none', summary('p'))).toBeNull();
      });

      it('keeps at most MAX_QUALITY_ENTRIES summaries, also under concurrent appends', async () => {
        await store.createMeeting(newMeeting('q3'));
        await Promise.all(
          Array.from({ length: MAX_QUALITY_ENTRIES + 6 }, (_, i) =>
            store.addQualitySummary('room-q3', summary(`p-${i}`)),
          ),
        );
        expect((await store.getMeeting('room-q3'))?.quality).toHaveLength(MAX_QUALITY_ENTRIES);
      });
    });

    it('findAbandoned returns active meetings everyone left before the cutoff', async () => {
      const setup = async (appt: string, leaves: (number | null)[], active = true) => {
        await store.createMeeting(newMeeting(appt));
        for (const [i, left] of leaves.entries()) {
          await store.addParticipant(`room-${appt}`, {
            userId: `u${i}`,
            userType: 'patient',
            joinedAt: at(1),
          });
          if (left !== null) await store.markParticipantLeft(`room-${appt}`, `u${i}`, at(left));
        }
        if (active) await store.markActive(`room-${appt}`, at(2));
      };
      await setup('gone', [100, 200]);
      await setup('still-in', [100, null]);
      await setup('left-late', [100, 400]);
      await setup('never-active', [100, 200], false);
      await setup('done', [100, 200]);
      await store.markCompleted('room-done', at(250));

      expect(rooms(await store.findAbandoned(at(300)))).toEqual(['room-gone']);
      expect(rooms(await store.findAbandoned(at(401))).sort()).toEqual([
        'room-gone',
        'room-left-late',
      ]);
      expect(await store.findAbandoned(at(150))).toEqual([]);
    });

    describe('bulkInsertMeetings', () => {
      it('stores complete records as given', async () => {
        const input = [
          record('bulk-1'),
          record('bulk-2', {
            status: 'scheduled',
            startTime: null,
            endTime: null,
            participants: [],
            duration: null,
          }),
          record('bulk-3', {
            status: 'active',
            endTime: null,
            duration: null,
            patientName: 'Grace Hopper',
            participants: [
              { userId: 'pat-1', userType: 'patient', joinedAt: at(60), leftAt: null },
            ],
          }),
        ];
        await store.bulkInsertMeetings(input);
        for (const m of input) expect(await store.getMeeting(m.roomId)).toEqual(m);
        await store.bulkInsertMeetings([]);
        expect((await store.listMeetings({}, { page: 1, limit: 10 })).total).toBe(3);
      });

      it('normalizes timestamps to UTC', async () => {
        await store.bulkInsertMeetings([
          record('bulk-tz', { scheduledTime: '2030-03-01T10:00:00+01:00' }),
        ]);
        expect((await store.getMeeting('room-bulk-tz'))?.scheduledTime).toBe(at(0));
      });

      it('refuses an existing appointmentId with conflict and inserts nothing', async () => {
        await store.createMeeting(newMeeting('taken'));
        await expectCode(
          store.bulkInsertMeetings([record('fresh-1'), record('taken'), record('fresh-2')]),
          'conflict',
        );
        expect(await store.getMeeting('room-fresh-1')).toBeNull();
        expect(await store.getMeeting('room-fresh-2')).toBeNull();
        expect((await store.getMeeting('room-taken'))?.status).toBe('scheduled');
      });

      it('refuses duplicates within one batch with conflict and inserts nothing', async () => {
        await expectCode(
          store.bulkInsertMeetings([record('dup'), record('other'), record('dup')]),
          'conflict',
        );
        expect((await store.listMeetings({}, { page: 1, limit: 10 })).total).toBe(0);
      });

      it('refuses an invalid record with bad-request naming its index, inserting nothing', async () => {
        const bad = [
          record('ok-1'),
          record('bad', { status: 'archived' as never }),
          record('ok-2'),
        ];
        const err = await storeError(store.bulkInsertMeetings(bad));
        expect(err.code).toBe('bad-request');
        expect(err.message).toContain('index 1');
        await expectCode(
          store.bulkInsertMeetings([record('neg', { duration: -5 })]),
          'bad-request',
        );
        await expectCode(
          store.bulkInsertMeetings([record('wrong-room', { roomId: 'room-elsewhere' })]),
          'bad-request',
        );
        await expectCode(
          store.bulkInsertMeetings([record('op', { doctorId: { $gt: '' } as unknown as string })]),
          'bad-request',
        );
        expect((await store.listMeetings({}, { page: 1, limit: 10 })).total).toBe(0);
      });
    });

    describe('streamMeetings', () => {
      it('streams every match oldest first across batches', async () => {
        // More than one internal batch, inserted out of time order.
        const n = 2345;
        const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
        await store.bulkInsertMeetings(
          order.map((k) =>
            record(`s-${k}`, {
              doctorId: k % 2 ? 'doc-odd' : 'doc-even',
              scheduledTime: at(k * 60),
            }),
          ),
        );
        await store.bulkInsertMeetings([
          record('other-doc', { doctorId: 'doc-x', scheduledTime: at(30) }),
        ]);

        const all = await collect(store.streamMeetings({}));
        expect(all).toHaveLength(n + 1);
        const times = all.map((m) => m.scheduledTime);
        expect(times).toEqual([...times].sort());

        const odd = await collect(store.streamMeetings({ doctorId: 'doc-odd' }));
        expect(odd).toHaveLength((n - 1) / 2);
        expect(odd.every((m) => m.doctorId === 'doc-odd')).toBe(true);
        expect(rooms(odd.slice(0, 3))).toEqual(['room-s-1', 'room-s-3', 'room-s-5']);

        // A range spanning several batches, starting exactly on a stored time.
        const ranged = await collect(
          store.streamMeetings({ from: at(100 * 60), to: at(2200 * 60) }),
        );
        expect(ranged).toHaveLength(2100);
        expect(ranged[0]?.roomId).toBe('room-s-100');
        expect(ranged.at(-1)?.roomId).toBe('room-s-2199');
        const oddRanged = await collect(
          store.streamMeetings({
            doctorId: 'doc-odd',
            status: 'completed',
            from: at(60),
            to: at(2060 * 60),
          }),
        );
        expect(rooms(oddRanged)).toEqual(
          Array.from({ length: 1030 }, (_, k) => `room-s-${2 * k + 1}`),
        );
      });

      it('applies status and [from, to) filters', async () => {
        await store.bulkInsertMeetings([
          record('f-1', { scheduledTime: at(0) }),
          record('f-2', {
            scheduledTime: at(3600),
            status: 'cancelled',
            participants: [],
            startTime: null,
            duration: 0,
          }),
          record('f-3', { scheduledTime: at(7200) }),
          record('f-4', { scheduledTime: at(10800) }),
        ]);
        const ranged = await collect(store.streamMeetings({ from: at(3600), to: at(10800) }));
        expect(rooms(ranged)).toEqual(['room-f-2', 'room-f-3']);
        const completed = await collect(store.streamMeetings({ status: 'completed' }));
        expect(rooms(completed)).toEqual(['room-f-1', 'room-f-3', 'room-f-4']);
        const none = await collect(store.streamMeetings({ doctorId: 'doc-none' }));
        expect(none).toEqual([]);
        expect(MeetingSchema.parse(completed[0])).toEqual(completed[0]);
      });
    });

    describe('users', () => {
      const user = {
        id: 'u-1',
        email: 'Dr.Who@Clinic.Test',
        displayName: 'Dr Who',
        role: 'doctor' as const,
        passwordHash: 'scrypt$16384$8$1$salt$hash',
      };

      it('creates a user and finds it by id and by email, case-insensitively', async () => {
        const created = await store.createUser(user);
        expect(created).toMatchObject({ ...user, email: 'dr.who@clinic.test' });
        expect(created.updatedAt).toBe(created.createdAt);
        expect(await store.getUserById('u-1')).toEqual(created);
        expect(await store.getUserByEmail('DR.WHO@clinic.test')).toEqual(created);
        expect(await store.getUserByEmail('nobody@clinic.test')).toBeNull();
        expect(await store.getUserByEmail({ $ne: null } as unknown as string)).toBeNull();
        expect(await store.getUserById('u-2')).toBeNull();
      });

      it('refuses a taken email (any case) or id with conflict', async () => {
        await store.createUser(user);
        await expectCode(
          store.createUser({ ...user, id: 'u-2', email: 'dr.who@clinic.test' }),
          'conflict',
        );
        await expectCode(store.createUser({ ...user, email: 'other@clinic.test' }), 'conflict');
        await expectCode(
          store.createUser({ ...user, id: 'u-3', email: 'not-an-email' }),
          'bad-request',
        );
        await expectCode(
          store.createUser({ ...user, id: 'u-4', email: 'x@clinic.test', role: 'admin' as never }),
          'bad-request',
        );
        expect(await store.countUsers()).toBe(1);
      });

      it('counts, lists and updates password hashes', async () => {
        expect(await store.countUsers()).toBe(0);
        await store.createUser(user);
        await store.createUser({ ...user, id: 'm-1', email: 'boss@clinic.test', role: 'manager' });
        expect(await store.countUsers()).toBe(2);
        expect((await store.listUsers()).map((u) => u.id).sort()).toEqual(['m-1', 'u-1']);

        expect(await store.setPasswordHash('u-1', 'scrypt$new')).toBe(true);
        expect((await store.getUserById('u-1'))?.passwordHash).toBe('scrypt$new');
        expect((await store.getUserById('m-1'))?.passwordHash).toBe(user.passwordHash);
        expect(await store.setPasswordHash('ghost', 'scrypt$new')).toBe(false);
      });

      it('starts at token version 0, enabled; reset, revoke and disable each bump the version', async () => {
        const created = await store.createUser(user);
        expect(created).toMatchObject({ tokenVersion: 0, disabled: false });
        expect(await store.getUserById('u-1')).toMatchObject({ tokenVersion: 0, disabled: false });
        expect(await store.setPasswordHash('u-1', 'scrypt$new')).toBe(true);
        expect((await store.getUserById('u-1'))?.tokenVersion).toBe(1);
        expect(await store.revokeSessions('u-1')).toBe(true);
        expect((await store.getUserById('u-1'))?.tokenVersion).toBe(2);
        expect(await store.setDisabled('u-1', true)).toBe(true);
        expect(await store.getUserById('u-1')).toMatchObject({ tokenVersion: 3, disabled: true });
        expect(await store.getUserByEmail('dr.who@clinic.test')).toMatchObject({ disabled: true });
        expect(await store.setDisabled('u-1', false)).toBe(true);
        expect(await store.getUserById('u-1')).toMatchObject({ tokenVersion: 4, disabled: false });
        expect(await store.revokeSessions('ghost')).toBe(false);
        expect(await store.setDisabled('ghost', true)).toBe(false);
      });
    });

    describe('audit', () => {
      it('appends entries and lists them newest first, by room and with a limit', async () => {
        const entries: AuditEntry[] = [
          {
            at: at(1),
            actorId: 'doc-1',
            actorRole: 'doctor',
            action: 'meeting.create',
            roomId: 'room-a',
          },
          {
            at: at(2),
            actorId: 'pat-1',
            actorRole: 'patient',
            action: 'meeting.join',
            roomId: 'room-a',
          },
          {
            at: at(3),
            actorId: 'mgr-1',
            actorRole: 'manager',
            action: 'report.export',
            detail: { from: '2030-03-01', rows: 12, csv: true, doctorId: null },
          },
          {
            at: at(4),
            actorId: 'doc-1',
            actorRole: 'doctor',
            action: 'meeting.end',
            roomId: 'room-a',
          },
          {
            at: at(5),
            actorId: 'doc-2',
            actorRole: 'doctor',
            action: 'meeting.create',
            roomId: 'room-b',
          },
        ];
        for (const e of entries) await store.appendAudit(e);

        const roomA = await store.listAudit({ roomId: 'room-a' });
        expect(roomA.map((e) => e.action)).toEqual([
          'meeting.end',
          'meeting.join',
          'meeting.create',
        ]);
        expect(roomA[2]).toEqual(entries[0]);
        const latest = await store.listAudit({ limit: 2 });
        expect(latest).toEqual([entries[4], entries[3]]);
        expect((await store.listAudit({})).find((e) => e.action === 'report.export')).toEqual(
          entries[2],
        );
      });

      it('refuses malformed entries with bad-request', async () => {
        await expectCode(
          store.appendAudit({
            at: at(1),
            actorId: 'x',
            actorRole: 'system',
            action: 'meeting.delete' as never,
          }),
          'bad-request',
        );
        await expectCode(
          store.appendAudit({
            at: 'later',
            actorId: 'x',
            actorRole: 'system',
            action: 'user.login',
          }),
          'bad-request',
        );
        expect(await store.listAudit({})).toEqual([]);
      });
    });

    describe('instance presence (crash recovery)', () => {
      const A = 'instance-a';
      const B = 'instance-b';
      const started = async (id: string) => {
        await store.createMeeting(newMeeting(id));
        const roomId = `room-${id}`;
        await store.addParticipant(roomId, {
          userId: 'doc-1',
          userType: 'doctor',
          joinedAt: at(10),
          instanceId: A,
        });
        await store.addParticipant(roomId, {
          userId: 'pat-1',
          userType: 'patient',
          joinedAt: at(20),
          instanceId: B,
        });
        await store.markActive(roomId, at(20));
        return roomId;
      };

      it('records heartbeats that never move back and lists stale instances oldest first', async () => {
        expect(await store.beatInstance(A, at(100))).toBe(false); // first beat: new
        await store.beatInstance(B, at(50));
        expect(await store.beatInstance(A, at(90))).toBe(true); // late, out of order: ignored
        expect(await store.staleInstances(at(200))).toEqual([
          { instanceId: B, lastBeat: at(50) },
          { instanceId: A, lastBeat: at(100) },
        ]);
        expect(await store.staleInstances(at(100))).toEqual([{ instanceId: B, lastBeat: at(50) }]);
        expect(await store.staleInstances(at(0))).toEqual([]);
      });

      it('never returns the instanceId in a meeting', async () => {
        const roomId = await started('presence-1');
        const m = await store.getMeeting(roomId);
        for (const p of m!.participants)
          expect(Object.keys(p).sort()).toEqual(['joinedAt', 'leftAt', 'userId', 'userType']);
        const listed = await store.listMeetings({}, { page: 1, limit: 10 });
        expect(listed.items[0]).toEqual(m);
        expect(await collect(store.streamMeetings({}))).toEqual([m]);
        const left = await store.markParticipantLeft(roomId, 'doc-1', at(30));
        expect(Object.keys(left!.participants[0]!)).not.toContain('instanceId');
      });

      it("closes a dead instance's open entries at its last heartbeat, once", async () => {
        const roomId = await started('presence-2');
        await store.beatInstance(A, at(300));
        await store.beatInstance(B, at(400));
        expect(await store.closeInstanceEntries(A)).toBe(1);
        let m = await store.getMeeting(roomId);
        expect(m!.participants).toEqual([
          { userId: 'doc-1', userType: 'doctor', joinedAt: at(10), leftAt: at(300) },
          { userId: 'pat-1', userType: 'patient', joinedAt: at(20), leftAt: null },
        ]);
        // Forgotten, and a second closer (another instance) changes nothing.
        expect(await store.staleInstances(at(10_000))).toEqual([
          { instanceId: B, lastBeat: at(400) },
        ]);
        expect(await store.closeInstanceEntries(A, at(900))).toBe(0);
        expect((await store.getMeeting(roomId))!.participants[0]!.leftAt).toBe(at(300));
        // Should A beat again (it was only paused), it learns it was taken for dead.
        expect(await store.beatInstance(A, at(950))).toBe(false);
        expect(await store.beatInstance(A, at(951))).toBe(true);
        await store.closeInstanceEntries(A, at(951));

        await store.closeInstanceEntries(B);
        m = await store.getMeeting(roomId);
        expect(m!.participants[1]!.leftAt).toBe(at(400));
        // Now abandoned: the sweeper completes it ending at the last heartbeat.
        expect(rooms(await store.findAbandoned(at(1000)))).toEqual([roomId]);
        const done = await store.markCompleted(roomId, at(400));
        expect(done!.duration).toBe(380);
      });

      it('leaves entries of other instances, closed entries and finished meetings alone', async () => {
        const roomId = await started('presence-3');
        // The doctor left normally, then rejoined through instance B.
        await store.markParticipantLeft(roomId, 'doc-1', at(40));
        await store.addParticipant(roomId, {
          userId: 'doc-1',
          userType: 'doctor',
          joinedAt: at(50),
          instanceId: B,
        });
        const finished = await started('presence-4');
        await store.markCompleted(finished, at(500));
        const finishedBefore = await store.getMeeting(finished);
        await store.beatInstance(A, at(600));
        expect(await store.closeInstanceEntries(A)).toBe(0);
        const m = await store.getMeeting(roomId);
        expect(m!.participants.map((p) => p.leftAt)).toEqual([at(40), null, null]);
        expect(await store.getMeeting(finished)).toEqual(finishedBefore);
      });

      it('closes at an explicit time, never before an entry was opened', async () => {
        const roomId = await started('presence-5');
        expect(await store.closeInstanceEntries(B, at(15))).toBe(1);
        const m = await store.getMeeting(roomId);
        expect(m!.participants[1]!.leftAt).toBe(at(20));
        // Unknown instance, no time given: nothing to close at.
        expect(await store.closeInstanceEntries('instance-unknown')).toBe(0);
      });

      it('closes concurrently from two callers exactly once', async () => {
        const roomId = await started('presence-6');
        await store.beatInstance(A, at(70));
        const results = await Promise.all([
          store.closeInstanceEntries(A),
          store.closeInstanceEntries(A),
        ]);
        expect(results.sort()).toEqual([0, 1]);
        expect((await store.getMeeting(roomId))!.participants[0]!.leftAt).toBe(at(70));
      });

      it('refuses bad instance ids and times with bad-request', async () => {
        await expectCode(store.beatInstance('no spaces', at(1)), 'bad-request');
        await expectCode(store.beatInstance(A, 'soon'), 'bad-request');
        await expectCode(store.staleInstances('soon'), 'bad-request');
        await expectCode(store.closeInstanceEntries({ $ne: null } as never), 'bad-request');
        await expectCode(store.closeInstanceEntries(A, 'soon'), 'bad-request');
        await store.createMeeting(newMeeting('presence-7'));
        await expectCode(
          store.addParticipant('room-presence-7', {
            userId: 'doc-1',
            userType: 'doctor',
            joinedAt: at(1),
            instanceId: 'x'.repeat(65),
          }),
          'bad-request',
        );
        expect(await store.staleInstances(at(10_000))).toEqual([]);
      });
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
