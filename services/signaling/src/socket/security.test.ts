// Node: the security findings of issue 13 that sockets show (patient link takeover, sockets
// outliving their token, connection caps, metrics inflation), with real socket.io clients.
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WaitingPatient } from '@bedside/shared';
import {
  api,
  closeAllSockets,
  connect,
  createMeeting,
  emitAck,
  login,
  next,
  sleep,
  startTestService,
  type ClientSocket,
} from '../testing/harness.js';

type Service = Awaited<ReturnType<typeof startTestService>>;
const JWT_SECRET = 'socket-security-test-secret-'.padEnd(48, 'x');

afterEach(() => closeAllSockets());

/** A doctor in the room and a patient link for it. */
async function visit(service: Service, appointmentId: string) {
  const doctor = await login(service.url, 'doctor@demo.test');
  const m = await createMeeting(service.url, doctor.token, appointmentId);
  const doc = await connect(service.url, { token: doctor.token });
  await emitAck(doc, 'join-room', {
    roomId: m.roomId,
    userId: doctor.user.id,
    userType: 'doctor',
    userName: doctor.user.displayName,
  });
  const patientJoin = (deviceId: string) => ({
    roomId: m.roomId,
    userId: m.meeting.patientId,
    userType: 'patient',
    userName: 'Pat',
    deviceId,
  });
  return { doctor, m, doc, patientJoin };
}

const admit = async (doc: ClientSocket, roomId: string, pat: ClientSocket) => {
  const admitted = next(pat, 'admitted');
  expect(await emitAck(doc, 'admit-patient', { roomId, socketId: pat.id })).toMatchObject({
    ok: true,
  });
  await admitted;
};

describe('patient links and sockets', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService({ jwtSecret: JWT_SECRET });
  });
  afterAll(async () => service.close());

  it('a new holder of an admitted patient’s link waits; the same tab goes straight back (finding 2)', async () => {
    const { m, doc, patientJoin } = await visit(service, 'sec-takeover');
    const real = await connect(service.url, { token: m.patientToken });
    expect(await emitAck(real, 'join-room', patientJoin('tab-real-0123456789'))).toMatchObject({
      ok: true,
      data: { status: 'waiting' },
    });
    await admit(doc, m.roomId, real);

    // Someone else with the same link (another device): the waiting room, and the doctor sees it.
    const other = await connect(service.url, { token: m.patientToken });
    const seen = next<WaitingPatient[]>(doc, 'waiting-room', (list) =>
      list.some((w) => w.socketId === other.id),
    );
    expect(await emitAck(other, 'join-room', patientJoin('tab-other-0123456789'))).toMatchObject({
      ok: true,
      data: { status: 'waiting' },
    });
    await seen;
    // The real patient is still in the call.
    expect(real.connected).toBe(true);
    expect(
      await emitAck(real, 'media-state', { roomId: m.roomId, audio: true, video: true }),
    ).toMatchObject({ ok: true });

    // A reload of the real patient's tab goes straight back in and replaces its old socket.
    const replaced = next(real, 'disconnect');
    const reload = await connect(service.url, { token: m.patientToken });
    expect(await emitAck(reload, 'join-room', patientJoin('tab-real-0123456789'))).toMatchObject({
      ok: true,
      data: { status: 'joined' },
    });
    await replaced;
    expect(other.connected).toBe(true);
  });

  it('a socket ends when its token expires, told why (finding 4; revocation: http/security.test.ts)', async () => {
    const doctor = await login(service.url, 'doctor@demo.test');
    const m = await createMeeting(service.url, doctor.token, 'sec-expiry');
    // The doctor's own token, re-signed to expire in 2 s.
    const claims = JSON.parse(
      Buffer.from(doctor.token.split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    const nowS = Math.floor(Date.now() / 1000);
    const short = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 2)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const s = await connect(service.url, { token: short });
    const told = next<{ event: string; error: { code: string } }>(
      s,
      'signal-error',
      () => true,
      10_000,
    );
    const ended = next(s, 'disconnect', () => true, 10_000);
    expect(await told).toMatchObject({ event: 'session', error: { code: 'unauthorized' } });
    await ended;
    expect(s.connected).toBe(false);
    // Nothing of it reached the room.
    const stored = await service.store.getMeeting(m.roomId);
    expect(stored?.participants).toEqual([]);
  });

  it('a waiting patient cannot inflate bedside_ice_failures_total; a member adds a few at most (finding 8)', async () => {
    const { m, doc, patientJoin } = await visit(service, 'sec-ice');
    const pat = await connect(service.url, { token: m.patientToken });
    await emitAck(pat, 'join-room', patientJoin('tab-ice-0123456789'));
    const failures = async () => {
      const r = await api(service.url, 'GET', '/metrics');
      return Number(/^bedside_ice_failures_total (\d+)$/m.exec(String(r.body))?.[1] ?? 'NaN');
    };
    const before = await failures();
    const report = (iceState: string) =>
      emitAck(pat, 'call-quality', {
        roomId: m.roomId,
        rttMs: 20,
        packetLoss: 0,
        bitrateKbps: 500,
        iceState,
      });
    for (let i = 0; i < 10; i++) await report(i % 2 ? 'connected' : 'failed');
    expect(await failures()).toBe(before);

    await admit(doc, m.roomId, pat);
    for (let i = 0; i < 40; i++) await report(i % 2 ? 'connected' : 'failed');
    const added = (await failures()) - before;
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(5);
  });
});

