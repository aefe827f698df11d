import { describe, expect, it } from 'vitest';
import type { Guest } from '@bedside/shared';
import { ApiError } from '../api';
import { activeGuests, guestErrorText, guestMailto, roleLabel, visitFull } from './guests';

const guest = (id: string, removedAt: string | null = null): Guest => ({
  guestId: id,
  role: 'interpreter',
  name: `Guest ${id}`,
  invitedAt: '2026-12-03T10:00:00.000Z',
  removedAt,
});

describe('guest roles', () => {
  it('names every part in a visit the way the waiting-room cards show it', () => {
    expect(
      (['doctor', 'patient', 'interpreter', 'caregiver', 'clinician'] as const).map(roleLabel),
    ).toEqual(['Doctor', 'Patient', 'Interpreter', 'Family member', 'Clinician']);
  });
});

describe('the cap as the panel sees it', () => {
  it('counts only guests whose link still works', () => {
    const list = [guest('g-1', '2026-12-03T10:05:00.000Z'), guest('g-2')];
    expect(activeGuests(list).map((g) => g.guestId)).toEqual(['g-2']);
    expect(visitFull(list)).toBe(false);
    expect(visitFull([...list, guest('g-3')])).toBe(true);
  });
});

describe('guestErrorText', () => {
  it('tells a full visit from one that is over (both are 409 from the service)', () => {
    const full = new ApiError(
      'conflict',
      'This visit is full: at most 4 people (2 guests); remove a guest first',
      409,
    );
    expect(guestErrorText(full)).toBe(
      'This visit is full: at most 4 people (the doctor, the patient and 2 guests). Remove a guest first.',
    );
    expect(
      guestErrorText(new ApiError('conflict', 'This meeting has ended or was cancelled', 409)),
    ).toBe('This visit has ended or was cancelled, so no one can be invited.');
  });

  it('says what to do for a bad name, another doctor, an unknown guest and no network', () => {
    expect(guestErrorText(new ApiError('bad-request', 'Invalid guest invitation', 400))).toMatch(
      /guest's name/,
    );
    expect(guestErrorText(new ApiError('forbidden', 'x', 403))).toMatch(/Only the doctor/);
    expect(guestErrorText(new ApiError('not-found', 'x', 404))).toMatch(/no longer invited/);
    // What api.ts throws when nothing answers.
    const offline = new ApiError('unavailable', 'fetch failed: no answer', null);
    expect(guestErrorText(offline)).toMatch(/could not be reached/);
    // The service's own message is never shown: the code is worded, or the fallback.
    expect(guestErrorText(new ApiError('internal', 'Mongo write concern failed', 500))).toBe(
      'The Bedside server ran into a problem. Try again in a moment.',
    );
    expect(guestErrorText(new TypeError('Failed to fetch'))).toBe('That did not work. Try again.');
  });
});

describe('guestMailto', () => {
  it('carries the link, the role and the time, with no recipient filled in', () => {
    const link = 'https://visit.example/join/room-a1#token=abc.def';
    const url = guestMailto({ link, name: 'Ina', role: 'caregiver', when: 'Monday 10:00' });
    expect(url.startsWith('mailto:?subject=')).toBe(true);
    const body = decodeURIComponent(url.split('&body=')[1] ?? '');
    expect(body).toContain('Hello Ina,');
    expect(body).toContain('as the family member, on Monday 10:00');
    expect(body).toContain(link);
  });
});
