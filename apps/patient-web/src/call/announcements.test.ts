import { describe, expect, it } from 'vitest';
import type { Screen } from '../screens/screen.ts';
import { describeChange } from './announcements.ts';

const waiting: Screen = { kind: 'waiting' };
const alone: Screen = { kind: 'in-call', doctorPresent: false };
const withDoctor: Screen = { kind: 'in-call', doctorPresent: true };

describe('describeChange', () => {
  it('says "let you in" at admission and nothing when the doctor first arrives', () => {
    expect(describeChange(waiting, alone, false)).toBe('announce.admitted');
    expect(describeChange(alone, withDoctor, false)).toBeNull();
  });
  it('says "back" only after the doctor had been in the call and stepped away', () => {
    expect(describeChange(withDoctor, alone, true)).toBe('announce.away');
    expect(describeChange(alone, withDoctor, true)).toBe('announce.back');
  });
  it('speaks of reconnects', () => {
    expect(
      describeChange(withDoctor, { kind: 'reconnecting', over: 'in-call', attempt: 1 }, true),
    ).toBe('announce.lost');
    expect(
      describeChange({ kind: 'reconnecting', over: 'in-call', attempt: 1 }, withDoctor, true),
    ).toBe('announce.reconnected');
    expect(
      describeChange({ kind: 'reconnecting', over: 'waiting', attempt: 1 }, waiting, false),
    ).toBe('announce.reconnectedWaiting');
  });
});
