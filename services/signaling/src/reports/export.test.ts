// The export over the REAL embedded store (SQLite in a temp dir) with crafted meetings: every
// figure against hand-worked expectations, range boundaries in the clinic zone, and the CSV
// read back with a real CSV parser equal to the JSON rows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallDurationsResponseSchema, type CallDurationsResponse } from '@bedside/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/index.js';
import type { MeetingStore } from '../store/types.js';
import { resolveReport, type ReportFilter } from './compute.js';
import { CSV_COLUMNS } from './csv.js';
import { exportReport, type ReportFormat } from './export.js';
import { BERLIN_ROWS_BY_TIME } from './testing/expected.js';
import { REFERENCE_NOW, craftMeeting, referenceMeetings } from './testing/meetings.js';
import { MemorySink, csvToRows } from './testing/sink.js';

let dir: string;
let store: MeetingStore;

/** Scheduled-only meetings (doctors doc-edge and doc-ny), placed on the edges of days in several zones. */
const EDGES: Record<string, string> = {
  // Berlin 2026-10-31 23:59:59 (+01:00): October there, October in UTC.
  'berlin-oct-last': '2026-10-31T22:59:59.000Z',
  // Berlin 2026-11-01 00:00 (+01:00): November in Berlin, still October in UTC.
  'berlin-nov-first': '2026-10-31T23:00:00.000Z',
  // Berlin 2026-11-30 23:59:59: November in both.
  'berlin-nov-last': '2026-11-30T22:59:59.000Z',
  // Berlin 2026-12-01 00:00: December in Berlin, November in UTC.
  'berlin-dec-first': '2026-11-30T23:00:00.000Z',
  // Berlin's 23-hour 2026-03-29 ends at 22:00Z.
  'spring-last': '2026-03-29T21:59:59.000Z',
  'spring-after': '2026-03-29T22:00:00.000Z',
  // Berlin's 25-hour 2026-10-25 runs 2026-10-24T22:00Z … 2026-10-25T23:00Z.
  'autumn-first': '2026-10-24T22:00:00.000Z',
  'autumn-last': '2026-10-25T22:59:59.000Z',
  'autumn-after': '2026-10-25T23:00:00.000Z',
  // New York's 25-hour 2026-11-01 runs 04:00Z … 2026-11-02T05:00Z.
  'ny-before': '2026-11-01T03:59:59.000Z',
  'ny-last': '2026-11-02T04:59:59.000Z',
  'ny-after': '2026-11-02T05:00:00.000Z',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bedside-report-'));
  store = await openStore({ dataDir: dir });
  await store.createUser({
    id: 'doc-a',
    email: 'ada@clinic.test',
    displayName: 'Dr. Ada',
    role: 'doctor',
    passwordHash: 'scrypt$not-a-real-hash',
  });
  await store.bulkInsertMeetings(referenceMeetings());
  await store.bulkInsertMeetings(
    Object.entries(EDGES).map(([id, scheduledTime]) =>
      craftMeeting(id, {
        scheduledTime,
        doctorId: id.startsWith('ny-') ? 'doc-ny' : 'doc-edge',
        updatedAt: scheduledTime,
      }),
    ),
  );
});

