import { describe, expect, it } from 'vitest';
import { niceMax, summarize } from './BarChart';
import { formatSeconds } from './dates';

describe('BarChart scale and summary', () => {
  it('puts duration gridlines on whole minutes and hours', () => {
    expect(niceMax(2700, 'duration')).toBe(3600); // 15, 30, 45, 60 min
    expect(niceMax(4500, 'duration')).toBe(4800); // 20, 40, 60, 80 min
    expect(niceMax(50, 'duration')).toBe(60);
    expect(niceMax(30 * 3600, 'duration')).toBe(4 * 28800); // 8 h steps
    expect(niceMax(20 * 86400, 'duration')).toBe(4 * 5 * 86400);
    expect(niceMax(0, 'duration')).toBe(4);
  });

  it('puts count gridlines on 1 / 2 / 5 steps', () => {
    expect(niceMax(7, 'count')).toBe(8);
    expect(niceMax(37, 'count')).toBe(40);
    expect(niceMax(130, 'count')).toBe(200);
  });

  it('summarizes for the accessible name', () => {
    const bars = [
      { key: 'a', label: 'Dr. A', value: 600 },
      { key: 'b', label: 'Dr. B', value: 3000 },
    ];
    expect(summarize('Visit time per doctor', bars, formatSeconds)).toBe(
      'Visit time per doctor: 2 entries, total 1 h; highest Dr. B with 50 min.',
    );
    expect(summarize('X', [], formatSeconds)).toBe('X: no data.');
    expect(summarize('X', [{ key: 'a', label: 'a', value: 0 }], formatSeconds)).toBe(
      'X: 1 entry, all zero.',
    );
  });
});
