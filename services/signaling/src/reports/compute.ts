// Pure: call-duration figures for the manager's report. No I/O; `now` is passed in.
//
// Rules (the issue leaves them to us; the report and its tests follow these):
// - Connected seconds per role (doctor, patient, interpreter, caregiver, clinician) are the length of the UNION of that side's
//   participant intervals [joinedAt, leftAt], so a reconnect is counted once and two devices
//   of the same side overlapping count once.
// - An interval still open (leftAt null) ends at the meeting's endTime; without one, at `now`
//   for a live meeting (scheduled or active) and at updatedAt (the moment it was closed) for a
//   completed or cancelled one.
// - Intervals are clipped to the call window [startTime, endTime]: what counts is presence
//   during the visit, not a doctor waiting alone beforehand. A meeting that never started
//   (no startTime, e.g. cancelled or a no-show) has no lower bound, so its entries count as they are.
// - Duration, one rule for the meeting record, the JSON report and the CSV
//   (docs/architecture.md, "The meeting record"): an ended meeting (completed or cancelled) has
//   the stored duration, startTime→endTime in whole seconds, 0 when the call never started;
//   a scheduled one has none (null; empty in CSV); an active one counts startTime→now here
//   (the record says null until it ends) and the row keeps status `active`.
// - Seconds are whole seconds, rounded down.
// - Days (per-day summary, range filters) are calendar days in the clinic time zone, by the
//   meeting's scheduledTime: every meeting has one, and the range filter uses it too, so a
//   meeting lands in the same day whether it took place or not.
import type {
  CallDurationRow,
  CallDurationsResponse,
  Meeting,
  MeetingStatus,
  Participant,
  ParticipantQuality,
  ParticipantRole,
} from '@bedside/shared';
import { roleOf } from '@bedside/shared';
import { visitQuality } from '../quality/summary.js';
import type { MeetingQuery } from '../store/types.js';
import {
  type ClinicZone,
  clinicZone,
  isValidTimeZone,
  nextCalendarDate,
  parseIsoMs,
} from './zone.js';

export const MIN_REPORT_YEAR = 2000;
export const MAX_REPORT_YEAR = 2999;

export class ReportQueryError extends Error {
  readonly code = 'bad-request' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ReportQueryError';
  }
}

export interface RowContext {
  zone: ClinicZone;
  /** Epoch ms: where still-open intervals of live meetings end. */
  now: number;
  /** userId → display name. */
  doctorNames: ReadonlyMap<string, string>;
}

const isoMs = (iso: string | null): number | null => (iso === null ? null : parseIsoMs(iso));

/**
 * Milliseconds covered by the union of `side`'s intervals inside [lower, upper]; open
 * intervals end at `openEnd`. Runs once per side per exported row, so the usual one or two
 * entries are handled in locals; only a third entry of one side allocates and sorts.
 */
export function connectedMs(
  participants: readonly Participant[],
  side: ParticipantRole,
  lower: number,
  upper: number,
  openEnd: number,
): number {
  let count = 0;
  let s1 = 0;
  let e1 = 0;
  let s2 = 0;
  let e2 = 0;
  let many: [number, number][] | null = null;
  for (const p of participants) {
    if (roleOf(p) !== side) continue;
    const start = Math.max(parseIsoMs(p.joinedAt), lower);
    const end = Math.min(p.leftAt === null ? openEnd : parseIsoMs(p.leftAt), upper);
    if (!(end > start)) continue;
    if (count === 0) {
      s1 = start;
      e1 = end;
    } else if (count === 1) {
      s2 = start;
      e2 = end;
    } else {
      many ??= [
        [s1, e1],
        [s2, e2],
      ];
      many.push([start, end]);
    }
    count++;
  }
  if (count === 0) return 0;
  if (count === 1) return e1 - s1;
  if (many === null) {
    // Two stretches: overlapping or touching ones count as one.
    return s2 <= e1 && s1 <= e2 ? Math.max(e1, e2) - Math.min(s1, s2) : e1 - s1 + (e2 - s2);
  }
  many.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [curStart, curEnd] = many[0]!;
  for (let i = 1; i < many.length; i++) {
    const [s, e] = many[i]!;
    if (s <= curEnd) {
      if (e > curEnd) curEnd = e;
    } else {
      total += curEnd - curStart;
      curStart = s;
      curEnd = e;
    }
  }
  return total + (curEnd - curStart);
}

