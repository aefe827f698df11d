import { describe, expect, it } from 'vitest';
import { CallError, mediaCallError, mediaErrorKind } from './errors.js';

const dom = (name: string) => Object.assign(new Error('x'), { name });

describe('mediaErrorKind', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['NotFoundError', 'missing'],
    ['OverconstrainedError', 'missing'],
    ['NotReadableError', 'in-use'],
    ['SecurityError', 'insecure'],
    ['TypeError', 'unknown'],
  ] as const)('%s → %s', (name, kind) => {
    expect(mediaErrorKind(dom(name))).toBe(kind);
  });

  it('handles non-errors', () => {
    expect(mediaErrorKind(undefined)).toBe('unknown');
    expect(mediaErrorKind('NotAllowedError')).toBe('unknown');
  });

  it('wraps as a CallError with code and cause', () => {
    const cause = dom('NotAllowedError');
    const e = mediaCallError(cause);
    expect(e).toBeInstanceOf(CallError);
    expect(e.code).toBe('media-denied');
    expect(e.cause).toBe(cause);
  });
});
