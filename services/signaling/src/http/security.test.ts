// Node: the security findings of issue 13 that REST shows, through real HTTP, real socket.io
// clients and the real CLI (its own process, on the service's data directory).
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addDoctor,
  api,
  closeAllSockets,
  connect,
  createMeeting,
  emitAck,
  login,
  next,
  startTestService,
} from '../testing/harness.js';
import { runCli } from '../testing/serviceProcess.js';

type Service = Awaited<ReturnType<typeof startTestService>>;
const JWT_SECRET = 'security-test-secret-'.padEnd(48, 'x');
const NEW_PASSWORD = 'a-new-password-for-tests';

/** The claims of a token (no check: the service is the one that checks). */
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

afterEach(() => closeAllSockets());

describe('sessions can be revoked (finding 1)', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService({ jwtSecret: JWT_SECRET });
  });
  afterAll(async () => service.close());

  it('users reset-password (the real CLI) ends the old token for REST, refresh and sockets', async () => {
    const { token } = await login(service.url, 'doctor@demo.test');
    const m = await createMeeting(service.url, token, 'sec-reset');
    // A socket opened before the reset: its next join is refused and it is ended.
    const early = await connect(service.url, { token });

    const cli = await runCli(['users', 'reset-password', '--email', 'doctor@demo.test'], {
      dataDir: service.dataDir,
      env: { BEDSIDE_PASSWORD: NEW_PASSWORD },
    });
    expect(cli).toMatchObject({ code: 0 });

    expect((await api(service.url, 'GET', '/api/meetings', { token })).status).toBe(401);
    const create = await api(service.url, 'POST', '/api/meetings', {
      token,
      body: { appointmentId: 'sec-after-reset', scheduledTime: new Date().toISOString() },
    });
    expect(create.status).toBe(401);
    expect((await api(service.url, 'POST', '/api/auth/refresh', { token })).status).toBe(401);
    await expect(connect(service.url, { token })).rejects.toMatchObject({
      data: { code: 'unauthorized' },
    });
    // The service tells it why and ends it before it answers.
    const told = next(early, 'signal-error');
    const ended = next(early, 'disconnect');
    const join = emitAck(early, 'join-room', {
      roomId: m.roomId,
      userId: claimsOf(token).sub,
      userType: 'doctor',
      userName: 'Dr. Demo',
    }).catch((err: unknown) => err);
    expect(await told).toMatchObject({ event: 'session', error: { code: 'unauthorized' } });
    await ended;
    expect(await join).not.toMatchObject({ ok: true });

    // The new password works; the old one does not.
    expect((await login(service.url, 'doctor@demo.test', NEW_PASSWORD)).token).toBeTruthy();
    expect(
      (
        await api(service.url, 'POST', '/api/auth/login', {
          body: { email: 'doctor@demo.test', password: 'demo-password-for-tests' },
        })
      ).status,
    ).toBe(401);
  });

  it('POST /api/auth/logout ends every session of the user, sockets included', async () => {
    await addDoctor(service.store, 'logout@demo.test', 'Dr. Logout');
    const a = await login(service.url, 'logout@demo.test');
    const b = await login(service.url, 'logout@demo.test');
    const socket = await connect(service.url, { token: b.token });
    const ended = next(socket, 'disconnect');
    const out = await api(service.url, 'POST', '/api/auth/logout', { token: a.token });
    expect(out.status).toBe(204);
    await ended;
    for (const t of [a.token, b.token]) {
      expect((await api(service.url, 'GET', '/api/meetings', { token: t })).status).toBe(401);
      expect((await api(service.url, 'POST', '/api/auth/refresh', { token: t })).status).toBe(401);
    }
    // Signing in again starts a fresh session.
    const c = await login(service.url, 'logout@demo.test');
    expect((await api(service.url, 'GET', '/api/meetings', { token: c.token })).status).toBe(200);
  });

  it('users disable / enable / sign-out (the real CLI)', async () => {
    await addDoctor(service.store, 'disable@demo.test', 'Dr. Disable');
    const { token } = await login(service.url, 'disable@demo.test');
    const env = { dataDir: service.dataDir };
    expect(await runCli(['users', 'disable', '--email', 'disable@demo.test'], env)).toMatchObject({
      code: 0,
    });
    expect((await api(service.url, 'GET', '/api/meetings', { token })).status).toBe(401);
    const refused = await api(service.url, 'POST', '/api/auth/login', {
      body: { email: 'disable@demo.test', password: 'demo-password-for-tests' },
    });
    expect(refused.status).toBe(403);

    expect(await runCli(['users', 'enable', '--email', 'disable@demo.test'], env)).toMatchObject({
      code: 0,
    });
    const again = await login(service.url, 'disable@demo.test');
    expect((await api(service.url, 'GET', '/api/meetings', { token: again.token })).status).toBe(
      200,
    );

    expect(await runCli(['users', 'sign-out', '--email', 'disable@demo.test'], env)).toMatchObject({
      code: 0,
    });
    expect((await api(service.url, 'GET', '/api/meetings', { token: again.token })).status).toBe(
      401,
    );
    // The password stays: signing in works.
    expect((await login(service.url, 'disable@demo.test')).user.email).toBe('disable@demo.test');
  });

  it('a refresh chain ends SESSION_MAX_AGE_HOURS (12 h) after the original sign-in', async () => {
    const { token } = await login(service.url, 'manager@demo.test');
    const fresh = await api(service.url, 'POST', '/api/auth/refresh', { token });
    expect(fresh.status).toBe(200);
    // The same token as a refresh 13 h into the session would carry: valid signature, an
    // hour left, but signed in 13 h ago.
    const claims = claimsOf(token);
    const nowS = Math.floor(Date.now() / 1000);
    const old = await new SignJWT({ ...claims, authTime: nowS - 13 * 3600 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    expect((await api(service.url, 'POST', '/api/auth/refresh', { token: old })).status).toBe(401);
    expect((await api(service.url, 'GET', '/api/meetings', { token: old })).status).toBe(401);
  });
});