const TERMINAL: Record<MeetingStatus, boolean> = {
  scheduled: false,
  active: false,
  completed: true,
  cancelled: true,
};

type GuestSeconds = Pick<
  CallDurationRow,
  'interpreterConnectedSeconds' | 'caregiverConnectedSeconds' | 'clinicianConnectedSeconds'
>;

/** Most meetings have no guests: one pass to tell, and zeros without three more walks. */
function guestSeconds(ps: readonly Participant[], lower: number, windowEnd: number): GuestSeconds {
  const out: GuestSeconds = {
    interpreterConnectedSeconds: 0,
    caregiverConnectedSeconds: 0,
    clinicianConnectedSeconds: 0,
  };
  if (!ps.some((p) => p.userType === 'guest')) return out;
  const secs = (r: ParticipantRole) =>
    Math.floor(connectedMs(ps, r, lower, windowEnd, windowEnd) / 1000);
  out.interpreterConnectedSeconds = secs('interpreter');
  out.caregiverConnectedSeconds = secs('caregiver');
  out.clinicianConnectedSeconds = secs('clinician');
  return out;
}

/** One report row for one meeting. */
export function meetingToRow(m: Meeting, ctx: RowContext): CallDurationRow {
  const { zone, now } = ctx;
  const startMs = isoMs(m.startTime);
  const endMs = isoMs(m.endTime);
  const windowEnd = endMs ?? (TERMINAL[m.status] ? parseIsoMs(m.updatedAt) : now);
  const lower = startMs ?? Number.NEGATIVE_INFINITY;

  let duration: number | null;
  switch (m.status) {
    case 'completed':
    case 'cancelled':
      // The record's own rule (store `applyTerminal`): an ended meeting has a duration, 0 when
      // the call never started.
      duration =
        m.duration ??
        (startMs !== null && endMs !== null
          ? Math.max(0, Math.floor((endMs - startMs) / 1000))
          : 0);
      break;
    case 'active':
      duration = startMs === null ? null : Math.max(0, Math.floor((now - startMs) / 1000));
      break;
    case 'scheduled':
      duration = null;
      break;
  }

  return {
    appointmentId: m.appointmentId,
    roomId: m.roomId,
    doctorId: m.doctorId,
    doctorName: ctx.doctorNames.get(m.doctorId) ?? null,
    patientId: m.patientId,
    scheduledTime: zone.formatIso(parseIsoMs(m.scheduledTime)),
    startTime: startMs === null ? null : zone.formatIso(startMs),
    endTime: endMs === null ? null : zone.formatIso(endMs),
    status: m.status,
    duration,
    doctorConnectedSeconds: Math.floor(
      connectedMs(m.participants, 'doctor', lower, windowEnd, windowEnd) / 1000,
    ),
    patientConnectedSeconds: Math.floor(
      connectedMs(m.participants, 'patient', lower, windowEnd, windowEnd) / 1000,
    ),
    ...guestSeconds(m.participants, lower, windowEnd),
    ...qualityColumns(m.quality ?? []),
  };
}

const maxOrNull = (values: Array<number | null>): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.max(...present);
};

/**
 * The quality columns of a row, from the meeting's per-connection summaries: the visit's word
 * (visitQuality), the worst p95 RTT and loss of anyone, the seconds anyone spent poor or lost,
 * ICE restarts summed, and whether anyone was relayed.
 */
export function qualityColumns(
  summaries: readonly ParticipantQuality[],
): Pick<
  CallDurationRow,
  'quality' | 'rttP95Ms' | 'packetLossP95' | 'poorSeconds' | 'iceRestarts' | 'relayUsed'
