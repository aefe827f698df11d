import { describe, expect, it } from 'vitest';
import { formatDuration, screenForCall, screenForRefusal } from './screen.ts';

describe('screenForRefusal', () => {
  it('tells an expired token from a forged one by the clock or the message', () => {
    expect(screenForRefusal('unauthorized', 'invalid token', false)).toEqual({
      kind: 'invalid-link',
    });
    expect(screenForRefusal('unauthorized', 'invalid token', true)).toEqual({ kind: 'expired' });
    expect(screenForRefusal('unauthorized', 'token expired', false)).toEqual({ kind: 'expired' });
  });
  it('maps a closed room to cancelled, or to "visit over" when the service says it ended', () => {
    expect(screenForRefusal('room-closed', 'meeting cancelled', false)).toEqual({
      kind: 'cancelled',
    });
    expect(screenForRefusal('room-closed', 'meeting completed', false)).toEqual({
      kind: 'visit-over',
    });
  });
  it('treats a token for another room as an invalid link, and unknown codes as retryable errors', () => {
    expect(screenForRefusal('forbidden', 'x', false)).toEqual({ kind: 'invalid-link' });
    // A guest's link after the doctor removed them: the service's handshake and join-room say so.
    expect(screenForRefusal('forbidden', 'The doctor removed you from this visit', false)).toEqual({
      kind: 'removed',
    });
    expect(screenForRefusal('internal', 'x', false)).toMatchObject({ kind: 'error', retry: true });
  });
});

describe('screenForCall', () => {
  it('follows the engine through a visit', () => {
    expect(screenForCall({ kind: 'joining' }, 'in-call', false)).toEqual({ kind: 'joining' });
    expect(screenForCall({ kind: 'waiting' }, 'in-call', false)).toEqual({ kind: 'waiting' });
    expect(screenForCall({ kind: 'connected', peer: null, since: 1 }, 'in-call', false)).toEqual({
      kind: 'in-call',
      doctorPresent: false,
    });
    expect(
      screenForCall({ kind: 'ended', reason: 'ended-by-doctor', duration: 312 }, 'in-call', false),
    ).toEqual({ kind: 'ended', by: 'doctor', durationSeconds: 312 });
    // A guest removed mid-call (or while waiting) sees that, not "the doctor ended the visit".
    expect(screenForCall({ kind: 'ended', reason: 'removed' }, 'in-call', false)).toEqual({
      kind: 'removed',
    });
    expect(screenForCall({ kind: 'ended', reason: 'left' }, 'in-call', false)).toEqual({
      kind: 'ended',
      by: 'you',
      durationSeconds: null,
    });
  });
  it('overlays a reconnect on the screen the patient was on', () => {
    const r = { kind: 'reconnecting', attempt: 2, cause: 'signaling' } as const;
    expect(screenForCall(r, 'waiting', false)).toEqual({
      kind: 'reconnecting',
      over: 'waiting',
      attempt: 2,
    });
    expect(screenForCall(r, 'in-call', false)).toEqual({
      kind: 'reconnecting',
      over: 'in-call',
      attempt: 2,
    });
  });
  it('turns a refused join into the matching link screen, never the waiting room', () => {
    const refused = (code: 'room-closed' | 'unauthorized' | 'forbidden', message: string) =>
      screenForCall({ kind: 'ended', reason: 'error', error: { code, message } }, 'in-call', false);
    expect(refused('room-closed', 'cancelled')).toEqual({ kind: 'cancelled' });
    expect(refused('unauthorized', 'bad signature')).toEqual({ kind: 'invalid-link' });
    expect(refused('forbidden', 'wrong room')).toEqual({ kind: 'invalid-link' });
    expect(screenForCall({ kind: 'ended', reason: 'cancelled' }, 'in-call', false)).toEqual({
      kind: 'cancelled',
    });
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(0)).toBe('0 seconds');
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(65)).toBe('1 minute 5 seconds');
    expect(formatDuration(720)).toBe('12 minutes');
    expect(formatDuration(3720)).toBe('1 hour 2 minutes');
  });
});
