// Pure: wall-clock arithmetic in one IANA time zone with nothing but Intl, fast enough to
// format a million rows. `Intl.DateTimeFormat` is slow to build and slow to call, so each
// zone builds one formatter and remembers the UTC offset per UTC day (per hour on the days
// holding a transition).

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Days or hours remembered before a cache starts afresh (keeps memory bounded). */
const MAX_CACHED_KEYS = 50_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const pad4 = (n: number): string => (n < 1000 ? `${n}`.padStart(4, '0') : `${n}`);
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => pad2(i));

/** Two ASCII digits at `i` as a number, or -1000 if either is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >>> 0 > 9 || b >>> 0 > 9 ? -1000 : a * 10 + b;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * `Date.parse`, three times faster on the store's canonical `YYYY-MM-DDTHH:mm:ss.sssZ` (an
 * export parses about ten per row). Any other shape, and any day past the 28th (so month
 * lengths never need checking here), goes to `Date.parse` itself: the two always agree.
 */
export function parseIsoMs(s: string): number {
  if (
    s.length !== 24 ||
    s.charCodeAt(23) !== 90 || // Z
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 // .
  )
    return Date.parse(s);
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  const cs = twoDigits(s, 20);
  const ms = s.charCodeAt(22) - 48;
  if (
    hi < 0 ||
    lo < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > 28 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 59 ||
    cs < 0 ||
    ms >>> 0 > 9
  )
    return Date.parse(s);
  return (
    daysFromCivil(hi * 100 + lo, mo, d) * DAY + h * HOUR + mi * MINUTE + sec * SECOND + cs * 10 + ms
  );
}

