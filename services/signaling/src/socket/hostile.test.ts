// Hostile and broken input at the socket layer: each gets a clear error or is dropped, nothing
// reaches another room, no stored record changes, and the service keeps serving other clients.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomUser } from '@bedside/shared';
import { createTokenService } from '../auth/tokens.js';
import {
  SAMPLE_CANDIDATE,
  SAMPLE_OFFER,
  addDoctor,
  api,
  closeAllSockets,
  connect,
  createMeeting,
  emitAck,
  joinAsDoctor,
  login,
  next,
  rawEmit,
  record,
  sleep,
  snapshot,
  startTestService,
  type ClientSocket,
} from '../testing/harness.js';

type Service = Awaited<ReturnType<typeof startTestService>>;

interface Pair {
  roomId: string;
  doctorId: string;
  patientId: string;
  doctorToken: string;
  patientToken: string;
  doc: ClientSocket;
  pat: ClientSocket;
}

describe('hostile sockets', () => {
  let service: Service;
  let a: Pair;
  let b: Pair;

  /** A doctor and an admitted patient in their own room. */
  const pair = async (email: string, appointmentId: string): Promise<Pair> => {
    const base = service.url;
    const doctor = await login(base, email);
    const m = await createMeeting(base, doctor.token, appointmentId);
    const doc = await connect(base, { token: doctor.token });
    const joined = await joinAsDoctor(doc, doctor, m.roomId);
    expect(joined.ok).toBe(true);
    const pat = await connect(base, { token: m.patientToken });
    await emitAck(pat, 'join-room', {
      roomId: m.roomId,
      userId: m.meeting.patientId,
      userType: 'patient',
      userName: 'Patient',
    });
    const admitted = next(pat, 'admitted');
    expect(await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: pat.id })).toEqual({
      ok: true,
      data: null,
    });
    await admitted;
    return {
      roomId: m.roomId,
      doctorId: doctor.user.id,
      patientId: m.meeting.patientId,
      doctorToken: doctor.token,
      patientToken: m.patientToken,
      doc,
      pat,
    };
  };

  /** Room A still works end to end: the service keeps serving. */
  const stillServing = async () => {
    const got = next(a.pat, 'offer');
    expect(
      await emitAck(a.doc, 'offer', {
        roomId: a.roomId,
        offer: SAMPLE_OFFER,
        targetSocketId: a.pat.id,
      }),
    ).toEqual({ ok: true, data: null });
    expect(await got).toEqual({ offer: SAMPLE_OFFER, socketId: a.doc.id });
    expect((await api(service.url, 'GET', '/healthz')).status).toBe(200);
  };

  const unchanged = async (fn: () => Promise<void>) => {
    const before = await snapshot(service.store);
    await fn();
    await sleep(50);
    expect(await snapshot(service.store)).toEqual(before);
  };

  beforeAll(async () => {
    service = await startTestService();
    await addDoctor(service.store, 'other@demo.test', 'Dr. Other');
    a = await pair('doctor@demo.test', 'hostile-a');
    b = await pair('other@demo.test', 'hostile-b');
  });
  afterAll(async () => {
    closeAllSockets();
    await service?.close();
  });

  describe('handshake', () => {
    it('refuses a connection without a token', async () => {
      await expect(connect(service.url, null)).rejects.toMatchObject({
        data: { code: 'unauthorized', message: expect.stringContaining('token') },
      });
      await expect(connect(service.url, { token: '' })).rejects.toMatchObject({
        data: { code: 'unauthorized' },
      });
      await expect(connect(service.url, { token: { $ne: null } })).rejects.toMatchObject({
        data: { code: 'unauthorized' },
      });
    });

    it('refuses an expired token', async () => {
      const secret = readFileSync(path.join(service.dataDir, 'jwt-secret'), 'utf8').trim();
      const past = createTokenService(secret, () => Date.now() - 3 * 60 * 60 * 1000);
      const { token } = await past.signAccess({
        id: a.doctorId,
        role: 'doctor',
        displayName: 'Dr. Demo',
        tokenVersion: 0,
      });
      await expect(connect(service.url, { token })).rejects.toMatchObject({
        data: { code: 'unauthorized', message: 'Token has expired' },
      });
      const r = await api(service.url, 'GET', '/api/meetings', { token });
      expect(r.status).toBe(401);
    });

    it('refuses a tampered token and one signed with another secret', async () => {
      const [h, p, s] = b.doctorToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'manager' })).toString('base64url')}.${s}`;
      await expect(connect(service.url, { token: forged })).rejects.toMatchObject({
        data: { code: 'unauthorized', message: 'Token is not valid' },
      });
      const alien = createTokenService('x'.repeat(40));
      const { token } = await alien.signAccess({
        id: a.doctorId,
        role: 'doctor',
        displayName: 'Dr. Demo',
        tokenVersion: 0,
      });
      await expect(connect(service.url, { token })).rejects.toMatchObject({
        data: { code: 'unauthorized' },
      });
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
      await expect(connect(service.url, { token: none })).rejects.toMatchObject({
        data: { code: 'unauthorized' },
      });
    });

    it('refuses an Origin that is not on the allowlist, on every transport', async () => {
      for (const transports of [['websocket'], ['polling']]) {
        await expect(
          connect(
            service.url,
            { token: a.doctorToken },
            { transports, extraHeaders: { origin: 'https://evil.example' } },
          ),
        ).rejects.toBeTruthy();
      }
      const ok = await connect(
        service.url,
        { token: a.doctorToken },
        { extraHeaders: { origin: 'bedside://app' } },
      );
      expect(ok.connected).toBe(true);
      ok.close();
    });

    it('refuses an outdated desktop app with client-outdated', async () => {
      const s = await startTestService({ minDesktopVersion: '2.0.0' });
      try {
        const doctor = await login(s.url, 'doctor@demo.test');
        await expect(
          connect(s.url, { token: doctor.token, client: 'desktop', clientVersion: '1.9.9' }),
        ).rejects.toMatchObject({ data: { code: 'client-outdated' } });
        await expect(
          connect(s.url, { token: doctor.token, client: 'desktop' }),
        ).rejects.toMatchObject({
          data: { code: 'client-outdated' },
        });
        const current = await connect(s.url, {
          token: doctor.token,
          client: 'desktop',
          clientVersion: '2.0.0',
        });
        expect(current.connected).toBe(true);
        current.close();
      } finally {
        await s.close();
      }
    });
  });

  describe('identity and rooms', () => {
    it('refuses a patient claiming to be a doctor, or someone else', async () => {
      await unchanged(async () => {
        const pat = await connect(service.url, { token: a.patientToken });
        const base = { roomId: a.roomId, userName: 'Patient' };
        expect(
          await emitAck(pat, 'join-room', { ...base, userId: a.patientId, userType: 'doctor' }),
        ).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        });
        expect(
          await emitAck(pat, 'join-room', { ...base, userId: a.doctorId, userType: 'doctor' }),
        ).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        });
        expect(
          await emitAck(pat, 'join-room', { ...base, userId: 'someone-else', userType: 'patient' }),
        ).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        });
        // And cannot act as one: admit and end-call need the doctor.
        expect(
          await emitAck(pat, 'admit-patient', { roomId: a.roomId, socketId: pat.id }),
        ).toMatchObject({
          ok: false,
        });
        expect(await emitAck(pat, 'end-call', { roomId: a.roomId })).toMatchObject({ ok: false });
        pat.close();
      });
      expect((await service.store.getMeeting(a.roomId))?.status).toBe('active');
    });

    it("refuses a doctor admitting their own socket, and keeps answering the doctor's events", async () => {
      // The admit runs in the target socket's event queue: for the doctor's own socket that is
      // the queue the handler runs in, which once made it wait for itself (found by the fuzzer).
      await unchanged(async () => {
        expect(
          await emitAck(a.doc, 'admit-patient', { roomId: a.roomId, socketId: a.doc.id }),
        ).toMatchObject({ ok: false, error: { code: 'not-found' } });
        expect(
          await emitAck(a.doc, 'media-state', { roomId: a.roomId, audio: true, video: true }),
        ).toEqual({ ok: true, data: null });
      });
    });

    it('refuses a patient token for room A in room B', async () => {
      await unchanged(async () => {
        const spy = record(b.doc);
        const pat = await connect(service.url, { token: a.patientToken });
        const r = await emitAck(pat, 'join-room', {
          roomId: b.roomId,
          userId: a.patientId,
          userType: 'patient',
          userName: 'Patient',
        });
        expect(r).toMatchObject({
          ok: false,
          error: { code: 'forbidden', message: expect.stringContaining('another visit') },
        });
        await sleep(100);
        expect(spy.events.filter((e) => e.event === 'waiting-room')).toEqual([]);
        pat.close();
      });
    });

    it('refuses a doctor who is not the meeting’s doctor', async () => {
      await unchanged(async () => {
        const intruder = await connect(service.url, { token: b.doctorToken });
        const other = await login(service.url, 'other@demo.test');
        const r = await emitAck(intruder, 'join-room', {
          roomId: a.roomId,
          userId: other.user.id,
          userType: 'doctor',
          userName: other.user.displayName,
        });
        expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
        // Doctor B (in room B) cannot admit, end or message room A either.
        expect(
          await emitAck(b.doc, 'admit-patient', { roomId: a.roomId, socketId: a.pat.id }),
        ).toMatchObject({
          ok: false,
          error: { code: 'not-in-room' },
        });
        expect(await emitAck(b.doc, 'end-call', { roomId: a.roomId })).toMatchObject({
          ok: false,
          error: { code: 'not-in-room' },
        });
        intruder.close();
      });
    });

    it('refuses a manager joining a call', async () => {
      const manager = await login(service.url, 'manager@demo.test');
      const s = await connect(service.url, { token: manager.token });
      expect(
        await emitAck(s, 'join-room', {
          roomId: a.roomId,
          userId: manager.user.id,
          userType: 'doctor',
          userName: manager.user.displayName,
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      s.close();
    });

    it('delivers nothing to a socket in another room', async () => {
      await unchanged(async () => {
        const spyB = record(b.pat);
        const spyBDoc = record(b.doc);
        const tries: [string, unknown][] = [
          ['offer', { roomId: a.roomId, offer: SAMPLE_OFFER, targetSocketId: b.pat.id }],
          [
            'answer',
            { roomId: a.roomId, answer: { type: 'answer', sdp: 'x' }, targetSocketId: b.pat.id },
          ],
          [
            'ice-candidate',
            { roomId: a.roomId, candidate: SAMPLE_CANDIDATE, targetSocketId: b.doc.id },
          ],
          // Naming the other room does not help: the sender is not in it.
          ['offer', { roomId: b.roomId, offer: SAMPLE_OFFER, targetSocketId: b.pat.id }],
          [
            'chat-message',
            { roomId: b.roomId, message: 'hi', userName: 'Dr. Demo', userType: 'doctor' },
          ],
          ['media-state', { roomId: b.roomId, audio: true, video: true }],
          ['screen-share-toggle', { roomId: b.roomId, isSharing: true, userName: 'Dr. Demo' }],
          ['admit-patient', { roomId: b.roomId, socketId: b.pat.id }],
        ];
        for (const [event, payload] of tries) {
          const r = await emitAck(a.doc, event, payload);
          expect(r, event).toMatchObject({ ok: false, error: { code: 'not-in-room' } });
        }
        // A socket id that is nobody's.
        expect(
          await emitAck(a.doc, 'offer', {
            roomId: a.roomId,
            offer: SAMPLE_OFFER,
            targetSocketId: 'nobody',
          }),
        ).toMatchObject({ ok: false, error: { code: 'not-in-room' } });
        await sleep(200);
        expect(spyB.events).toEqual([]);
        expect(spyBDoc.events).toEqual([]);
      });
      await stillServing();
    });

    it('refuses chat and screen share under someone else’s name', async () => {
      await unchanged(async () => {
        const spy = record(a.doc);
        expect(
          await emitAck(a.pat, 'chat-message', {
            roomId: a.roomId,
            message: 'I am the doctor',
            userName: 'Dr. Demo',
            userType: 'doctor',
          }),
        ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(
          await emitAck(a.pat, 'screen-share-toggle', {
            roomId: a.roomId,
            isSharing: true,
            userName: 'Dr. Demo',
          }),
        ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(
          await emitAck(a.pat, 'leave-call', { roomId: a.roomId, userId: a.doctorId }),
        ).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        });
        await sleep(100);
        expect(spy.events).toEqual([]);
      });
    });

    it('admits only a patient waiting in that very room', async () => {
      const c = await (async () => {
        const other = await login(service.url, 'other@demo.test');
        const m = await createMeeting(service.url, other.token, 'hostile-c');
        const pat = await connect(service.url, { token: m.patientToken });
        await emitAck(pat, 'join-room', {
          roomId: m.roomId,
          userId: m.meeting.patientId,
          userType: 'patient',
          userName: 'Waiting',
        });
        return { pat, roomId: m.roomId };
      })();
      await unchanged(async () => {
        const spy = record(c.pat);
        expect(
          await emitAck(a.doc, 'admit-patient', { roomId: a.roomId, socketId: c.pat.id }),
        ).toMatchObject({
          ok: false,
          error: { code: 'not-found' },
        });
        await sleep(100);
        expect(spy.events).toEqual([]);
      });
      c.pat.close();
    });
  });

  describe('broken input', () => {
    it('answers malformed payloads with bad-request and keeps the connection', async () => {
      await unchanged(async () => {
        const bad: [string, unknown][] = [
          ['join-room', null],
          ['join-room', 'room-hostile-a'],
          [
            'join-room',
            { roomId: '../../etc/passwd', userId: 'x', userType: 'doctor', userName: 'x' },
          ],
          [
            'join-room',
            { roomId: a.roomId, userId: { $gt: '' }, userType: 'doctor', userName: 'x' },
          ],
          ['join-room', { roomId: a.roomId, userId: a.doctorId, userType: 'admin', userName: 'x' }],
          [
            'join-room',
            { roomId: a.roomId, userId: a.doctorId, userType: 'doctor', userName: 'a\u0000b' },
          ],
          [
            'offer',
            {
              roomId: a.roomId,
              offer: { type: 'offer', sdp: 'x'.repeat(40_000) },
              targetSocketId: a.pat.id,
            },
          ],
          ['offer', { roomId: a.roomId, offer: 'v=0', targetSocketId: a.pat.id }],
          ['ice-candidate', { roomId: a.roomId, candidate: 42, targetSocketId: a.pat.id }],
          [
            'chat-message',
            {
              roomId: a.roomId,
              message: 'x'.repeat(2001),
              userName: 'Dr. Demo',
              userType: 'doctor',
            },
          ],
          [
            'chat-message',
            { roomId: a.roomId, message: '   ', userName: 'Dr. Demo', userType: 'doctor' },
          ],
          ['media-state', { roomId: a.roomId, audio: 'yes', video: true }],
          [
            'call-quality',
            { roomId: a.roomId, rttMs: -1, packetLoss: 2, bitrateKbps: null, iceState: 'weird' },
          ],
          ['end-call', {}],
        ];
        const spy = record(a.pat);
        for (const [event, payload] of bad) {
          const r = await emitAck(a.doc, event, payload);
          expect(r, `${event} ${JSON.stringify(payload).slice(0, 80)}`).toMatchObject({
            ok: false,
            error: { code: 'bad-request', message: expect.stringContaining(`Invalid ${event}`) },
          });
        }
        // Without an ack the refusal comes as `signal-error`.
        const err = next<{ event: string; error: { code: string } }>(a.doc, 'signal-error');
        rawEmit(a.doc, 'offer', { roomId: 5 });
        expect(await err).toMatchObject({ event: 'offer', error: { code: 'bad-request' } });
        await sleep(100);
        expect(spy.events).toEqual([]);
        expect(a.doc.connected).toBe(true);
      });
      await stillServing();
    });

    it('ignores unknown events safely', async () => {
      for (const event of [
        'drop-database',
        'constructor',
        '__proto__',
        'hasOwnProperty',
        'toString',
      ]) {
        expect(await emitAck(a.doc, event, { roomId: a.roomId })).toMatchObject({
          ok: false,
          error: { code: 'bad-request', message: 'Unknown event' },
        });
      }
      rawEmit(a.doc, 'valueOf');
      await stillServing();
    });

    it('drops an oversized frame (beyond maxHttpBufferSize) and keeps serving others', async () => {
      await unchanged(async () => {
        const big = await connect(service.url, { token: b.doctorToken });
        const gone = new Promise<string>((resolve) => big.once('disconnect', resolve));
        rawEmit(big, 'chat-message', { roomId: b.roomId, message: 'x'.repeat(100_000) });
        expect(await gone).toMatch(/transport (close|error)/);
      });
      await stillServing();
    });

    it('rate-limits a member who sends too fast, without disconnecting a burst', async () => {
      const results = await Promise.all(
        Array.from({ length: 160 }, () =>
          emitAck(b.doc, 'media-state', { roomId: b.roomId, audio: true, video: true }),
        ),
      );
      const limited = results.filter((r) => !r.ok && r.error.code === 'rate-limited');
      expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(100);
      expect(limited.length).toBeGreaterThan(0);
      expect(b.doc.connected).toBe(true);
      await sleep(2100); // let the bucket refill for the tests after this one
    });

    it('disconnects a flood and the other clients never notice', async () => {
      await unchanged(async () => {
        const flooder = await connect(service.url, { token: b.doctorToken });
        const limited = next<{ error: { code: string } }>(
          flooder,
          'signal-error',
          (e) => e.error.code === 'rate-limited',
        );
        const gone = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
        for (let i = 0; i < 2000 && flooder.connected; i++) {
          rawEmit(flooder, 'ice-candidate', {
            roomId: b.roomId,
            candidate: null,
            targetSocketId: 'x',
          });
        }
        await limited;
        expect(await gone).toBe('io server disconnect');
        await stillServing();
      });
      const metrics = (await api(service.url, 'GET', '/metrics')).body as string;
      expect(metrics).toMatch(/bedside_socket_rate_limited_total \d+/);
    });
  });

  it('cancelling a meeting ends the call for everyone in it and voids the patient link', async () => {
    const other = await login(service.url, 'other@demo.test');
    const ended = [
      next<{ reason: string }>(b.doc, 'call-ended'),
      next<{ reason: string }>(b.pat, 'call-ended'),
    ];
    // Only the meeting's doctor may cancel.
    expect(
      (await api(service.url, 'POST', `/api/meetings/${b.roomId}/cancel`, { token: a.doctorToken }))
        .status,
    ).toBe(404);
    const r = await api(service.url, 'POST', `/api/meetings/${b.roomId}/cancel`, {
      token: other.token,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'cancelled' });
    for (const e of await Promise.all(ended))
      expect(e).toMatchObject({ roomId: b.roomId, reason: 'cancelled' });
    expect(
      await emitAck(b.doc, 'media-state', { roomId: b.roomId, audio: true, video: true }),
    ).toMatchObject({ ok: false, error: { code: 'not-in-room' } });
    await expect(connect(service.url, { token: b.patientToken })).rejects.toMatchObject({
      data: { code: 'room-closed', message: 'This visit was cancelled' },
    });
    const ice = await api(service.url, 'GET', '/api/ice-servers', { token: b.patientToken });
    expect(ice.status).toBe(410);
    const users = await emitAck<RoomUser[]>(b.doc, 'join-room', {
      roomId: b.roomId,
      userId: other.user.id,
      userType: 'doctor',
      userName: other.user.displayName,
    });
    expect(users).toMatchObject({ ok: false, error: { code: 'room-closed' } });
    await stillServing();
  });
});
