import { describe, expect, it } from 'vitest';
import {
  ReportQueryError,
  ReportSummary,
  connectedMs,
  meetingToRow,
  resolveReport,
} from './compute.js';
import {
  DOCTOR_A,
  REFERENCE_NOW,
  craftMeeting,
  entry,
  referenceMeetings,
} from './testing/meetings.js';
import { BERLIN_ROWS_BY_CASE as BERLIN_ROWS } from './testing/expected.js';
import { ClinicZone } from './zone.js';

const doctorNames = new Map([[DOCTOR_A, 'Dr. Ada']]);
const berlin = new ClinicZone('Europe/Berlin');
const rowsIn = (zone: ClinicZone) =>
  referenceMeetings().map((m) => meetingToRow(m, { zone, now: REFERENCE_NOW, doctorNames }));

describe('meetingToRow', () => {
  it('computes every figure of the reference meetings as worked out by hand (Berlin)', () => {
    expect(rowsIn(berlin)).toEqual(BERLIN_ROWS);
  });

  it('writes the same instants with New York offsets, durations unchanged', () => {
    const rows = rowsIn(new ClinicZone('America/New_York'));
    expect(rows.map((r) => [r.appointmentId, r.scheduledTime, r.endTime])).toEqual([
      ['reconnect', '2026-11-10T04:00:00-05:00', '2026-11-10T04:30:00-05:00'],
      ['overlap', '2026-11-11T04:00:00-05:00', '2026-11-11T04:30:00-05:00'],
      ['cancelled', '2026-11-12T05:00:00-05:00', null],
      ['active', '2026-11-25T06:00:00-05:00', null],
      ['dst-spring', '2026-03-28T20:45:00-04:00', '2026-03-28T21:10:00-04:00'],
      ['dst-autumn', '2026-10-24T20:45:00-04:00', '2026-10-24T21:10:00-04:00'],
      ['fractions', '2026-11-13T04:00:00-05:00', '2026-11-13T04:00:10.500-05:00'],
    ]);
    expect(rows.map((r) => r.duration)).toEqual(BERLIN_ROWS.map((r) => r.duration));
  });

  it('counts a live meeting further as time passes', () => {
    const active = referenceMeetings().find((m) => m.status === 'active')!;
    const later = meetingToRow(active, {
      zone: berlin,
      now: REFERENCE_NOW + 60_000,
      doctorNames,
    });
    expect([later.duration, later.doctorConnectedSeconds, later.patientConnectedSeconds]).toEqual([
      1290, 1290, 1230,
    ]);
  });

  it('falls back to start→end when a completed meeting has no stored duration', () => {
    const m = craftMeeting('no-duration', {
      startTime: '2026-11-10T09:00:00.000Z',
      endTime: '2026-11-10T09:01:01.999Z',
      status: 'completed',
    });
    expect(meetingToRow(m, { zone: berlin, now: REFERENCE_NOW, doctorNames }).duration).toBe(61);
  });

  it('counts a scheduled meeting with the doctor waiting alone up to now, no duration', () => {
    const m = craftMeeting('waiting', {
      scheduledTime: '2026-11-25T11:15:00.000Z',
      participants: [entry('doctor', '2026-11-25T11:10:00.000Z', null)],
    });
    const row = meetingToRow(m, { zone: berlin, now: REFERENCE_NOW, doctorNames });
    expect([row.duration, row.doctorConnectedSeconds, row.patientConnectedSeconds]).toEqual([
      null,
      630,
      0,
    ]);
  });
});

describe('connectedMs', () => {
  const t = (hm: string) => `2026-11-10T${hm}:00.000Z`;
  const at = (hm: string) => Date.parse(t(hm));

  it('merges nested, overlapping and touching intervals in any order, once per side', () => {
    const ps = [
      entry('patient', t('09:20'), t('09:30')),
      entry('patient', t('09:00'), t('09:10')),
      entry('patient', t('09:10'), t('09:15')),
      entry('patient', t('09:01'), t('09:02')),
      entry('doctor', t('08:00'), t('10:00')),
    ];
    const inf = Number.POSITIVE_INFINITY;
    expect(connectedMs(ps, 'patient', -inf, inf, inf)).toBe(25 * 60_000);
    expect(connectedMs(ps, 'doctor', -inf, inf, inf)).toBe(120 * 60_000);
  });

  it('clips to the window and ignores entries wholly outside it or inverted', () => {
    const ps = [
      entry('patient', t('08:50'), t('09:05')),
      entry('patient', t('09:40'), t('09:50')),
      entry('patient', t('09:20'), t('09:10')),
      entry('patient', t('09:25'), null),
    ];
    // Window 09:00–09:30; the open entry ends at the window's end.
    expect(connectedMs(ps, 'patient', at('09:00'), at('09:30'), at('09:30'))).toBe(10 * 60_000);
  });
});