describe('connection caps (finding 5)', () => {
  it('caps live sockets per patient link (MAX_SOCKETS_PER_PRINCIPAL, 8 by default)', async () => {
    const service = await startTestService();
    try {
      const doctor = await login(service.url, 'doctor@demo.test');
      const m = await createMeeting(service.url, doctor.token, 'sec-cap');
      const held = await Promise.all(
        Array.from({ length: 8 }, () => connect(service.url, { token: m.patientToken })),
      );
      await expect(connect(service.url, { token: m.patientToken })).rejects.toMatchObject({
        data: { code: 'rate-limited' },
      });
      // A slot frees when a socket closes.
      held[0]!.close();
      await sleep(200);
      expect((await connect(service.url, { token: m.patientToken })).connected).toBe(true);
    } finally {
      closeAllSockets();
      await service.close();
    }
  });

  it('caps live connections per address, polling sessions included', async () => {
    const service = await startTestService({ maxSocketsPerAddress: 5 });
    try {
      const doctor = await login(service.url, 'doctor@demo.test');
      for (let i = 0; i < 5; i++) {
        await connect(service.url, { token: doctor.token }, { transports: ['polling'] });
      }
      await expect(
        connect(service.url, { token: doctor.token }, { transports: ['polling'] }),
      ).rejects.toBeInstanceOf(Error);
      await expect(connect(service.url, { token: doctor.token })).rejects.toBeInstanceOf(Error);
      // /healthz still answers.
      expect((await api(service.url, 'GET', '/healthz')).status).toBe(200);
    } finally {
      closeAllSockets();
      await service.close();
    }
  });

  it('throttles an address after a run of failed handshakes, even for a valid token', async () => {
    const service = await startTestService();
    try {
      const doctor = await login(service.url, 'doctor@demo.test');
      // Twenty free failures, answered as such; then the address waits (1 s, 2 s … 30 s).
      for (let i = 0; i < 20; i++) {
        await expect(connect(service.url, { token: `bad-${i}` })).rejects.toMatchObject({
          data: { code: 'unauthorized' },
        });
      }
      await expect(connect(service.url, { token: 'bad-more' })).rejects.toMatchObject({
        type: 'TransportError',
      });
      await expect(connect(service.url, { token: doctor.token })).rejects.toMatchObject({
        type: 'TransportError',
      });
      // REST from the same address is not affected.
      expect((await api(service.url, 'GET', '/healthz')).status).toBe(200);
    } finally {
      closeAllSockets();
      await service.close();
    }
  });
});
