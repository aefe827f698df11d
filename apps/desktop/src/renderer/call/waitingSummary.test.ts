import { describe, expect, it } from 'vitest';
import type { ParticipantRole, WaitingPatient } from '@bedside/shared';
import { waitingSummary } from './waitingSummary';

let n = 0;
const waiting = (userName: string, role: ParticipantRole): WaitingPatient => ({
  socketId: `sock-${++n}`,
  userId: `user-${n}`,
  userName,
  userType: role === 'patient' ? 'patient' : 'guest',
  role,
  waitingSince: '2026-12-03T10:00:00.000Z',
});

describe('the call’s waiting badge', () => {
  it('names one person with their part', () => {
    expect(waitingSummary([waiting('Ana Interp', 'interpreter')])).toBe(
      'Ana Interp (Interpreter) is waiting',
    );
    expect(waitingSummary([waiting('Maria', 'patient')])).toBe('Maria (Patient) is waiting');
  });

  it('counts several per part, patient first, with plurals', () => {
    expect(waitingSummary([waiting('Sam', 'caregiver'), waiting('Maria', 'patient')])).toBe(
      '2 waiting: 1 patient and 1 family member',
    );
    expect(
      waitingSummary([
        waiting('A', 'interpreter'),
        waiting('B', 'clinician'),
        waiting('C', 'interpreter'),
      ]),
    ).toBe('3 waiting: 2 interpreters and 1 clinician');
    expect(waitingSummary([waiting('A', 'caregiver'), waiting('B', 'caregiver')])).toBe(
      '2 waiting: 2 family members',
    );
  });

  it('says nobody waits for an empty list', () => {
    expect(waitingSummary([])).toBe('No one waiting');
  });
});
