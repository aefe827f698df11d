import { describe, expect, it } from 'vitest';
import type { Screen } from '../screens/screen.ts';
import { describeChange } from './announcements.ts';

const waiting: Screen = { kind: 'waiting' };
const alone: Screen = { kind: 'in-call', doctorPresent: false };
const withDoctor: Screen = { kind: 'in-call', doctorPresent: true };

describe('describeChange', () => {
  it('says "let you in" at admission and nothing when the doctor first arrives', () => {
    expect(describeChange(waiting, alone, false)).toBe('The doctor let you in.');
    expect(describeChange(alone, withDoctor, false)).toBeNull();
  });
  it('says "back" only after the doctor had been in the call and stepped away', () => {
    expect(describeChange(withDoctor, alone, true)).toBe('The doctor has stepped away.');
    expect(describeChange(alone, withDoctor, true)).toBe('The doctor is back.');
  });
  it('speaks of reconnects', () => {
    expect(
      describeChange(withDoctor, { kind: 'reconnecting', over: 'in-call', attempt: 1 }, true),
    ).toBe('Connection lost. Reconnecting.');
    expect(
      describeChange({ kind: 'reconnecting', over: 'in-call', attempt: 1 }, withDoctor, true),
    ).toBe('Reconnected.');
    expect(
      describeChange({ kind: 'reconnecting', over: 'waiting', attempt: 1 }, waiting, false),
    ).toBe('Reconnected. Still waiting for the doctor.');
  });
});
