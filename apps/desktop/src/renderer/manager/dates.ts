// Pure: calendar helpers for the manager's report. Report dates are calendar dates in the
// clinic's time zone (the service interprets them); the view only needs plain date strings.

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` of a UTC calendar day given as ms. */
const utcDate = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
};

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isDate = (s: string): boolean => {
  const m = DATE.exec(s);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return utcDate(ms) === s;
};

/** First and last day of the month holding `now` (the workstation's calendar). */
export function thisMonth(now: Date): { from: string; to: string } {
  const y = now.getFullYear();
  const m = now.getMonth();
  const last = new Date(y, m + 1, 0).getDate();
  return { from: `${y}-${pad2(m + 1)}-01`, to: `${y}-${pad2(m + 1)}-${pad2(last)}` };
}

/** Every date from `from` to `to`, both included; empty when inverted or over `max` days. */
export function daysBetween(from: string, to: string, max = 400): string[] {
  if (!isDate(from) || !isDate(to)) return [];
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const count = Math.round((end - start) / DAY) + 1;
  if (count < 1 || count > max) return [];
  return Array.from({ length: count }, (_, i) => utcDate(start + i * DAY));
}

/**
 * Per-day totals over the whole range, days without visits included as zero, so the chart's
 * gaps are real gaps. Falls back to the days the service returned when the range is too long.
 */
export function fillDays<
  D extends { date: string; totalDurationSeconds: number; meetings: number },
>(
  perDay: readonly D[],
  from: string,
  to: string,
): Array<D | { date: string; totalDurationSeconds: number; meetings: number }> {
  const byDate = new Map(perDay.map((d) => [d.date, d]));
  const days = daysBetween(from, to);
  if (days.length === 0) return [...perDay];
  return days.map((date) => byDate.get(date) ?? { date, totalDurationSeconds: 0, meetings: 0 });
}

/**
 * `2026-11-10T10:00:00+01:00` → `2026-11-10 10:00`: the service writes times in the clinic's
 * zone, so the wall time is read straight off the text, whatever the workstation's zone.
 */
export function clinicWallTime(iso: string | null): string {
  if (iso === null) return '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Matches the service's Content-Disposition name. */
export const exportFileName = (from: string, to: string): string =>
  `call-durations_${from || 'begin'}_${to || 'end'}.csv`;

/** "1 Nov" for axis labels; the date string is a calendar date, read without a zone. */
export function shortDate(date: string, locale?: string): string {
  const ms = Date.parse(`${date}T12:00:00Z`);
  if (Number.isNaN(ms)) return date;
  return new Date(ms).toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

/** "1 h 5 min", "12 min 5 s", "45 s", "0 s": the visit lengths the rest of the app shows. */
export { formatDuration as formatSeconds } from '../ui/format';

/** "900 B", "20 KB", "3.4 MB": the export's size. */
export { formatBytes } from '../ui/format';
