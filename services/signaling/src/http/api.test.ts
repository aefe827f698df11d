// The REST API through real HTTP: auth, meetings with roles and ownership, hostile bodies and
// queries, CORS, security headers, ops endpoints and the patient page.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateMeetingResponseSchema,
  ListMeetingsResponseSchema,
  LoginResponseSchema,
  MeetingSchema,
} from '@bedside/shared';
import {
  addDoctor,
  api,
  createMeeting,
  login,
  snapshot,
  startTestService,
  tempDir,
} from '../testing/harness.js';

type Service = Awaited<ReturnType<typeof startTestService>>;
/** These tests schedule visits on fixed dates years ahead (2030, 2031). */
const FIXED_DATES_AHEAD = 3660;

describe('REST API', () => {
  let service: Service;
  let base: string;
  let doctor: string;
  let other: string;
  let manager: string;

  beforeAll(async () => {
    service = await startTestService({ maxScheduleAheadDays: FIXED_DATES_AHEAD });
    base = service.url;
    await addDoctor(service.store, 'other@demo.test', 'Dr. Other');
    doctor = (await login(base, 'doctor@demo.test')).token;
    other = (await login(base, 'other@demo.test')).token;
    manager = (await login(base, 'manager@demo.test')).token;
  });
  afterAll(async () => {
    await service?.close();
  });

  describe('auth', () => {
    it('logs in with the seeded demo doctor and returns a token and the user', async () => {
      const r = await api(base, 'POST', '/api/auth/login', {
        body: { email: 'Doctor@Demo.Test', password: 'demo-password-for-tests' },
      });
      expect(r.status).toBe(200);
      const body = LoginResponseSchema.parse(r.body);
      expect(body.user).toMatchObject({
        email: 'doctor@demo.test',
        displayName: 'Dr. Demo',
        role: 'doctor',
      });
      expect(body.user).not.toHaveProperty('passwordHash');
      const ttl = Date.parse(body.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(50 * 60 * 1000);
      expect(ttl).toBeLessThanOrEqual(60 * 60 * 1000);
      const audit = await service.store.listAudit({});
      expect(audit.some((e) => e.action === 'user.login' && e.actorId === body.user.id)).toBe(true);
    });

    it('refuses a wrong password and an unknown user the same way', async () => {
      const wrong = await api(base, 'POST', '/api/auth/login', {
        body: { email: 'doctor@demo.test', password: 'nope' },
      });
      const unknown = await api(base, 'POST', '/api/auth/login', {
        body: { email: 'nobody@demo.test', password: 'nope' },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toEqual({
        error: { code: 'unauthorized', message: 'Email or password is incorrect' },
      });
    });

    it('refreshes a valid access token, refuses a patient token there', async () => {
      const r = await api(base, 'POST', '/api/auth/refresh', { token: doctor });
      expect(r.status).toBe(200);
      const body = LoginResponseSchema.parse(r.body);
      expect((await api(base, 'GET', '/api/meetings', { token: body.token })).status).toBe(200);
      const m = await createMeeting(base, doctor, 'refresh-1');
      expect((await api(base, 'POST', '/api/auth/refresh', { token: m.patientToken })).status).toBe(
        403,
      );
      expect((await api(base, 'POST', '/api/auth/refresh')).status).toBe(401);
    });

    it('backs off repeated failed logins for an account', async () => {
      const s = await startTestService();
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 7; i++) {
          const r = await api(s.url, 'POST', '/api/auth/login', {
            body: { email: 'manager@demo.test', password: `wrong-${i}` },
          });
          statuses.push(r.status);
        }
        // Five tries, then the account waits (1 s, 2 s …) however the next attempt is made.
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
        const limited = await api(s.url, 'POST', '/api/auth/login', {
          body: { email: 'manager@demo.test', password: 'demo-password-for-tests' },
        });
        expect(limited.body).toMatchObject({ error: { code: 'rate-limited' } });
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        // Another account from the same address still signs in.
        expect((await login(s.url, 'doctor@demo.test')).user.role).toBe('doctor');
      } finally {
        await s.close();
      }
    });
  });

  describe('meetings', () => {
    it('creates a meeting on both routes, returns the existing one for the same appointment', async () => {
      const body = {
        appointmentId: 'appt-100',
        scheduledTime: '2030-01-02T09:30:00+01:00',
        patientName: 'Ana',
      };
      const first = await api(base, 'POST', '/api/create-meeting', { token: doctor, body });
      expect(first.status).toBe(201);
      const created = CreateMeetingResponseSchema.parse(first.body);
      expect(created.roomId).toBe('room-appt-100');
      expect(created.meeting).toMatchObject({
        status: 'scheduled',
        patientName: 'Ana',
        scheduledTime: '2030-01-02T08:30:00.000Z',
      });
      expect(created.meeting.patientId).toMatch(/^p-/);
      expect(created.patientJoinUrl).toMatch(
        new RegExp(`^${base}/join/room-appt-100#token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`),
      );

      const again = await api(base, 'POST', '/api/meetings', { token: doctor, body });
      expect(again.status).toBe(200);
      expect((again.body as { meeting: unknown }).meeting).toEqual(created.meeting);

      const conflict = await api(base, 'POST', '/api/meetings', { token: other, body });
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({ error: { code: 'conflict' } });
      expect(JSON.stringify(conflict.body)).not.toContain('Ana');
    });

    it('binds the patient token to its room, valid until a day after the appointment', async () => {
      const m = await createMeeting(base, doctor, 'appt-token', {
        scheduledTime: '2031-05-05T10:00:00Z',
        patientId: 'mrn-42',
      });
      expect(m.meeting.patientId).toBe('mrn-42');
      const claims = JSON.parse(
        Buffer.from(m.patientToken.split('.')[1]!, 'base64url').toString(),
      ) as Record<string, unknown>;
      expect(claims).toMatchObject({ typ: 'patient', sub: 'mrn-42', roomId: 'room-appt-token' });
      expect(claims.exp).toBe(Date.parse('2031-05-06T10:00:00Z') / 1000);
      expect(claims).not.toHaveProperty('name');
      // A patient token is not a doctor's: no meetings API.
      expect((await api(base, 'GET', '/api/meetings', { token: m.patientToken })).status).toBe(403);
      expect(
        (await api(base, 'POST', '/api/meetings', { token: m.patientToken, body: {} })).status,
      ).toBe(403);
    });

    it('lists a doctor’s own meetings (newest first, paginated); a manager sees all', async () => {
      const s = await startTestService({ maxScheduleAheadDays: FIXED_DATES_AHEAD });
      try {
        await addDoctor(s.store, 'other@demo.test', 'Dr. Other');
        const d = (await login(s.url, 'doctor@demo.test')).token;
        const o = (await login(s.url, 'other@demo.test')).token;
        const mgr = (await login(s.url, 'manager@demo.test')).token;
        for (let i = 1; i <= 5; i++) {
          await createMeeting(s.url, d, `list-${i}`, {
            scheduledTime: `2030-03-0${i}T10:00:00Z`,
            patientName: `P${i}`,
          });
        }
        await createMeeting(s.url, o, 'list-other', { scheduledTime: '2030-03-09T10:00:00Z' });

        const page1 = ListMeetingsResponseSchema.parse(
          (await api(s.url, 'GET', '/api/meetings?limit=2', { token: d })).body,
        );
        expect(page1.total).toBe(5);
        expect(page1.items.map((m) => m.appointmentId)).toEqual(['list-5', 'list-4']);
        const page3 = ListMeetingsResponseSchema.parse(
          (await api(s.url, 'GET', '/api/meetings?limit=2&page=3', { token: d })).body,
        );
        expect(page3.items.map((m) => m.appointmentId)).toEqual(['list-1']);
        const ranged = ListMeetingsResponseSchema.parse(
          (
            await api(
              s.url,
              'GET',
              `/api/meetings?status=scheduled&from=${encodeURIComponent('2030-03-02T00:00:00Z')}&to=${encodeURIComponent('2030-03-04T00:00:00Z')}`,
              { token: d },
            )
          ).body,
        );
        expect(ranged.items.map((m) => m.appointmentId)).toEqual(['list-3', 'list-2']);

        const all = ListMeetingsResponseSchema.parse(
          (await api(s.url, 'GET', '/api/meetings', { token: mgr })).body,
        );
        expect(all.total).toBe(6);
        // Patient names are for the treating doctor, not the manager's list.
        expect(all.items.every((m) => m.patientName === null)).toBe(true);
      } finally {
        await s.close();
      }
    });

    it('shows one meeting to its doctor and managers only', async () => {
      const m = await createMeeting(base, doctor, 'appt-get', { patientName: 'Bo' });
      const own = await api(base, 'GET', `/api/meetings/${m.roomId}`, { token: doctor });
      expect(own.status).toBe(200);
      expect(MeetingSchema.parse(own.body)).toMatchObject({ roomId: m.roomId, patientName: 'Bo' });
      // Another doctor's meeting answers like a missing one.
      const foreign = await api(base, 'GET', `/api/meetings/${m.roomId}`, { token: other });
      const missing = await api(base, 'GET', '/api/meetings/room-appt-nope', { token: other });
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      const mgr = await api(base, 'GET', `/api/meetings/${m.roomId}`, { token: manager });
      expect(mgr.status).toBe(200);
      expect((mgr.body as { patientName: unknown }).patientName).toBeNull();
      expect(
        (await api(base, 'GET', '/api/meetings/room-does-not-exist', { token: doctor })).status,
      ).toBe(404);
      const invalid = await api(base, 'GET', '/api/meetings/not-a-room', { token: doctor });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toMatchObject({ error: { code: 'bad-request' } });
    });

    it('cancels only as the meeting’s doctor; a completed meeting cannot be cancelled', async () => {
      const m = await createMeeting(base, doctor, 'appt-cancel');
      expect(
        (await api(base, 'POST', `/api/meetings/${m.roomId}/cancel`, { token: manager })).status,
      ).toBe(403);
      expect(
        (await api(base, 'POST', `/api/meetings/${m.roomId}/cancel`, { token: other })).status,
      ).toBe(404);
      const r = await api(base, 'POST', `/api/meetings/${m.roomId}/cancel`, { token: doctor });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'cancelled' });
      expect(
        (await api(base, 'POST', `/api/meetings/${m.roomId}/cancel`, { token: doctor })).status,
      ).toBe(200);
      expect(
        (await api(base, 'GET', '/api/ice-servers', { token: m.patientToken })).body,
      ).toMatchObject({
        error: { code: 'room-closed' },
      });

      const done = await createMeeting(base, doctor, 'appt-done');
      await service.store.markCompleted(done.roomId, new Date().toISOString());
      const refused = await api(base, 'POST', `/api/meetings/${done.roomId}/cancel`, {
        token: doctor,
      });
      expect(refused.status).toBe(409);
      const audit = await service.store.listAudit({ roomId: m.roomId });
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['meeting.create', 'meeting.cancel']),
      );
    });
  });

  describe('reports', () => {
    it('serves call durations to managers only', async () => {
      const r = await api(
        base,
        'GET',
        '/api/reports/call-durations?from=2030-01-01&to=2030-01-31',
        { token: manager },
      );
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ rows: expect.any(Array) });
      const csv = await fetch(`${base}/api/reports/call-durations?format=csv`, {
        headers: { authorization: `Bearer ${manager}` },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
      expect(
        (await api(base, 'GET', '/api/reports/call-durations', { token: doctor })).status,
      ).toBe(403);
      expect((await api(base, 'GET', '/api/reports/call-durations')).status).toBe(401);
      const bad = await api(base, 'GET', '/api/reports/call-durations?from[$gt]=x', {
        token: manager,
      });
      expect(bad.status).toBe(400);
      const audit = await service.store.listAudit({});
      expect(audit.some((e) => e.action === 'report.export')).toBe(true);
    });
  });

  describe('hostile input', () => {
    it('refuses NoSQL operators, unknown keys and wrong types with 400, changing nothing', async () => {
      const before = await snapshot(service.store);
      const bodies: [string, string, unknown][] = [
        ['POST', '/api/auth/login', { email: { $gt: '' }, password: 'x' }],
        ['POST', '/api/auth/login', { email: 'doctor@demo.test', password: { $ne: null } }],
        ['POST', '/api/auth/login', { email: 'doctor@demo.test', password: 'x', $where: '1' }],
        ['POST', '/api/auth/login', ['doctor@demo.test']],
        [
          'POST',
          '/api/meetings',
          { appointmentId: { $ne: null }, scheduledTime: '2030-01-01T00:00:00Z' },
        ],
        [
          'POST',
          '/api/meetings',
          { appointmentId: 'a/../b', scheduledTime: '2030-01-01T00:00:00Z' },
        ],
        ['POST', '/api/meetings', { appointmentId: 'ok-1', scheduledTime: 'tomorrow' }],
        [
          'POST',
          '/api/meetings',
          { appointmentId: 'ok-1', scheduledTime: '2030-01-01T00:00:00Z', doctorId: 'x' },
        ],
        [
          'POST',
          '/api/meetings',
          {
            appointmentId: 'ok-1',
            scheduledTime: '2030-01-01T00:00:00Z',
            patientName: 'x'.repeat(81),
          },
        ],
        [
          'POST',
          '/api/meetings',
          { appointmentId: 'ok-1', scheduledTime: '2030-01-01T00:00:00Z', patientId: { $gt: '' } },
        ],
      ];
      for (const [method, url, body] of bodies) {
        const r = await api(base, method, url, { token: doctor, body });
        expect(r.status, `${url} ${JSON.stringify(body)}`).toBe(400);
        expect(r.body).toMatchObject({ error: { code: 'bad-request' } });
      }
      const proto = await api(base, 'POST', '/api/meetings', {
        token: doctor,
        rawBody:
          '{"appointmentId":"ok-2","scheduledTime":"2030-01-01T00:00:00Z","__proto__":{"x":1}}',
      });
      expect(proto.status).toBe(400);
      for (const q of [
        '?status[$ne]=x',
        '?status=scheduled&status=active',
        '?status=deleted',
        '?limit=100000',
        '?page=0',
        '?from=yesterday',
        '?doctorId=someone',
        '?$where=1',
      ]) {
        const r = await api(base, 'GET', `/api/meetings${q}`, { token: doctor });
        expect(r.status, q).toBe(400);
        expect(r.body).toMatchObject({ error: { code: 'bad-request' } });
      }
      expect(await snapshot(service.store)).toEqual(before);
    });

    it('answers bad JSON with 400 and an oversized body with 413', async () => {
      const bad = await api(base, 'POST', '/api/meetings', {
        token: doctor,
        rawBody: '{"appointmentId":',
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        error: { code: 'bad-request', message: 'Request body is not valid JSON' },
      });
      const big = await api(base, 'POST', '/api/auth/login', {
        rawBody: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) }),
      });
      expect(big.status).toBe(413);
      expect(big.body).toMatchObject({ error: { code: 'payload-too-large' } });
      const noBody = await api(base, 'POST', '/api/meetings', { token: doctor });
      expect(noBody.status).toBe(400);
      const form = await api(base, 'POST', '/api/auth/login', {
        rawBody: 'email=a&password=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(400);
    });

    it('refuses missing, malformed and foreign tokens', async () => {
      for (const authorization of [
        '',
        'Bearer',
        'Bearer not.a.token',
        'Basic dXNlcjpwYXNz',
        `Bearer ${doctor}x`,
      ]) {
        const r = await api(base, 'GET', '/api/meetings', { headers: { authorization } });
        expect(r.status, authorization).toBe(401);
        expect(r.body).toMatchObject({ error: { code: 'unauthorized' } });
      }
    });

    it('answers unknown API routes with a JSON 404', async () => {
      const r = await api(base, 'GET', '/api/nope');
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error: { code: 'not-found' } });
    });
  });

  describe('CORS and headers', () => {
    it('refuses unknown Origins with 403 and answers allowed ones with CORS headers', async () => {
      const evil = await api(base, 'GET', '/api/version', {
        headers: { origin: 'https://evil.example' },
      });
      expect(evil.status).toBe(403);
      expect(evil.body).toEqual({ error: { code: 'forbidden', message: 'Origin not allowed' } });
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();

      const desktop = await api(base, 'GET', '/api/version', {
        headers: { origin: 'bedside://app' },
      });
      expect(desktop.status).toBe(200);
      expect(desktop.headers.get('access-control-allow-origin')).toBe('bedside://app');

      const preflight = await fetch(`${base}/api/meetings`, {
        method: 'OPTIONS',
        headers: {
          origin: 'bedside://app',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      // The doctor's app revokes a guest's link with DELETE, from its own origin.
      const revoke = await fetch(`${base}/api/meetings/room-x/guests/g-1`, {
        method: 'OPTIONS',
        headers: {
          origin: 'bedside://app',
          'access-control-request-method': 'DELETE',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(revoke.status).toBe(204);
      expect(revoke.headers.get('access-control-allow-methods')).toMatch(/\bDELETE\b/);

      // Same origin (the service's own address) works without PUBLIC_URL.
      const self = await api(base, 'GET', '/api/version', { headers: { origin: base } });
      expect(self.status).toBe(200);
    });

    it('sets a CSP fit for the patient page and other security headers', async () => {
      const r = await fetch(`${base}/healthz`);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      // Own scripts, plus WebAssembly compilation for background blur; never eval or inline.
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
      expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("media-src 'self' blob:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-powered-by')).toBeNull();
    });
  });

  describe('ops', () => {
    it('serves healthz, readyz, version and metrics with the named series', async () => {
      expect((await api(base, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
      expect((await api(base, 'GET', '/readyz')).body).toEqual({ status: 'ok' });
      expect((await api(base, 'GET', '/api/version')).body).toEqual({
        serverVersion: '0.1.0',
        minDesktopVersion: '0.1.0',
      });
      const text = (await api(base, 'GET', '/metrics')).body as string;
      for (const name of [
        'bedside_socket_connection_attempts_total',
        'bedside_socket_connection_successes_total',
        'bedside_call_duration_seconds',
        'bedside_ice_failures_total',
        'bedside_socket_disconnections_total',
        'bedside_http_request_duration_seconds',
        'bedside_store_query_duration_seconds',
      ]) {
        expect(text).toContain(`# TYPE ${name}`);
      }
      expect(text).toMatch(
        /bedside_http_request_duration_seconds_count\{method="POST",route="\/api\/auth\/login",status="200"\} \d+/,
      );
      expect(text).toMatch(
        /bedside_store_query_duration_seconds_count\{operation="getUserByEmail",outcome="ok"\} \d+/,
      );
    });

    it('readyz answers 503 when the store is unreachable', async () => {
      const s = await startTestService();
      try {
        expect((await api(s.url, 'GET', '/readyz')).status).toBe(200);
        await s.store.close();
        const r = await api(s.url, 'GET', '/readyz');
        expect(r.status).toBe(503);
        expect(r.body).toEqual({ status: 'store-unreachable' });
        expect((await api(s.url, 'GET', '/healthz')).status).toBe(200);
      } finally {
        await s.close().catch(() => undefined);
      }
    });

    it('stops accepting connections once closed', async () => {
      const s = await startTestService();
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      await s.close();
      await expect(fetch(`${s.url}/readyz`)).rejects.toBeTruthy();
    });
  });

  describe('patient page', () => {
    it('serves /join/:roomId as index.html (no-store) and /assets with a long cache', async () => {
      const dir = tempDir();
      const web = path.join(dir.dir, 'web');
      mkdirSync(path.join(web, 'assets'), { recursive: true });
      writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Bedside</title>');
      writeFileSync(path.join(web, 'assets', 'app-abc123.js'), 'console.log(1)');
      const s = await startTestService({ patientWebDir: web });
      try {
        const page = await fetch(`${s.url}/join/room-appt-1`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<title>Bedside</title>');
        expect(page.headers.get('cache-control')).toBe('no-store');
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        const asset = await fetch(`${s.url}/assets/app-abc123.js`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
        expect((await fetch(`${s.url}/assets/missing.js`)).status).toBe(404);
        const traversal = await fetch(`${s.url}/assets/..%2findex.html`);
        expect(traversal.status).toBe(400);
        expect(await traversal.text()).not.toContain('Bedside');
        expect((await fetch(`${s.url}/join/not a room`)).status).toBe(404);
      } finally {
        await s.close();
        dir.remove();
      }
    });

    it('answers 503 with a clear message when the page is not built', async () => {
      const r = await api(base, 'GET', '/join/room-appt-1');
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({
        error: { code: 'unavailable', message: expect.stringContaining('not built') },
      });
    });
  });
});