afterAll(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(filter: ReportFilter, format: ReportFormat, tz = 'Europe/Berlin') {
  const sink = new MemorySink();
  const result = await exportReport({
    store,
    report: resolveReport(filter, tz),
    format,
    now: REFERENCE_NOW,
    actor: { actorId: 'mgr-1', actorRole: 'manager' },
    sink,
  });
  return { text: sink.text(), ...result };
}

async function json(filter: ReportFilter, tz?: string): Promise<CallDurationsResponse> {
  const { text } = await run(filter, 'json', tz);
  return CallDurationsResponseSchema.parse(JSON.parse(text));
}

const ids = (r: CallDurationsResponse) => r.rows.map((row) => row.appointmentId);

describe('report over the embedded store', () => {
  it('streams every reference row with the hand-worked figures, oldest first', async () => {
    const report = await json({ doctorId: undefined });
    const reference = report.rows.filter((r) => r.doctorId === 'doc-a' || r.doctorId === 'doc-b');
    expect(reference).toEqual(BERLIN_ROWS_BY_TIME);
    expect(report.timeZone).toBe('Europe/Berlin');
  });

  it('sums totals, per doctor and per day as worked out by hand', async () => {
    const report = await json({ from: '2026-01-01', to: '2026-12-31', doctorId: 'doc-a' });
    expect(report.totals).toEqual({
      meetings: 6,
      completed: 4,
      totalDurationSeconds: 4210,
      averageDurationSeconds: 1053,
      active: 1,
      cancelled: 1,
      doctorConnectedSeconds: 5860,
      patientConnectedSeconds: 5259,
      interpreterConnectedSeconds: 0,
      caregiverConnectedSeconds: 0,
      clinicianConnectedSeconds: 0,
    });
    expect(report.perDoctor).toHaveLength(1);
    expect(report.perDoctor[0]).toMatchObject({ doctorId: 'doc-a', doctorName: 'Dr. Ada' });
    expect(report.perDay.map((d) => [d.date, d.meetings, d.totalDurationSeconds])).toEqual([
      ['2026-03-29', 1, 1200],
      ['2026-10-25', 1, 1200],
      ['2026-11-10', 1, 1800],
      ['2026-11-12', 1, 0],
      ['2026-11-13', 1, 10],
      ['2026-11-25', 1, 0],
    ]);
    const all = await json({ from: '2026-01-01', to: '2026-12-31', status: 'completed' });
    expect(all.totals).toMatchObject({ meetings: 5, completed: 5, totalDurationSeconds: 6010 });
    expect(all.perDoctor.map((d) => [d.doctorId, d.totalDurationSeconds])).toEqual([
      ['doc-a', 4210],
      ['doc-b', 1800],
    ]);
  });

  it('takes month boundaries inclusively in the clinic zone, not in UTC', async () => {
    const november = { from: '2026-11-01', to: '2026-11-30', doctorId: 'doc-edge' };
    expect(ids(await json(november))).toEqual(['berlin-nov-first', 'berlin-nov-last']);
    expect(ids(await json(november, 'UTC'))).toEqual(['berlin-nov-last', 'berlin-dec-first']);
    // `tz` in the query outranks the clinic's zone.
    expect(ids(await json({ ...november, tz: 'UTC' }))).toEqual([
      'berlin-nov-last',
      'berlin-dec-first',
    ]);
  });

  it('gives the 23- and 25-hour days across Berlin and New York changes all their hours', async () => {
    const edge = { doctorId: 'doc-edge' };
    expect(ids(await json({ ...edge, from: '2026-03-29', to: '2026-03-29' }))).toEqual([
      'spring-last',
    ]);
    expect(ids(await json({ ...edge, from: '2026-10-25', to: '2026-10-25' }))).toEqual([
      'autumn-first',
      'autumn-last',
    ]);
    const ny = await json(
      { doctorId: 'doc-ny', from: '2026-11-01', to: '2026-11-01' },
      'America/New_York',
    );
    expect(ids(ny)).toEqual(['ny-last']);
    expect(ny.rows[0]!.scheduledTime).toBe('2026-11-01T23:59:59-05:00');
    // The reference DST meetings fall on those days in Berlin.
    const spring = await json({ from: '2026-03-29', to: '2026-03-29', doctorId: 'doc-a' });
    expect(spring.rows.map((r) => [r.appointmentId, r.startTime, r.endTime, r.duration])).toEqual([
      ['dst-spring', '2026-03-29T01:50:00+01:00', '2026-03-29T03:10:00+02:00', 1200],
    ]);
  });

  it('writes a CSV that a real parser reads back as exactly the JSON rows', async () => {
    const filter = { from: '2026-01-01', to: '2026-12-31' };
    const asJson = await json(filter);
    const csv = await run(filter, 'csv');
    expect(csv.text.startsWith('\uFEFFappointmentId,roomId,')).toBe(true);
    const parsed = csvToRows(csv.text);
    expect(parsed.header).toEqual([...CSV_COLUMNS]);
    expect(parsed.rows).toEqual(asJson.rows);
    expect(csv.rows).toBe(asJson.rows.length);
    expect(csv.bytes).toBe(Buffer.byteLength(csv.text));
    // One header line plus one line per meeting, CRLF-terminated.
    expect(csv.text.split('\r\n')).toHaveLength(asJson.rows.length + 2);
  });

  it('audits every export with who, the range and the row count', async () => {
    await run({ from: '2026-11-01', to: '2026-11-30', doctorId: 'doc-edge' }, 'csv');
    const [latest] = await store.listAudit({ limit: 1 });
    expect(latest).toMatchObject({
      actorId: 'mgr-1',
      actorRole: 'manager',
      action: 'report.export',
      at: new Date(REFERENCE_NOW).toISOString(),
      detail: {
        from: '2026-11-01',
        to: '2026-11-30',
        tz: 'Europe/Berlin',
        doctorId: 'doc-edge',
        status: null,
        format: 'csv',
        rows: 2,
        completed: true,
      },
    });
  });

  it('audits an export that failed half-way as not completed and rejects', async () => {
    const failing = new MemorySink();
    failing._write = (_c, _e, done) => done(new Error('disk full'));
    await expect(
      exportReport({
        store,
        report: resolveReport({}, 'UTC'),
        format: 'csv',
        now: REFERENCE_NOW,
        actor: { actorId: 'mgr-2', actorRole: 'manager' },
        sink: failing,
      }),
    ).rejects.toThrow('disk full');
    const [latest] = await store.listAudit({ limit: 1 });
    expect(latest).toMatchObject({ actorId: 'mgr-2', detail: { completed: false } });
  });
});