describe('sign-in limits behind a proxy (finding 3)', () => {
  it('backs off an account whatever address the attempts claim', async () => {
    const s = await startTestService({ trustProxy: 1 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await api(s.url, 'POST', '/api/auth/login', {
          body: { email: 'manager@demo.test', password: `wrong-${i}` },
          headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
        });
        statuses.push(r.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Another account is not affected.
      expect((await login(s.url, 'doctor@demo.test')).user.role).toBe('doctor');
    } finally {
      await s.close();
    }
  });

  it('hashes a few passwords at once and turns the rest of a burst away', async () => {
    const s = await startTestService({ trustProxy: 1 });
    try {
      // Distinct accounts and addresses: no backoff applies, only the cap on hashing.
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          api(s.url, 'POST', '/api/auth/login', {
            body: { email: `nobody-${i}@demo.test`, password: 'wrong-password' },
            headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
          }),
        ),
      );
      const busy = burst.filter((r) => r.status === 429);
      expect(busy.length).toBeGreaterThan(0);
      expect(busy[0]!.body).toMatchObject({ error: { code: 'rate-limited' } });
      expect(burst.every((r) => r.status === 401 || r.status === 429)).toBe(true);
      expect((await login(s.url, 'doctor@demo.test')).user.role).toBe('doctor');
    } finally {
      await s.close();
    }
  });
});

describe('low findings over REST (finding 8)', () => {
  let service: Service;
  let doctor: string;
  let manager: string;
  beforeAll(async () => {
    service = await startTestService();
    doctor = (await login(service.url, 'doctor@demo.test')).token;
    manager = (await login(service.url, 'manager@demo.test')).token;
  });
  afterAll(async () => service.close());

  it('answers 400 for a report range the calendar cannot hold', async () => {
    for (const q of ['from=2026-01-01&to=9999-12-31', 'from=0001-01-01&to=2026-01-01']) {
      const r = await api(service.url, 'GET', `/api/reports/call-durations?${q}`, {
        token: manager,
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: { code: 'bad-request' } });
    }
  });

  it('refuses a visit scheduled further ahead than MAX_SCHEDULE_AHEAD_DAYS', async () => {
    const r = await api(service.url, 'POST', '/api/meetings', {
      token: doctor,
      body: { appointmentId: 'sec-2099', scheduledTime: '2099-01-01T09:00:00Z' },
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: 'bad-request' } });
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const ok = await api(service.url, 'POST', '/api/meetings', {
      token: doctor,
      body: { appointmentId: 'sec-soon', scheduledTime: soon },
    });
    expect(ok.status).toBe(201);
  });

  it('escapes every CSV text cell that opens with a formula trigger, ids included', async () => {
    await createMeeting(service.url, doctor, '-1-1', { patientId: '@pat' });
    const r = await fetch(
      `${service.url}/api/reports/call-durations?from=2000-01-01&to=2100-01-01&format=csv`,
      { headers: { authorization: `Bearer ${manager}` } },
    );
    expect(r.status).toBe(200);
    const csv = await r.text();
    const line = csv.split('\n').find((l) => l.includes('-1-1'));
    expect(line).toBeDefined();
    expect(line).toContain(`'-1-1`);
    expect(line).toContain(`'@pat`);
    expect(line).not.toMatch(/(^|,)-1-1(,|$)/);
  });
});

describe('/metrics in production (finding 8)', () => {
  it('is not on the service port; METRICS_PORT serves it on an ops listener', async () => {
    const s = await startTestService({
      nodeEnv: 'production',
      jwtSecret: JWT_SECRET,
      publicUrl: 'https://bedside.example',
      metricsPort: 0,
      metricsHost: '127.0.0.1',
    });
    try {
      expect((await api(s.url, 'GET', '/metrics')).status).toBe(404);
      expect(s.metricsUrl).not.toBeNull();
      const ops = await api(s.metricsUrl!, 'GET', '/metrics');
      expect(ops.status).toBe(200);
      expect(String(ops.body)).toContain('bedside_');
      // The ops listener serves nothing else.
      expect((await api(s.metricsUrl!, 'GET', '/api/meetings')).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
