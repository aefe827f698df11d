import { ErrorCodeSchema } from '@bedside/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { guestErrorText } from '../guests/guests';
import { en } from '../../i18n/catalogs/en';
import { t } from '../i18n/i18n';
import { apiErrorText, errorCode, type ApiOperation } from './apiError';

/** What the service might say; none of it may reach the doctor. */
const SERVER_SAYS = 'Meeting 7f3a not found in shard eu-2 (mongo E11000)';

const OPERATIONS: ApiOperation[] = [
  'start',
  'signIn',
  'appointments.load',
  'appointments.link',
  'appointments.cancel',
  'visit.create',
  'visit.join',
  'guests.list',
  'guests.change',
  'report.load',
];
const CODES = [...ErrorCodeSchema.options, 'bad-response'] as const;
const CATALOG = new Set<string>(Object.values(en));

describe('apiErrorText', () => {
  it('never shows the service’s message, for any operation and code', () => {
    for (const operation of OPERATIONS)
      for (const code of CODES) {
        const text = apiErrorText(t, operation, new ApiError(code, SERVER_SAYS, 400));
        expect(text, `${operation} ${code}`).not.toContain('7f3a');
        // A catalog message (none of these take placeholders).
        expect(CATALOG.has(text), `${operation} ${code}: ${text}`).toBe(true);
      }
  });

  it('keeps each screen’s own wording for the codes it already explained', () => {
    const err = (code: ApiError['code']) => new ApiError(code, SERVER_SAYS, 400);
    expect(apiErrorText(t, 'signIn', err('unauthorized'))).toBe(
      'The email or password is not correct.',
    );
    expect(apiErrorText(t, 'signIn', err('rate-limited'))).toMatch(/^Too many sign-in attempts/);
    expect(apiErrorText(t, 'signIn', err('client-outdated'))).toMatch(/too old for the server/);
    expect(apiErrorText(t, 'report.load', err('unauthorized'))).toBe(
      'Your session has expired. Sign in again to see the report.',
    );
    expect(apiErrorText(t, 'visit.join', { code: 'room-closed', message: SERVER_SAYS })).toBe(
      'This visit has already ended or was cancelled.',
    );
    expect(apiErrorText(t, 'visit.join', { code: 'media-in-use', message: 'x' })).toMatch(
      /in use by another program/,
    );
    expect(apiErrorText(t, 'appointments.cancel', err('conflict'))).toBe(
      'This visit has already ended, so it cannot be cancelled.',
    );
    expect(apiErrorText(t, 'visit.create', err('conflict'))).toBe(
      'This appointment already has a visit with another doctor.',
    );
  });

  it('words the renderer’s own failures: no answer, no error body, an unparsable answer', () => {
    // The codes api.ts gives them (see api.test.ts).
    const none = new ApiError('unavailable', 'fetch failed: no answer', null);
    expect(apiErrorText(t, 'start', none)).toBe(
      'The Bedside server could not be reached. Check the network connection and try again.',
    );
    expect(apiErrorText(t, 'appointments.load', none)).toMatch(/could not be reached/);
    const odd = new ApiError('bad-response', 'the answer does not match its schema', 200);
    expect(apiErrorText(t, 'start', odd)).toBe(
      'The Bedside server did not answer as expected. Check the server address.',
    );
    expect(apiErrorText(t, 'report.load', odd)).toMatch(/did not answer as expected/);
    const bare502 = new ApiError('internal', 'HTTP 502 without an error body', 502);
    expect(apiErrorText(t, 'appointments.load', bare502)).toBe(
      'The Bedside server ran into a problem. Try again in a moment.',
    );
  });

  it('falls back to the operation’s wording for a code it has none for, and for a bug', () => {
    const closed = new ApiError('room-closed', SERVER_SAYS, 409);
    expect(apiErrorText(t, 'appointments.load', closed)).toBe(
      'The appointments could not be loaded.',
    );
    expect(apiErrorText(t, 'visit.create', closed)).toBe('The visit could not be created.');
    const bug = new TypeError("Cannot read properties of undefined (reading 'items')");
    expect(apiErrorText(t, 'signIn', bug)).toBe('Something went wrong. Please try again.');
    expect(apiErrorText(t, 'start', bug)).toMatch(/did not answer as expected/);
    expect(apiErrorText(t, 'report.load', bug)).toBe('The report could not be loaded.');
  });

  it('logs the code or the kind of error, never a message', () => {
    expect(errorCode(new ApiError('conflict', SERVER_SAYS, 409))).toBe('conflict');
    expect(errorCode({ code: 'media-denied', message: SERVER_SAYS })).toBe('media-denied');
    expect(errorCode(new TypeError(SERVER_SAYS))).toBe('TypeError');
    expect(errorCode('boom')).toBe('string');
  });
});

describe('guestErrorText', () => {
  it('tells a full visit by the service’s message without showing it', () => {
    const full = new ApiError('conflict', 'This visit is full: at most 4 people (2 guests)', 409);
    expect(guestErrorText(full)).toMatch(/^This visit is full: at most 4 people \(the doctor/);
    expect(guestErrorText(new ApiError('internal', SERVER_SAYS, 500))).not.toContain('7f3a');
    expect(guestErrorText(new ApiError('internal', SERVER_SAYS, 500), 'list')).toBe(
      'The Bedside server ran into a problem. Try again in a moment.',
    );
    expect(guestErrorText(new ApiError('payload-too-large', SERVER_SAYS, 413), 'list')).toBe(
      'The guest list could not be loaded.',
    );
  });
});