> {
  return {
    quality: visitQuality(summaries),
    rttP95Ms: maxOrNull(summaries.map((q) => q.rttP95Ms)),
    packetLossP95: maxOrNull(summaries.map((q) => q.packetLossP95)),
    poorSeconds: summaries.reduce((n, q) => n + q.secondsByLevel.poor + q.secondsByLevel.lost, 0),
    iceRestarts: summaries.reduce((n, q) => n + q.iceRestarts, 0),
    relayUsed: summaries.some((q) => q.relayUsed),
  };
}

type Totals = CallDurationsResponse['totals'];
type DoctorTotals = CallDurationsResponse['perDoctor'][number];
type DayTotals = CallDurationsResponse['perDay'][number];

const emptyTotals = (): Totals => ({
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
});

function addTo(t: Totals, row: CallDurationRow): void {
  t.meetings++;
  if (row.status === 'completed') {
    t.completed++;
    t.totalDurationSeconds += row.duration ?? 0;
  } else if (row.status === 'active') t.active = (t.active ?? 0) + 1;
  else if (row.status === 'cancelled') t.cancelled = (t.cancelled ?? 0) + 1;
  t.doctorConnectedSeconds = (t.doctorConnectedSeconds ?? 0) + row.doctorConnectedSeconds;
  t.patientConnectedSeconds = (t.patientConnectedSeconds ?? 0) + row.patientConnectedSeconds;
  t.interpreterConnectedSeconds =
    (t.interpreterConnectedSeconds ?? 0) + row.interpreterConnectedSeconds;
  t.caregiverConnectedSeconds = (t.caregiverConnectedSeconds ?? 0) + row.caregiverConnectedSeconds;
  t.clinicianConnectedSeconds = (t.clinicianConnectedSeconds ?? 0) + row.clinicianConnectedSeconds;
  countQuality(t, row);
}

/** The share of poor visits is qualityPoor / qualityMeasured (visits never measured left out). */
function countQuality(
  t: { qualityMeasured?: number | undefined; qualityPoor?: number | undefined },
  row: CallDurationRow,
): void {
  if (row.quality === 'unknown') return;
  // Present only once a measured visit is counted, so summaries without any stay as they were.
  t.qualityMeasured = (t.qualityMeasured ?? 0) + 1;
  t.qualityPoor = (t.qualityPoor ?? 0) + (row.quality === 'poor' ? 1 : 0);
}

const withAverage = <T extends Totals>(t: T): T => ({
  ...t,
  averageDurationSeconds:
    t.completed === 0 ? null : Math.round(t.totalDurationSeconds / t.completed),
});

/**
 * Totals, per-doctor and per-day summaries, fed one row at a time: memory grows with the
 * number of doctors and days, never with rows. Durations are summed over completed meetings
 * only (an active meeting's figure is still running); connected seconds over every row.
 */
export class ReportSummary {
  private readonly totals = emptyTotals();
  private readonly doctors = new Map<string, DoctorTotals>();
  private readonly days = new Map<string, DayTotals>();

  add(row: CallDurationRow): void {
    addTo(this.totals, row);
    let doctor = this.doctors.get(row.doctorId);
    if (!doctor) {
      doctor = { ...emptyTotals(), doctorId: row.doctorId, doctorName: row.doctorName };
      this.doctors.set(row.doctorId, doctor);
    }
    addTo(doctor, row);
    // scheduledTime is already written in the clinic zone, so its first ten characters are
    // the local calendar date.
    const date = row.scheduledTime.slice(0, 10);
    let day = this.days.get(date);
    if (!day) {
      day = {
        date,
        meetings: 0,
        completed: 0,
        totalDurationSeconds: 0,
      };
      this.days.set(date, day);
    }
    day.meetings++;
    countQuality(day, row);
    if (row.status === 'completed') {
      day.completed = (day.completed ?? 0) + 1;
      day.totalDurationSeconds += row.duration ?? 0;
    }
  }