describe('ReportSummary', () => {
  it('sums totals, per doctor and per local day as worked out by hand', () => {
    const summary = new ReportSummary();
    for (const row of rowsIn(berlin)) summary.add(row);
    const { totals, perDoctor, perDay } = summary.result();
    expect(totals).toEqual({
      meetings: 7,
      completed: 5,
      totalDurationSeconds: 6010,
      averageDurationSeconds: 1202,
      active: 1,
      cancelled: 1,
      doctorConnectedSeconds: 7660,
      patientConnectedSeconds: 7059,
      interpreterConnectedSeconds: 0,
      caregiverConnectedSeconds: 0,
      clinicianConnectedSeconds: 0,
    });
    expect(perDoctor).toEqual([
      {
        doctorId: 'doc-a',
        doctorName: 'Dr. Ada',
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
      },
      {
        doctorId: 'doc-b',
        doctorName: null,
        meetings: 1,
        completed: 1,
        totalDurationSeconds: 1800,
        averageDurationSeconds: 1800,
        active: 0,
        cancelled: 0,
        doctorConnectedSeconds: 1800,
        patientConnectedSeconds: 1800,
        interpreterConnectedSeconds: 0,
        caregiverConnectedSeconds: 0,
        clinicianConnectedSeconds: 0,
      },
    ]);
    expect(perDay).toEqual([
      { date: '2026-03-29', meetings: 1, completed: 1, totalDurationSeconds: 1200 },
      { date: '2026-10-25', meetings: 1, completed: 1, totalDurationSeconds: 1200 },
      { date: '2026-11-10', meetings: 1, completed: 1, totalDurationSeconds: 1800 },
      { date: '2026-11-11', meetings: 1, completed: 1, totalDurationSeconds: 1800 },
      { date: '2026-11-12', meetings: 1, completed: 0, totalDurationSeconds: 0 },
      { date: '2026-11-13', meetings: 1, completed: 1, totalDurationSeconds: 10 },
      { date: '2026-11-25', meetings: 1, completed: 0, totalDurationSeconds: 0 },
    ]);
  });

  it('has a null average with nothing completed', () => {
    expect(new ReportSummary().result()).toEqual({
      totals: {
        meetings: 0,
        completed: 0,
        totalDurationSeconds: 0,
        averageDurationSeconds: null,
        active: 0,
        cancelled: 0,
        doctorConnectedSeconds: 0,
        patientConnectedSeconds: 0,
        interpreterConnectedSeconds: 0,
        caregiverConnectedSeconds: 0,
        clinicianConnectedSeconds: 0,
      },
      perDoctor: [],
      perDay: [],
    });
  });
});

describe('resolveReport', () => {
  it('turns inclusive local dates into UTC bounds across daylight-saving changes', () => {
    const spring = resolveReport({ from: '2026-03-29', to: '2026-03-29' }, 'Europe/Berlin');
    expect(spring.storeQuery).toEqual({
      from: '2026-03-28T23:00:00.000Z',
      to: '2026-03-29T22:00:00.000Z',
    });
    expect(spring.toMs! - spring.fromMs!).toBe(23 * 3600_000);
    const autumn = resolveReport({ from: '2026-10-25', to: '2026-10-25' }, 'Europe/Berlin');
    expect(autumn.toMs! - autumn.fromMs!).toBe(25 * 3600_000);
    const ny = resolveReport(
      {
        from: '2026-11-01',
        to: '2026-11-30',
        tz: 'America/New_York',
        doctorId: 'd',
        status: 'completed',
      },
      'Europe/Berlin',
    );
    expect(ny.zone.timeZone).toBe('America/New_York');
    expect(ny.storeQuery).toEqual({
      from: '2026-11-01T04:00:00.000Z',
      to: '2026-12-01T05:00:00.000Z',
      doctorId: 'd',
      status: 'completed',
    });
    expect(ny.fileName).toBe('call-durations_2026-11-01_2026-11-30.csv');
  });

  it('takes date-times as instants (to exclusive) and names the file by local dates', () => {
    const r = resolveReport(
      { from: '2026-11-01T00:00:00+01:00', to: '2026-12-01T00:00:00+01:00' },
      'Europe/Berlin',
    );
    expect(r.storeQuery).toEqual({
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-30T23:00:00.000Z',
    });
    expect(r.fileName).toBe('call-durations_2026-11-01_2026-11-30.csv');
    expect(resolveReport({}, 'UTC')).toMatchObject({
      from: null,
      to: null,
      storeQuery: {},
      fileName: 'call-durations_begin_end.csv',
    });
  });

  it('refuses unknown zones and inverted ranges', () => {
    expect(() => resolveReport({ tz: 'Mars/Olympus' }, 'UTC')).toThrow(ReportQueryError);
    expect(() => resolveReport({ from: '2026-11-02', to: '2026-11-01' }, 'UTC')).toThrow(
      /from must not be after to/,
    );
    // A single day is fine.
    expect(resolveReport({ from: '2026-11-02', to: '2026-11-02' }, 'UTC').fileName).toBe(
      'call-durations_2026-11-02_2026-11-02.csv',
    );
  });
});
