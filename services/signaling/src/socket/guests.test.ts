// Guests in a visit (issue 9) against the real service: REST invitations with the cap, guest
// joins with roles, the record's roles, and the hostile cases (another room, posing, doctor-only
// actions, removal and a removed guest's link).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InviteGuestResponse, Meeting, RoomUser, WaitingPatient } from '@bedside/shared';
import {
  api,
  closeAllSockets,
  connect,
  createMeeting,
  emitAck,
  login,
  next,
  startTestService,
  tempDir,
} from '../testing/harness.js';

type Service = Awaited<ReturnType<typeof startTestService>>;
const tokenOf = (url: string) => decodeURIComponent(url.split('#token=')[1] ?? '');

describe('guests in a visit', () => {
  const data = tempDir();
  let service: Service;
  beforeAll(async () => {
    service = await startTestService({ dataDir: data.dir });
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await service?.close();
    data.remove();
  });

  it('invites up to two guests, admits them with roles, refuses the hostile cases, removes one', async () => {
    const base = service.url;
    const doctor = await login(base, 'doctor@demo.test');
    const m = await createMeeting(base, doctor.token, 'guests-1');
    const other = await createMeeting(base, doctor.token, 'guests-2');
    const invite = (roomId: string, role: string, name: string) =>
      api(base, 'POST', `/api/meetings/${roomId}/guests`, {
        token: doctor.token,
        body: { role, name },
      });
    const i1 = await invite(m.roomId, 'interpreter', 'Ina');
    const i2 = await invite(m.roomId, 'caregiver', 'Cara');
    expect(i1.status).toBe(201);
    expect(i2.status).toBe(201);
    expect((await invite(m.roomId, 'clinician', 'Cli')).status).toBe(409);
    const g1 = i1.body as InviteGuestResponse;
    const g2 = i2.body as InviteGuestResponse;
    expect(g1.joinUrl).toMatch(new RegExp(`^${base}/join/${m.roomId}#token=`));
    const list = await api(base, 'GET', `/api/meetings/${m.roomId}/guests`, {
      token: doctor.token,
    });
    expect((list.body as { items: { role: string }[] }).items.map((g) => g.role)).toEqual([
      'interpreter',
      'caregiver',
    ]);

    const doc = await connect(base, { token: doctor.token });
    await emitAck(doc, 'join-room', {
      roomId: m.roomId,
      userId: doctor.user.id,
      userType: 'doctor',
      userName: doctor.user.displayName,
    });
    const guest = await connect(base, { token: tokenOf(g1.joinUrl) });
    // Hostile: another room, posing as the other guest, the patient, the doctor.
    const join = (roomId: string, userId: string, userType: string) =>
      emitAck(guest, 'join-room', { roomId, userId, userType, userName: 'Ina' });
    expect(await join(other.roomId, g1.guest.guestId, 'guest')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await join(m.roomId, g2.guest.guestId, 'guest')).toMatchObject({ ok: false });
    expect(await join(m.roomId, m.meeting.patientId, 'patient')).toMatchObject({ ok: false });
    expect(await join(m.roomId, doctor.user.id, 'doctor')).toMatchObject({ ok: false });

    const waiting = next<WaitingPatient[]>(doc, 'waiting-room', (w) => w.length === 1);
    expect(await join(m.roomId, g1.guest.guestId, 'guest')).toMatchObject({
      ok: true,
      data: { status: 'waiting' },
    });
    const [w] = await waiting;
    expect(w).toMatchObject({ userType: 'guest', role: 'interpreter' });
    // A guest cannot admit, remove or end.
    const joined = next<RoomUser>(doc, 'user-joined');
    expect(
      await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: w!.socketId }),
    ).toEqual({ ok: true, data: null });
    expect(await joined).toMatchObject({ role: 'interpreter', userType: 'guest' });
    expect(await emitAck(guest, 'end-call', { roomId: m.roomId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await emitAck(guest, 'admit-patient', { roomId: m.roomId, socketId: doc.id }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const asGuest = await api(
      base,
      'DELETE',
      `/api/meetings/${m.roomId}/guests/${g2.guest.guestId}`,
      {
        token: tokenOf(g1.joinUrl),
      },
    );
    expect(asGuest.status).toBe(403);

    // Removal: the guest hears call-ended (removed) and the doctor user-left; the link is dead.
    const ended = next<{ reason: string }>(guest, 'call-ended');
    const left = next<{ role: string }>(doc, 'user-left');
    const del = await api(base, 'DELETE', `/api/meetings/${m.roomId}/guests/${g1.guest.guestId}`, {
      token: doctor.token,
    });
    expect(del.status).toBe(200);
    expect((await ended).reason).toBe('removed');
    expect((await left).role).toBe('interpreter');
    await expect(connect(base, { token: tokenOf(g1.joinUrl) })).rejects.toThrow(/removed/);
    // With one removed, a new invitation fits again.
    expect((await invite(m.roomId, 'clinician', 'Cli')).status).toBe(201);

    const rec = (await api(base, 'GET', `/api/meetings/${m.roomId}`, { token: doctor.token }))
      .body as Meeting;
    expect(rec.participants.map((p) => p.role)).toEqual(['doctor', 'interpreter']);
  });
});
