// Two service instances behind one Redis (real redis-server) act as one: a doctor on instance A
// admits a patient on instance B, and signaling flows across.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomUser, WaitingPatient } from '@bedside/shared';
import {
  SAMPLE_ANSWER,
  SAMPLE_CANDIDATE,
  SAMPLE_OFFER,
  closeAllSockets,
  connect,
  createMeeting,
  emitAck,
  login,
  next,
  record,
  sleep,
  startTestService,
  tempDir,
} from '../testing/harness.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis)
  console.warn(
    'skipping the Redis adapter test: install redis-server (apt-get install redis-server)',
  );

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe.skipIf(!hasRedis)('two instances over the Redis adapter', () => {
  const data = tempDir();
  let redis: ChildProcess;
  let a: Awaited<ReturnType<typeof startTestService>>;
  let b: Awaited<ReturnType<typeof startTestService>>;

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const redisUrl = `redis://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        a = await startTestService({ dataDir: data.dir, redisUrl });
        break;
      } catch (err) {
        if (i > 50) throw err;
        await sleep(100);
      }
    }
    b = await startTestService({ dataDir: data.dir, redisUrl });
  });
  afterAll(async () => {
    closeAllSockets();
    await a?.close();
    await b?.close();
    redis?.kill('SIGTERM');
    data.remove();
  });

  it('admits and relays across instances; end-call reaches the other instance', async () => {
    const doctor = await login(a.url, 'doctor@demo.test');
    const m = await createMeeting(a.url, doctor.token, 'redis-1');
    const roomId = m.roomId;

    const doc = await connect(a.url, { token: doctor.token });
    await emitAck(doc, 'join-room', {
      roomId,
      userId: doctor.user.id,
      userType: 'doctor',
      userName: 'Dr. Demo',
    });

    const pat = await connect(b.url, { token: m.patientToken });
    const waiting = next<WaitingPatient[]>(doc, 'waiting-room', (l) => l.length === 1);
    expect(
      await emitAck(pat, 'join-room', {
        roomId,
        userId: m.meeting.patientId,
        userType: 'patient',
        userName: 'Pat',
      }),
    ).toMatchObject({ ok: true, data: { status: 'waiting' } });
    expect((await waiting)[0]).toMatchObject({ socketId: pat.id, userName: 'Pat' });

    // A bystander in another room on instance B hears nothing of this.
    const other = await createMeeting(a.url, doctor.token, 'redis-2');
    const bystander = await connect(b.url, { token: other.patientToken });
    await emitAck(bystander, 'join-room', {
      roomId: other.roomId,
      userId: other.meeting.patientId,
      userType: 'patient',
      userName: 'B',
    });
    const spy = record(bystander);
    expect(await emitAck(doc, 'admit-patient', { roomId, socketId: bystander.id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    const admitted = next(pat, 'admitted');
    const users = next<RoomUser[]>(pat, 'room-users');
    const joined = next<RoomUser>(doc, 'user-joined');
    expect(await emitAck(doc, 'admit-patient', { roomId, socketId: pat.id })).toEqual({
      ok: true,
      data: null,
    });
    await admitted;
    expect((await users).map((u) => u.socketId)).toEqual([doc.id]);
    expect((await joined).socketId).toBe(pat.id);

    const offer = next(pat, 'offer');
    expect(
      await emitAck(doc, 'offer', { roomId, offer: SAMPLE_OFFER, targetSocketId: pat.id }),
    ).toEqual({
      ok: true,
      data: null,
    });
    expect(await offer).toEqual({ offer: SAMPLE_OFFER, socketId: doc.id });
    const answer = next(doc, 'answer');
    await emitAck(pat, 'answer', { roomId, answer: SAMPLE_ANSWER, targetSocketId: doc.id! });
    expect(await answer).toEqual({ answer: SAMPLE_ANSWER, socketId: pat.id });
    const ice = next(doc, 'ice-candidate');
    pat.emit('ice-candidate', { roomId, candidate: SAMPLE_CANDIDATE, targetSocketId: doc.id! });
    expect(await ice).toEqual({ candidate: SAMPLE_CANDIDATE, socketId: pat.id });
    // Relay to a socket of another room on the other instance is refused.
    expect(
      await emitAck(doc, 'offer', { roomId, offer: SAMPLE_OFFER, targetSocketId: bystander.id }),
    ).toMatchObject({ ok: false, error: { code: 'not-in-room' } });

    const chat = next<{ message: string }>(doc, 'chat-message');
    await emitAck(pat, 'chat-message', {
      roomId,
      message: 'across',
      userName: 'Pat',
      userType: 'patient',
    });
    expect((await chat).message).toBe('across');

    expect((await b.store.getMeeting(roomId))?.status).toBe('active');
    const ended = next<{ reason: string }>(pat, 'call-ended');
    expect(await emitAck(doc, 'end-call', { roomId })).toEqual({ ok: true, data: null });
    expect(await ended).toMatchObject({ roomId, reason: 'ended-by-doctor' });
    expect(await emitAck(pat, 'media-state', { roomId, audio: true, video: true })).toMatchObject({
      ok: false,
      error: { code: 'room-closed' },
    });
    expect((await a.store.getMeeting(roomId))?.status).toBe('completed');
    await sleep(100);
    expect(spy.events).toEqual([]);
  });
});
