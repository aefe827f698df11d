import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { bearerToken } from './principal.js';
import { createTokenService } from './tokens.js';

describe('passwords', () => {
  it('hashes with scrypt in a self-describing encoding and verifies', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(hash);
  });

  it('refuses malformed or absurd hashes without throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$1$2$3',
      'scrypt$99999999$8$1$c2FsdHNhbHQ$aGFzaA',
      'bcrypt$x$y$z$a$b',
    ]) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });
});

describe('tokens', () => {
  const secret = 'k'.repeat(48);

  it('signs access tokens for an hour and patient tokens until a day after the appointment', async () => {
    const t0 = Date.parse('2030-01-01T08:00:00Z');
    const tokens = createTokenService(secret, () => t0);
    const access = await tokens.signAccess({
      id: 'u-1',
      role: 'doctor',
      displayName: 'Dr. A',
      tokenVersion: 0,
    });
    expect(access.expiresAt).toBe('2030-01-01T09:00:00.000Z');
    expect(await tokens.verify(access.token)).toMatchObject({
      typ: 'access',
      sub: 'u-1',
      role: 'doctor',
    });

    const later = await tokens.signPatient({
      patientId: 'p-1',
      roomId: 'room-a',
      scheduledTime: '2030-01-10T10:00:00Z',
    });
    expect(later.expiresAt).toBe('2030-01-11T10:00:00.000Z');
    // Scheduled in the past: still a day from now, so a late link works.
    const past = await tokens.signPatient({
      patientId: 'p-1',
      roomId: 'room-a',
      scheduledTime: '2029-12-01T10:00:00Z',
    });
    expect(past.expiresAt).toBe('2030-01-02T08:00:00.000Z');
    expect(await tokens.verify(past.token)).toMatchObject({
      typ: 'patient',
      sub: 'p-1',
      roomId: 'room-a',
    });
  });

  it('refuses expired, foreign and malformed tokens as unauthorized', async () => {
    let now = Date.parse('2030-01-01T08:00:00Z');
    const tokens = createTokenService(secret, () => now);
    const { token } = await tokens.signAccess({
      id: 'u-1',
      role: 'doctor',
      displayName: 'Dr. A',
      tokenVersion: 0,
    });
    now += 61 * 60 * 1000;
    await expect(tokens.verify(token)).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'Token has expired',
    });
    const other = createTokenService('z'.repeat(48), () => now);
    const foreign = await other.signAccess({
      id: 'u-1',
      role: 'manager',
      displayName: 'X',
      tokenVersion: 0,
    });
    await expect(tokens.verify(foreign.token)).rejects.toBeInstanceOf(AppError);
    await expect(tokens.verify('a.b.c')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