  result(): Pick<CallDurationsResponse, 'totals' | 'perDoctor' | 'perDay'> {
    const perDoctor = [...this.doctors.values()].map(withAverage).sort(
      (a, b) =>
        // Named doctors alphabetically, unknown ids after them.
        (a.doctorName === null ? 1 : 0) - (b.doctorName === null ? 1 : 0) ||
        (a.doctorName ?? '').localeCompare(b.doctorName ?? '') ||
        a.doctorId.localeCompare(b.doctorId),
    );
    const perDay = [...this.days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
    return { totals: withAverage(this.totals), perDoctor, perDay };
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export interface ReportFilter {
  from?: string | undefined;
  to?: string | undefined;
  doctorId?: string | undefined;
  status?: MeetingStatus | undefined;
  tz?: string | undefined;
}

export interface ResolvedReport {
  zone: ClinicZone;
  /** As asked (date or date-time), or null for open-ended. */
  from: string | null;
  to: string | null;
  /** Inclusive lower and exclusive upper bound on scheduledTime, epoch ms. */
  fromMs: number | null;
  toMs: number | null;
  storeQuery: MeetingQuery;
  /** `call-durations_2026-11-01_2026-11-30.csv` */
  fileName: string;
}

/**
 * Turns a validated filter into store bounds. Calendar dates are whole days in the zone, `to`
 * inclusive (so its exclusive bound is the start of the next local day — 23 or 25 hours away
 * across a daylight-saving change); full date-times are instants, `from` inclusive and `to`
 * exclusive. Throws ReportQueryError for an unknown zone or an inverted range.
 */
export function resolveReport(filter: ReportFilter, clinicTimeZone: string): ResolvedReport {
  const tz = filter.tz ?? clinicTimeZone;
  if (!isValidTimeZone(tz)) throw new ReportQueryError(`unknown time zone: ${tz.slice(0, 64)}`);
  const zone = clinicZone(tz);

  // Calendar arithmetic near the ends of what Date holds throws RangeError (`to=9999-12-31`
  // asks for the day after): years outside this span are a mistake, answered as one.
  for (const [name, v] of [
    ['from', filter.from],
    ['to', filter.to],
  ] as const) {
    const year = v === undefined ? null : Number(/^(\d{4})-/.exec(v)?.[1]);
    if (year !== null && !(year >= MIN_REPORT_YEAR && year <= MAX_REPORT_YEAR))
      throw new ReportQueryError(
        `${name} must be between ${MIN_REPORT_YEAR}-01-01 and ${MAX_REPORT_YEAR}-12-31`,
      );
  }
  const fromMs =
    filter.from === undefined
      ? null
      : DATE_ONLY.test(filter.from)
        ? zone.startOfDay(filter.from)
        : Date.parse(filter.from);
  const toMs =
    filter.to === undefined
      ? null
      : DATE_ONLY.test(filter.to)
        ? zone.startOfDay(nextCalendarDate(filter.to))
        : Date.parse(filter.to);
  if ((fromMs !== null && Number.isNaN(fromMs)) || (toMs !== null && Number.isNaN(toMs)))
    throw new ReportQueryError('from/to must be YYYY-MM-DD or an ISO-8601 date-time');
  // An empty range is as much a mistake as an inverted one (dates: from after to).
  if (fromMs !== null && toMs !== null && fromMs >= toMs)
    throw new ReportQueryError('from must not be after to');

  const storeQuery: MeetingQuery = {};
  if (fromMs !== null) storeQuery.from = new Date(fromMs).toISOString();
  if (toMs !== null) storeQuery.to = new Date(toMs).toISOString();
  if (filter.doctorId !== undefined) storeQuery.doctorId = filter.doctorId;
  if (filter.status !== undefined) storeQuery.status = filter.status;

  const fromPart =
    filter.from === undefined
      ? 'begin'
      : DATE_ONLY.test(filter.from)
        ? filter.from
        : zone.localDate(fromMs!);
  const toPart =
    filter.to === undefined
      ? 'end'
      : DATE_ONLY.test(filter.to)
        ? filter.to
        : // Exclusive instant: the last day included is the one holding the moment before.
          zone.localDate(toMs! - 1);

  return {
    zone,
    from: filter.from ?? null,
    to: filter.to ?? null,
    fromMs,
    toMs,
    storeQuery,
    fileName: `call-durations_${fromPart}_${toPart}.csv`,
  };
}
