// Instance heartbeats in the running service (in-process, real Socket.io clients): a dead
// instance's entries are closed at its last beat, this instance's own never are, and an
// instance taken for dead while alive reopens entries for the people still connected to it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '@bedside/shared';
import {
  closeAllSockets,
  connect,
  createMeeting,
  emitAck,
  login,
  next,
  sleep,
  startTestService,
  joinAsDoctor,
} from '../testing/harness.js';

type Service = Awaited<ReturnType<typeof startTestService>>;
const FAR = '9999-01-01T00:00:00.000Z';

async function until(
  read: () => Promise<Meeting | null>,
  pred: (m: Meeting) => boolean,
  ms = 15_000,
) {
  const end = Date.now() + ms;
  for (;;) {
    const m = await read();
    if (m && pred(m)) return m;
    if (Date.now() > end) throw new Error(`timed out: ${JSON.stringify(m)}`);
    await sleep(100);
  }
}

describe('instance presence', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService({ heartbeatSeconds: 1, abandonGraceSeconds: 2 });
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await service?.close();
  });

  async function inCall(appointmentId: string) {
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
    await until(
      () => service.store.getMeeting(m.roomId),
      (x) => x.status === 'active',
    );
    return m.roomId;
  }

  it("closes a silent instance's entries at its last beat, and never its own", async () => {
    const roomId = await inCall('presence-ghost');
    // Another instance that held a guest's connection and stopped beating long ago.
    const lastBeat = new Date(Date.now() - 60_000).toISOString();
    await service.store.beatInstance('ghost', lastBeat);
    await service.store.addParticipant(roomId, {
      userId: 'pat-ghost',
      userType: 'patient',
      joinedAt: new Date(Date.now() - 120_000).toISOString(),
      instanceId: 'ghost',
    });
    const m = await until(
      () => service.store.getMeeting(roomId),
      (x) => x.participants[2]!.leftAt !== null,
    );
    expect(m.participants[2]!.leftAt).toBe(lastBeat);
    // This instance's own members are untouched, and the meeting goes on.
    expect(m.participants.slice(0, 2).map((p) => p.leftAt)).toEqual([null, null]);
    const beats = await service.store.staleInstances(FAR);
    expect(beats.map((b) => b.instanceId)).not.toContain('ghost');
    expect(beats).toHaveLength(1);
  });

  it('reopens entries for its members when another instance took it for dead', async () => {
    const roomId = await inCall('presence-revived');
    const [self] = await service.store.staleInstances(FAR);
    // What a peer instance does when this one missed three beats (a pause, a partition).
    await service.store.closeInstanceEntries(self!.instanceId);
    const m = await until(
      () => service.store.getMeeting(roomId),
      (x) => x.participants.length === 4,
    );
    expect(
      m.participants
        .slice(2)
        .map((p) => p.userType)
        .sort(),
    ).toEqual(['doctor', 'patient']);
    expect(m.participants.slice(0, 2).every((p) => p.leftAt !== null)).toBe(true);
    expect(m.participants.slice(2).every((p) => p.leftAt === null)).toBe(true);
    // Past the grace period with people connected: still active.
    await sleep(3000);
    expect((await service.store.getMeeting(roomId))!.status).toBe('active');
  });
});
