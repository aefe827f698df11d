// The meeting lifecycle driven by real clients: abandoned calls are completed after the grace
// period (and only when everyone is gone); a graceful shutdown records everyone's leave.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '@bedside/shared';
import {
  closeAllSockets,
  connect,
  createMeeting,
  emitAck,
  joinAsDoctor,
  login,
  next,
  sleep,
  startTestService,
  tempDir,
  type ClientSocket,
} from '../testing/harness.js';

type Service = Awaited<ReturnType<typeof startTestService>>;

async function inCall(service: Service, appointmentId: string) {
  const doctor = await login(service.url, 'doctor@demo.test');
  const m = await createMeeting(service.url, doctor.token, appointmentId);
  const doc = await connect(service.url, { token: doctor.token });
  await joinAsDoctor(doc, doctor, m.roomId);
  const pat = await connect(service.url, { token: m.patientToken });
  await emitAck(pat, 'join-room', {
    roomId: m.roomId,
    userId: m.meeting.patientId,
    userType: 'patient',
    userName: 'P',
  });
  const admitted = next(pat, 'admitted');
  await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: pat.id });
  await admitted;
  return { roomId: m.roomId, doc, pat };
}

async function until(
  read: () => Promise<Meeting | null>,
  pred: (m: Meeting) => boolean,
  ms = 10_000,
) {
  const end = Date.now() + ms;
  for (;;) {
    const m = await read();
    if (m && pred(m)) return m;
    if (Date.now() > end) return m;
    await sleep(100);
  }
}

describe('abandoned calls', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService({ abandonGraceSeconds: 1 });
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await service?.close();
  });

  it('completes an active meeting everyone left, ending when the last one left', async () => {
    const { roomId, doc, pat } = await inCall(service, 'abandon-1');
    expect((await service.store.getMeeting(roomId))?.status).toBe('active');
    await sleep(1100);
    doc.disconnect();
    pat.disconnect();
    const m = await until(
      () => service.store.getMeeting(roomId),
      (x) => x.status === 'completed',
    );
    expect(m?.status).toBe('completed');
    const lastLeft = m!.participants
      .map((p) => p.leftAt!)
      .sort()
      .at(-1)!;
    expect(m!.endTime).toBe(lastLeft);
    expect(m!.duration).toBeGreaterThanOrEqual(1);
    const audit = await service.store.listAudit({ roomId });
    expect(audit.map((a) => a.action)).toContain('meeting.complete-abandoned');
  });

  it('leaves a meeting alone while someone is still in it', async () => {
    const { roomId, doc } = await inCall(service, 'abandon-2');
    doc.disconnect();
    await sleep(3000);
    expect((await service.store.getMeeting(roomId))?.status).toBe('active');
  });
});

describe('graceful shutdown', () => {
  it('records every participant’s leave and lets clients reconnect by themselves', async () => {
    const data = tempDir();
    let service = await startTestService({ dataDir: data.dir });
    const { roomId, doc, pat }: { roomId: string; doc: ClientSocket; pat: ClientSocket } =
      await inCall(service, 'shutdown-1');
    const reasons = [doc, pat].map((s) => new Promise<string>((r) => s.once('disconnect', r)));
    await service.close();
    // Not a server-side disconnect: Socket.io clients reconnect on their own after this.
    for (const reason of await Promise.all(reasons)) expect(reason).toBe('transport close');
    service = await startTestService({ dataDir: data.dir });
    try {
      const m = await service.store.getMeeting(roomId);
      expect(m?.status).toBe('active');
      expect(m?.participants).toHaveLength(2);
      for (const p of m!.participants) expect(p.leftAt).not.toBeNull();
    } finally {
      closeAllSockets();
      await service.close();
      data.remove();
    }
  });
});
