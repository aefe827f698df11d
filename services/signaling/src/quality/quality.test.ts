// Call-quality reports through the real service and real Socket.io clients: an admitted
// member's reports become a summary in the meeting record when it leaves; a waiting patient's,
// another room's or implausible reports change nothing; /metrics shows the figures.
import { describe, expect, it } from 'vitest';
import type { JoinRoomResult } from '@bedside/shared';
import {
  api,
  connect,
  createMeeting,
  emitAck,
  joinAsDoctor,
  login,
  next,
  sleep,
} from '../testing/harness.js';
import { useTestService } from '../testing/suite.js';

describe('call-quality summaries', () => {
  const suite = useTestService();

  async function visit(appointmentId: string) {
    const base = suite.service.url;
    const doctor = await login(base, 'doctor@demo.test');
    const created = await createMeeting(base, doctor.token, appointmentId);
    const roomId = created.roomId;
    const doc = await connect(base, {
      token: doctor.token,
      client: 'desktop',
      clientVersion: '0.1.0',
    });
    await joinAsDoctor(doc, doctor, roomId);
    const pat = await connect(base, { token: created.patientToken, client: 'patient-web' });
    const waiting = await emitAck<JoinRoomResult>(pat, 'join-room', {
      roomId,
      userId: created.meeting.patientId,
      userType: 'patient',
      userName: 'Pat',
    });
    expect(waiting).toMatchObject({ ok: true, data: { status: 'waiting' } });
    return { base, doctor, created, roomId, doc, pat };
  }

  const report = (roomId: string, over: Record<string, unknown> = {}) => ({
    roomId,
    rttMs: 80,
    packetLoss: 0.01,
    bitrateKbps: 900,
    iceState: 'connected',
    level: 'good',
    ...over,
  });

  it("summarises an admitted member's reports when it leaves, and ignores what must not count", async () => {
    const { base, created, roomId, doc, pat } = await visit('q-flow');
    // Waiting: accepted (older clients report while waiting) but not counted.
    expect(
      await emitAck(pat, 'call-quality', report(roomId, { rttMs: 5000, level: 'lost' })),
    ).toEqual({
      ok: true,
      data: null,
    });
    const admitted = next(pat, 'admitted');
    await emitAck(doc, 'admit-patient', { roomId, socketId: pat.id });
    await admitted;

    // Another visit's room: refused, nothing recorded there.
    const other = await visit('q-other');
    expect(await emitAck(pat, 'call-quality', report(other.roomId))).toMatchObject({
      ok: false,
      error: { code: 'not-in-room' },
    });
    // Implausible figures: refused with a reason.
    const implausible = await emitAck(pat, 'call-quality', report(roomId, { rttMs: 20_000 }));
    expect(implausible).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    await emitAck(pat, 'call-quality', report(roomId, { relay: true, iceRestarts: 0 }));
    // A flood right after: dropped from the summary.
    for (let i = 0; i < 5; i++)
      await emitAck(pat, 'call-quality', report(roomId, { rttMs: 900, level: 'poor' }));
    await sleep(1100);
    await emitAck(
      pat,
      'call-quality',
      report(roomId, { rttMs: 300, level: 'poor', iceRestarts: 1 }),
    );
    await sleep(1100);
    expect(
      await emitAck(pat, 'leave-call', { roomId, userId: created.meeting.patientId }),
    ).toMatchObject({ ok: true });

    const m = await suite.service.store.getMeeting(roomId);
    expect(m?.quality).toHaveLength(1);
    const [q] = m!.quality!;
    expect(q).toMatchObject({
      userId: m!.patientId,
      userType: 'patient',
      samples: 2,
      rttMedianMs: 190,
      rttP95Ms: 300,
      relayUsed: true,
      iceRestarts: 1,
    });
    // ~1.1 s good, then ~1.1 s poor until the leave.
    expect(q!.secondsByLevel.good).toBe(1);
    expect(q!.secondsByLevel.poor).toBeGreaterThanOrEqual(1);
    expect(q!.secondsByLevel.lost).toBe(0);
    expect((await suite.service.store.getMeeting(other.roomId))?.quality).toBeUndefined();

    const metrics = (await api(base, 'GET', '/metrics')).body as string;
    // Two accepted reports (not the waiting one, the flood, the refused ones).
    expect(metrics).toMatch(/^bedside_call_rtt_milliseconds_count 2$/m);
    expect(metrics).toMatch(/^bedside_call_packet_loss_ratio_count 2$/m);
  });
});
