import { describe, expect, it } from 'vitest';
import {
  clinicWallTime,
  daysBetween,
  exportFileName,
  fillDays,
  formatBytes,
  formatSeconds,
  isDate,
  shortDate,
  thisMonth,
} from './dates';

describe('manager dates', () => {
  it('defaults to the whole current month, leap years included', () => {
    expect(thisMonth(new Date(2026, 10, 25, 13))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(thisMonth(new Date(2028, 1, 3))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(thisMonth(new Date(2026, 11, 31, 23, 59))).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
    });
  });

  it('lists the days of a range inclusively, across month ends and DST dates', () => {
    expect(daysBetween('2026-10-30', '2026-11-02')).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
    expect(daysBetween('2026-03-28', '2026-03-30')).toHaveLength(3);
    expect(daysBetween('2026-11-02', '2026-11-01')).toEqual([]);
    expect(daysBetween('2026-02-30', '2026-03-01')).toEqual([]);
    expect(daysBetween('2020-01-01', '2026-01-01')).toEqual([]);
  });

  it('fills days without visits with zeros', () => {
    expect(
      fillDays(
        [{ date: '2026-11-02', meetings: 2, totalDurationSeconds: 600 }],
        '2026-11-01',
        '2026-11-03',
      ),
    ).toEqual([
      { date: '2026-11-01', meetings: 0, totalDurationSeconds: 0 },
      { date: '2026-11-02', meetings: 2, totalDurationSeconds: 600 },
      { date: '2026-11-03', meetings: 0, totalDurationSeconds: 0 },
    ]);
  });

  it('reads clinic wall time off the text and formats sizes and names', () => {
    expect(clinicWallTime('2026-10-25T02:10:00+01:00')).toBe('2026-10-25 02:10');
    expect(clinicWallTime(null)).toBe('');
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(20_480)).toBe('20 KB');
    expect(formatBytes(3_565_158)).toBe('3.4 MB');
    expect(exportFileName('2026-11-01', '2026-11-30')).toBe(
      'call-durations_2026-11-01_2026-11-30.csv',
    );
    expect(isDate('2026-11-31')).toBe(false);
    expect(shortDate('2026-11-01', 'en-GB')).toBe('1 Nov');
    expect([0, 45, 725, 3600, 3900].map(formatSeconds)).toEqual([
      '0 s',
      '45 s',
      '12 min 5 s',
      '1 h',
      '1 h 5 min',
    ]);
  });
});