/** UTC milliseconds of a civil date-time, correct for years 0–99 too (unlike `Date.UTC`). */
function civilToMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** `YYYY-MM-DD` of the UTC calendar day holding `ms`. */
function utcDateString(ms: number): string {
  const d = new Date(ms);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Whether `timeZone` names a zone this runtime knows (IANA name or `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Parses `YYYY-MM-DD` (already validated as a real date) into numbers. */
export function parseCalendarDate(date: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

/** The calendar date after `date` (`YYYY-MM-DD`). */
export function nextCalendarDate(date: string): string {
  const { y, m, d } = parseCalendarDate(date);
  return utcDateString(civilToMs(y, m, d) + DAY);
}

export class ClinicZone {
  readonly timeZone: string;
  private readonly dtf: Intl.DateTimeFormat;
  /** UTC day / hour index → offset (ms) valid throughout it, or NaN when a transition falls inside. */
  private readonly dayOffsets = new Map<number, number>();
  private readonly hourOffsets = new Map<number, number>();
  /** Local hour index → `YYYY-MM-DDTHH:`; offset minutes → `+01:00`. */
  private readonly hourPrefixes = new Map<number, string>();
  private readonly offsetTexts = new Map<number, string>();

  /** Throws RangeError for an unknown zone. */
  constructor(timeZone: string) {
    this.dtf = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // Canonical spelling (e.g. "utc" → "UTC"), so reports name the zone the same way.
    this.timeZone = this.dtf.resolvedOptions().timeZone;
  }

  /** Exact offset (ms, whole seconds) of local time from UTC at `ms`, straight from Intl. */
  private exactOffset(ms: number): number {
    const whole = Math.floor(ms / SECOND) * SECOND;
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const part of this.dtf.formatToParts(whole)) {
      switch (part.type) {
        case 'year':
          y = Number(part.value);
          break;
        case 'month':
          mo = Number(part.value);
          break;
        case 'day':
          d = Number(part.value);
          break;
        case 'hour':
          h = Number(part.value);
          break;
        case 'minute':
          mi = Number(part.value);
          break;
        case 'second':
          s = Number(part.value);
          break;
        default:
          break;
      }
    }
    return civilToMs(y, mo, d, h, mi, s) - whole;
  }

  /** Offset (ms) of local time from UTC at the instant `ms`. */
  offsetAt(ms: number): number {
    const day = Math.floor(ms / DAY);
    const daily = this.dayOffsets.get(day);
    if (daily !== undefined && !Number.isNaN(daily)) return daily;
    if (daily === undefined) {
      const offset = this.uniformOffset(day * DAY, DAY);
      this.remember(this.dayOffsets, day, offset);
      if (!Number.isNaN(offset)) return offset;
    }
    // The day holds a transition: look at its hours.
    const hour = Math.floor(ms / HOUR);
    let hourly = this.hourOffsets.get(hour);
    if (hourly === undefined) {
      hourly = this.uniformOffset(hour * HOUR, HOUR);
      this.remember(this.hourOffsets, hour, hourly);
    }
    return Number.isNaN(hourly) ? this.exactOffset(ms) : hourly;
  }

  /**
   * The offset valid throughout [start, start + span), or NaN if it changes inside. tzdata
   * transitions fall on whole seconds and are months apart (never two within a day), so equal
   * offsets at both ends mean one offset throughout.
   */
  private uniformOffset(start: number, span: number): number {
    const first = this.exactOffset(start);
    return first === this.exactOffset(start + span - SECOND) ? first : Number.NaN;
  }

  private remember<T>(cache: Map<number, T>, key: number, value: T): void {
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(key, value);
  }

  /**
   * ISO-8601 with the zone's offset at that instant, e.g. `2026-03-29T09:30:00+02:00`;
   * milliseconds only when there are some. Offsets with seconds (pre-1900 local mean time)
   * are rounded to whole minutes and the wall time shifted with them, so the text still
   * denotes exactly the same instant.
   */
  formatIso(ms: number): string {
    const offMin = Math.round(this.offsetAt(ms) / MINUTE);
    const local = ms + offMin * MINUTE;
    // Per local hour the text up to the minutes is the same: build it once, then only the
    // minutes and seconds are new (this runs three times per exported row).
    const hourKey = Math.floor(local / HOUR);
    let prefix = this.hourPrefixes.get(hourKey);
    if (prefix === undefined) {
      const d = new Date(hourKey * HOUR);
      prefix =
        `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
        `T${pad2(d.getUTCHours())}:`;
      this.remember(this.hourPrefixes, hourKey, prefix);
    }
    let offset = this.offsetTexts.get(offMin);
    if (offset === undefined) {
      const abs = Math.abs(offMin);
      offset = `${offMin < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
      this.offsetTexts.set(offMin, offset);
    }
    const inHour = local - hourKey * HOUR;
    const millis = inHour % SECOND;
    return (
      prefix +
      TWO_DIGITS[Math.floor(inHour / MINUTE)]! +
      ':' +
      TWO_DIGITS[Math.floor((inHour % MINUTE) / SECOND)]! +
      (millis === 0 ? '' : `.${pad3(millis)}`) +
      offset
    );
  }

  /** Local calendar date (`YYYY-MM-DD`) of the instant `ms`. */
  localDate(ms: number): string {
    return utcDateString(ms + this.offsetAt(ms));
  }

  /**
   * First instant of the local calendar day `date` (`YYYY-MM-DD`). Where midnight does not
   * exist (a zone that springs forward at 00:00) that is the transition itself; where it
   * happens twice, the earlier one.
   */
  startOfDay(date: string): number {
    const { y, m, d } = parseCalendarDate(date);
    const wall = civilToMs(y, m, d);
    // Offsets a day either side bracket any transition near this midnight.
    const before = this.offsetAt(wall - DAY);
    const after = this.offsetAt(wall + DAY);
    let best = Number.POSITIVE_INFINITY;
    for (const offset of [before, after]) {
      const candidate = wall - offset;
      if (candidate + this.offsetAt(candidate) === wall && candidate < best) best = candidate;
    }
    // No instant shows 00:00 on the clock: the day starts when the old offset reaches it.
    return Number.isFinite(best) ? best : wall - before;
  }
}

const zones = new Map<string, ClinicZone>();

/** One shared `ClinicZone` per zone name; throws RangeError for an unknown zone. */
export function clinicZone(timeZone: string): ClinicZone {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = new ClinicZone(timeZone);
    // Bounded: the `tz` query parameter is caller-controlled.
    if (zones.size >= 64) zones.clear();
    zones.set(timeZone, zone);
  }
  return zone;
}
