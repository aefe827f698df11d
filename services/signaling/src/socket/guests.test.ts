// Guests in a visit (issue 9) against the real service: REST invitations with the cap, guest
// joins with roles, the record's roles, and the hostile cases (another room, posing, doctor-only
// actions, removal and a removed guest's link).
import { describe, expect, it } from 'vitest';
import type { InviteGuestResponse, Meeting, RoomUser, WaitingPatient } from '@bedside/shared';
import {
  addDoctor,
  api,
  connect,
  createMeeting,
  emitAck,
  joinAsDoctor,
  login,
  next,
} from '../testing/harness.js';
import { useTestService } from '../testing/suite.js';

const tokenOf = (url: string) => decodeURIComponent(url.split('#token=')[1] ?? '');

describe('guests in a visit', () => {
  const suite = useTestService();

  it('invites up to two guests, admits them with roles, refuses the hostile cases, removes one', async () => {
    const base = suite.service.url;
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
    await joinAsDoctor(doc, doctor, m.roomId);
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
    // A guest chats with the room like the patient.
    const heard = next<{ message: string; userType: string }>(doc, 'chat-message');
    expect(
      await emitAck(guest, 'chat-message', {
        roomId: m.roomId,
        message: 'hello from the interpreter',
        userName: 'Ina',
        userType: 'guest',
      }),
    ).toEqual({ ok: true, data: null });
    expect(await heard).toMatchObject({ message: 'hello from the interpreter', userType: 'guest' });
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

  it('issues a guest a new link that revokes the earlier ones; only the doctor, never once removed', async () => {
    const base = suite.service.url;
    const doctor = await login(base, 'doctor@demo.test');
    const m = await createMeeting(base, doctor.token, 'guests-relink');
    const guests = `/api/meetings/${m.roomId}/guests`;
    const first = (
      await api(base, 'POST', guests, {
        token: doctor.token,
        body: { role: 'interpreter', name: 'Ina' },
      })
    ).body as InviteGuestResponse;
    const relink = (token: string, guestId = first.guest.guestId) =>
      api(base, 'POST', `${guests}/${guestId}/link`, { token });

    const second = await relink(doctor.token);
    expect(second.status).toBe(200);
    const renewed = second.body as InviteGuestResponse;
    // The same guest, nothing store-internal in the answer; a new token.
    expect(renewed.guest).toEqual(first.guest);
    expect(renewed.joinUrl).toMatch(new RegExp(`^${base}/join/${m.roomId}#token=`));
    expect(tokenOf(renewed.joinUrl)).not.toBe(tokenOf(first.joinUrl));
    // The new link opens the visit; the first one no longer does.
    (await connect(base, { token: tokenOf(renewed.joinUrl) })).disconnect();
    await expect(connect(base, { token: tokenOf(first.joinUrl) })).rejects.toThrow(/newer/);
    // Again: only the latest of three works.
    const third = (await relink(doctor.token)).body as InviteGuestResponse;
    await expect(connect(base, { token: tokenOf(renewed.joinUrl) })).rejects.toThrow(/newer/);
    (await connect(base, { token: tokenOf(third.joinUrl) })).disconnect();

    // Not the guest itself, not for an unknown guest, not once removed.
    expect((await relink(tokenOf(third.joinUrl))).status).toBe(403);
    expect((await relink(doctor.token, 'g-nope')).status).toBe(404);
    await api(base, 'DELETE', `${guests}/${first.guest.guestId}`, { token: doctor.token });
    expect((await relink(doctor.token)).status).toBe(409);
    await expect(connect(base, { token: tokenOf(third.joinUrl) })).rejects.toThrow(/removed/);
  });

  it('answers another doctor on the guests routes exactly as the meeting route does', async () => {
    const base = suite.service.url;
    await addDoctor(suite.service.store, 'guests-other@demo.test', 'Dr. Other');
    const doctor = await login(base, 'doctor@demo.test');
    const other = await login(base, 'guests-other@demo.test');
    const m = await createMeeting(base, doctor.token, 'guests-3');
    const asOther = { token: other.token };
    const meeting = await api(base, 'GET', `/api/meetings/${m.roomId}`, asOther);
    expect([403, 404]).toContain(meeting.status);
    const guests = `/api/meetings/${m.roomId}/guests`;
    const answers = [
      await api(base, 'GET', guests, asOther),
      await api(base, 'POST', guests, { ...asOther, body: { role: 'caregiver', name: 'Cara' } }),
      await api(base, 'DELETE', `${guests}/g-nope`, asOther),
      await api(base, 'POST', `${guests}/g-nope/link`, asOther),
    ];
    for (const r of answers) {
      expect({ status: r.status, body: r.body }).toEqual({
        status: meeting.status,
        body: meeting.body,
      });
    }
    const list = await api(base, 'GET', guests, { token: doctor.token });
    expect(list).toMatchObject({ status: 200, body: { items: [] } });
  });
});
