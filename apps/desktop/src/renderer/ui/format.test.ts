import { describe, expect, it } from 'vitest';
import { messages } from '../../i18n/compiled/en';
import { localizer } from '../i18n/i18n';
import { formatBytes, formatDuration, formatWaitingFor } from './format';

describe('formatDuration', () => {
  it('words hours, minutes and seconds through the catalog', () => {
    expect([0, 45, 60, 725, 3600, 3780, 3785, 36_000].map(formatDuration)).toEqual([
      '0 s',
      '45 s',
      '1 min',
      '12 min 5 s',
      '1 h',
      '1 h 3 min',
      '1 h 3 min', // seconds are left out once there are hours
      '10 h',
    ]);
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(44.6)).toBe('45 s');
    // Not grouped: the manager's monthly totals are compared with the CSV export's figures.
    expect(formatDuration(1234 * 3600)).toBe('1234 h');
  });
  it('rounds a wait down to whole minutes', () => {
    const since = '2026-05-01T09:00:00Z';
    const at = (s: number) => Date.parse(since) + s * 1000;
    expect(formatWaitingFor(since, at(30))).toBe('less than a minute');
    expect(formatWaitingFor(since, at(4 * 60 + 59))).toBe('4 min');
  });
});

describe('formatBytes', () => {
  it('rounds to B, whole KB and MB with one decimal', () => {
    expect([900, 20_480, 3_565_158].map(formatBytes)).toEqual(['900 B', '20 KB', '3.4 MB']);
  });
  it('takes its units from the catalog', () => {
    // Another language's units, compiled as `npm run i18n:compile` would ("{n} Ko"). Lingui
    // merges into the loaded catalog, so the English ones are put back afterwards.
    const english = Object.fromEntries(
      ['size.kb', 'size.mb'].map((id) => [id, messages[id] ?? id]),
    );
    localizer.i18n.load('en', { 'size.kb': [['n'], ' Ko'], 'size.mb': [['n'], ' Mo'] });
    try {
      expect([formatBytes(20_480), formatBytes(3_565_158)]).toEqual(['20 Ko', '3.4 Mo']);
    } finally {
      localizer.i18n.load('en', english);
    }
    expect(formatBytes(20_480)).toBe('20 KB');
  });
});
