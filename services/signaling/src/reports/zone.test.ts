import { describe, expect, it } from 'vitest';
import { ClinicZone, isValidTimeZone, nextCalendarDate, parseIsoMs } from './zone.js';

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (s: string) => Date.parse(s);

describe('ClinicZone.formatIso', () => {
  it('writes the offset in force at each instant across the Berlin changes of 2026', () => {
    const berlin = new ClinicZone('Europe/Berlin');
    // Spring forward 2026-03-29 01:00Z: 02:00 CET becomes 03:00 CEST.
    expect(berlin.formatIso(ms('2026-03-29T00:30:00Z'))).toBe('2026-03-29T01:30:00+01:00');
    expect(berlin.formatIso(ms('2026-03-29T00:59:59Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(berlin.formatIso(ms('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(berlin.formatIso(ms('2026-03-29T07:30:00Z'))).toBe('2026-03-29T09:30:00+02:00');
    // Fall back 2026-10-25 01:00Z: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    expect(berlin.formatIso(ms('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00+02:00');
    expect(berlin.formatIso(ms('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
  });

  it('keeps milliseconds only when present and handles negative and odd offsets', () => {
    expect(new ClinicZone('UTC').formatIso(ms('2026-11-25T10:00:00.250Z'))).toBe(
      '2026-11-25T10:00:00.250Z'.replace('Z', '+00:00'),
    );
    const ny = new ClinicZone('America/New_York');
    expect(ny.formatIso(ms('2026-11-01T05:59:59Z'))).toBe('2026-11-01T01:59:59-04:00');
    expect(ny.formatIso(ms('2026-11-01T06:00:00Z'))).toBe('2026-11-01T01:00:00-05:00');
    expect(new ClinicZone('Asia/Kathmandu').formatIso(ms('2026-01-01T00:00:00Z'))).toBe(
      '2026-01-01T05:45:00+05:45',
    );
  });

  it('is exact inside an hour that holds a transition at half past (Lord Howe, 30-minute shift)', () => {
    const lh = new ClinicZone('Australia/Lord_Howe');
    expect(lh.formatIso(ms('2026-10-03T15:00:00Z'))).toBe('2026-10-04T01:30:00+10:30');
    expect(lh.formatIso(ms('2026-10-03T15:29:59Z'))).toBe('2026-10-04T01:59:59+10:30');
    expect(lh.formatIso(ms('2026-10-03T15:30:00Z'))).toBe('2026-10-04T02:30:00+11:00');
    expect(lh.formatIso(ms('2026-10-03T15:59:59Z'))).toBe('2026-10-04T02:59:59+11:00');
  });

  it('round-trips: the text names the same instant, even with a seconds offset (LMT)', () => {
    const berlin = new ClinicZone('Europe/Berlin');
    for (const t of ['1890-01-01T00:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:30:00.5Z']) {
      expect(Date.parse(berlin.formatIso(ms(t)))).toBe(ms(t));
    }
    expect(berlin.formatIso(ms('1890-01-01T00:00:00Z'))).toBe('1890-01-01T00:53:00+00:53');
  });
});

describe('ClinicZone.startOfDay', () => {
  it('gives 23- and 25-hour days in Berlin across the 2026 changes', () => {
    const berlin = new ClinicZone('Europe/Berlin');
    expect(iso(berlin.startOfDay('2026-03-29'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(berlin.startOfDay('2026-03-30'))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(berlin.startOfDay('2026-10-25'))).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(berlin.startOfDay('2026-10-26'))).toBe('2026-10-25T23:00:00.000Z');
  });

  it('follows New York, where the changes fall on other dates', () => {
    const ny = new ClinicZone('America/New_York');
    expect(iso(ny.startOfDay('2026-03-08'))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(ny.startOfDay('2026-03-09'))).toBe('2026-03-09T04:00:00.000Z');
    expect(iso(ny.startOfDay('2026-11-01'))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(ny.startOfDay('2026-11-02'))).toBe('2026-11-02T05:00:00.000Z');
  });

  it('starts a day without a midnight at the transition (Santiago springs forward at 00:00)', () => {
    const scl = new ClinicZone('America/Santiago');
    // 2026-09-06 00:00 -04 never shows on the clock: it becomes 01:00 -03 at 04:00Z.
    expect(iso(scl.startOfDay('2026-09-06'))).toBe('2026-09-06T04:00:00.000Z');
    // 2026-04-05: 24:00 -03 falls back to 23:00 -04; Sunday's midnight is at 04:00Z.
    expect(iso(scl.startOfDay('2026-04-05'))).toBe('2026-04-05T04:00:00.000Z');
    expect(iso(scl.startOfDay('2026-04-04'))).toBe('2026-04-04T03:00:00.000Z');
  });

  it('knows local dates, the next date and valid zones', () => {
    const berlin = new ClinicZone('Europe/Berlin');
    expect(berlin.localDate(ms('2026-11-30T23:30:00Z'))).toBe('2026-12-01');
    expect(berlin.localDate(ms('2026-11-30T22:59:59Z'))).toBe('2026-11-30');
    expect(nextCalendarDate('2026-12-31')).toBe('2027-01-01');
    expect(nextCalendarDate('2028-02-28')).toBe('2028-02-29');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(new ClinicZone('utc').timeZone).toBe('UTC');
  });
});

describe('parseIsoMs', () => {
  it('agrees with Date.parse on canonical, odd and invalid inputs', () => {
    const samples = [
      '2026-11-25T10:00:00.000Z',
      '2026-02-28T23:59:59.999Z',
      '2028-02-29T12:00:00.000Z',
      '2026-02-29T12:00:00.000Z',
      '2026-02-30T12:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '1999-12-31T23:59:59.001Z',
      '1969-07-20T20:17:40.000Z',
      '0000-01-01T00:00:00.000Z',
      '0099-03-01T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-11-25T24:00:00.000Z',
      '2026-11-25T10:60:00.000Z',
      '2026-11-25T10:00:00Z',
      '2026-11-25T10:00:00.000+01:00',
      '2026-11-25T1a:00:00.000Z',
      '2026-11-25T10:00:00.0a0Z',
      '+02026-11-25T10:00:00.00Z',
      'not a date at all, 24 ch',
    ];
    for (const s of samples) expect(parseIsoMs(s), s).toEqual(Date.parse(s));
    // Every ~90 minutes (with odd milliseconds) over four years, leap day included.
    const end = Date.parse('2029-01-01T00:00:00Z');
    for (let t = Date.parse('2025-01-01T00:00:00Z'); t < end; t += 5_432_109) {
      expect(parseIsoMs(new Date(t).toISOString())).toBe(t);
    }
  });
});
