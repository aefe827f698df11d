import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IceServersResponseSchema } from '@bedside/shared';
import { api, createMeeting, login, startTestService } from '../testing/harness.js';
import { iceServersFor } from './iceServers.js';

const SECRET = 'turn-shared-secret-0123456789';

describe('ICE servers', () => {
  it('issues TURN REST credentials coturn can verify (use-auth-secret)', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const r = iceServersFor(
      {
        turnUrls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'],
        turnSecret: SECRET,
        turnTtlSeconds: 600,
        stunUrls: ['stun:turn.example.org:3478'],
      },
      'u-7',
      now,
    );
    expect(r.ttlSeconds).toBe(600);
    const turn = r.iceServers.find((s) => s.username)!;
    expect(turn.urls).toEqual(['turn:turn.example.org:3478', 'turns:turn.example.org:5349']);
    expect(turn.username).toBe(`${now / 1000 + 600}:u-7`);
    // What coturn computes on its side: base64(HMAC-SHA1(static-auth-secret, username)).
    expect(turn.credential).toBe(
      createHmac('sha1', SECRET).update(turn.username!).digest('base64'),
    );
    expect(r.iceServers[0]).toEqual({ urls: ['stun:turn.example.org:3478'] });
  });

  it('offers STUN only when TURN is not configured', () => {
    const r = iceServersFor(
      {
        turnUrls: [],
        turnSecret: null,
        turnTtlSeconds: 3600,
        stunUrls: ['stun:stun.example.org:3478'],
      },
      'u-1',
    );
    expect(r).toEqual({ iceServers: [{ urls: ['stun:stun.example.org:3478'] }], ttlSeconds: null });
  });

  describe('GET /api/ice-servers', () => {
    let service: Awaited<ReturnType<typeof startTestService>>;
    beforeAll(async () => {
      service = await startTestService({
        turnUrls: ['turn:127.0.0.1:3478'],
        turnSecret: SECRET,
        turnTtlSeconds: 900,
      });
    });
    afterAll(async () => {
      await service?.close();
    });

    it('answers any valid token, including a patient’s, and refuses none', async () => {
      const doctor = await login(service.url, 'doctor@demo.test');
      const m = await createMeeting(service.url, doctor.token, 'ice-1');
      for (const [token, id] of [
        [doctor.token, doctor.user.id],
        [m.patientToken, m.meeting.patientId],
      ] as const) {
        const r = await api(service.url, 'GET', '/api/ice-servers', { token });
        expect(r.status).toBe(200);
        expect(r.headers.get('cache-control')).toBe('no-store');
        const body = IceServersResponseSchema.parse(r.body);
        expect(body.ttlSeconds).toBe(900);
        const turn = body.iceServers.find((s) => s.username)!;
        const [expiry, user] = turn.username!.split(':');
        expect(user).toBe(id);
        expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(890);
        expect(turn.credential).toBe(
          createHmac('sha1', SECRET).update(turn.username!).digest('base64'),
        );
      }
      expect((await api(service.url, 'GET', '/api/ice-servers')).status).toBe(401);
    });
  });
});
