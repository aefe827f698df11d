// Guests in a visit, the hostile cases guests.test.ts leaves out, against the real service with
// real socket.io clients: a guest token altered to another role or room (signed with the
// service's own secret, so only the binding to the invitation stops it), a guest posing as the
// doctor in chat or in leave-call, a guest reaching for the doctor's REST routes, a waiting
// guest admitting itself, a guest removed while waiting or between connecting and joining, and a
// fifth person where only a race past the REST cap could bring one.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InviteGuestResponse, WaitingPatient } from '@bedside/shared';
import { createTokenService } from '../auth/tokens.js';
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
  type ClientSocket,
} from '../testing/harness.js';

type Service = Awaited<ReturnType<typeof startTestService>>;
const tokenOf = (url: string) => decodeURIComponent(url.split('#token=')[1] ?? '');

describe('guests in a visit: more hostile cases', () => {
  const data = tempDir();
  const secret = randomBytes(32).toString('hex');
  // The service's own signer: a token it could have issued, with the claims changed.
  const tokens = createTokenService(secret);
  let service: Service;
  let base: string;
  let doctor: Awaited<ReturnType<typeof login>>;
  beforeAll(async () => {
    service = await startTestService({ dataDir: data.dir, jwtSecret: secret });
    base = service.url;
    doctor = await login(base, 'doctor@demo.test');
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await service?.close();
    data.remove();
  });

  const invite = async (roomId: string, role: string, name: string) => {
    const r = await api(base, 'POST', `/api/meetings/${roomId}/guests`, {
      token: doctor.token,
      body: { role, name },
    });
    expect(r.status).toBe(201);
    return r.body as InviteGuestResponse;
  };
  const joinAsDoctor = async (roomId: string) => {
    const doc = await connect(base, { token: doctor.token });
    expect(
      await emitAck(doc, 'join-room', {
        roomId,
        userId: doctor.user.id,
        userType: 'doctor',
        userName: doctor.user.displayName,
      }),
    ).toMatchObject({ ok: true });
    return doc;
  };
  const joinAsGuest = (socket: ClientSocket, roomId: string, guestId: string, name: string) =>
    emitAck<{ status: string }>(socket, 'join-room', {
      roomId,
      userId: guestId,
      userType: 'guest',
      userName: name,
    });
  /** Guest waits, the doctor admits it; resolves once the doctor hears user-joined. */
  const admit = async (doc: ClientSocket, guest: ClientSocket, roomId: string, id: string) => {
    const waiting = next<WaitingPatient[]>(doc, 'waiting-room', (w) =>
      w.some((x) => x.userId === id),
    );
    expect(await joinAsGuest(guest, roomId, id, id)).toMatchObject({
      ok: true,
      data: { status: 'waiting' },
    });
    const entry = (await waiting).find((x) => x.userId === id)!;
    expect(await emitAck(doc, 'admit-patient', { roomId, socketId: entry.socketId })).toEqual({
      ok: true,
      data: null,
    });
  };

  it('refuses a guest token altered to another role or another room at the handshake', async () => {
    const m = await createMeeting(base, doctor.token, 'gh-alter-1');
    const other = await createMeeting(base, doctor.token, 'gh-alter-2');
    const g = await invite(m.roomId, 'caregiver', 'Cara');
    const asClinician = await tokens.signGuest({
      guestId: g.guest.guestId,
      roomId: m.roomId,
      role: 'clinician',
      scheduledTime: new Date().toISOString(),
    });
    await expect(connect(base, { token: asClinician.token })).rejects.toThrow();
    const elsewhere = await tokens.signGuest({
      guestId: g.guest.guestId,
      roomId: other.roomId,
      role: 'caregiver',
      scheduledTime: new Date().toISOString(),
    });
    await expect(connect(base, { token: elsewhere.token })).rejects.toThrow();
    // The real link still works.
    const real = await connect(base, { token: tokenOf(g.joinUrl) });
    expect(real.connected).toBe(true);
  });

  it("keeps a guest out of the doctor's REST routes and off the doctor's name and actions", async () => {
    const m = await createMeeting(base, doctor.token, 'gh-pose');
    const g = await invite(m.roomId, 'interpreter', 'Ina');
    const guestToken = tokenOf(g.joinUrl);
    for (const [method, path, body] of [
      ['GET', `/api/meetings/${m.roomId}/guests`, undefined],
      ['POST', `/api/meetings/${m.roomId}/guests`, { role: 'interpreter', name: 'Evil' }],
      ['GET', `/api/meetings/${m.roomId}`, undefined],
      ['POST', `/api/meetings/${m.roomId}/cancel`, {}],
    ] as const) {
      const r = await api(base, method, path, { token: guestToken, ...(body ? { body } : {}) });
      expect([401, 403], `${method} ${path} as a guest`).toContain(r.status);
    }

    const doc = await joinAsDoctor(m.roomId);
    const guest = await connect(base, { token: guestToken });
    // Waiting: not in the room, so it cannot admit anyone, itself included.
    const waiting = next<WaitingPatient[]>(doc, 'waiting-room', (w) => w.length === 1);
    await joinAsGuest(guest, m.roomId, g.guest.guestId, 'Ina');
    const [self] = await waiting;
    expect(
      await emitAck(guest, 'admit-patient', { roomId: m.roomId, socketId: self!.socketId }),
    ).toMatchObject({ ok: false });
    expect(
      await emitAck(guest, 'chat-message', {
        roomId: m.roomId,
        message: 'hi',
        userName: 'Ina',
        userType: 'guest',
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-in-room' } });

    const joined = next(doc, 'user-joined');
    expect(
      await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: self!.socketId }),
    ).toMatchObject({ ok: true });
    await joined;
    // In the room: chat as the doctor, leave-call for the doctor, end the visit — all refused.
    expect(
      await emitAck(guest, 'chat-message', {
        roomId: m.roomId,
        message: 'Stop your medication',
        userName: doctor.user.displayName,
        userType: 'doctor',
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await emitAck(guest, 'chat-message', {
        roomId: m.roomId,
        message: 'hi',
        userName: 'Ina',
        userType: 'patient',
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await emitAck(guest, 'leave-call', { roomId: m.roomId, userId: doctor.user.id }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await emitAck(guest, 'end-call', { roomId: m.roomId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Its own chat goes out under its own name and type.
    const heard = next<{ userName: string; userType: string }>(doc, 'chat-message');
    expect(
      await emitAck(guest, 'chat-message', {
        roomId: m.roomId,
        message: 'Ready to interpret',
        userName: 'Ina',
        userType: 'guest',
      }),
    ).toMatchObject({ ok: true });
    expect(await heard).toMatchObject({ userName: 'Ina', userType: 'guest' });
    // The doctor is still there: nothing the guest sent ended or emptied the visit.
    const rec = await api(base, 'GET', `/api/meetings/${m.roomId}`, { token: doctor.token });
    expect((rec.body as { status: string }).status).not.toBe('completed');
  });

  it('removes a waiting guest, and refuses a socket that connected before the removal', async () => {
    const m = await createMeeting(base, doctor.token, 'gh-remove');
    const waitingGuest = await invite(m.roomId, 'interpreter', 'Ina');
    const earlyGuest = await invite(m.roomId, 'clinician', 'Cli');
    const doc = await joinAsDoctor(m.roomId);

    const ina = await connect(base, { token: tokenOf(waitingGuest.joinUrl) });
    const listed = next<WaitingPatient[]>(doc, 'waiting-room', (w) => w.length === 1);
    await joinAsGuest(ina, m.roomId, waitingGuest.guest.guestId, 'Ina');
    expect((await listed)[0]).toMatchObject({ role: 'interpreter', userType: 'guest' });
    const ended = next<{ reason: string }>(ina, 'call-ended');
    const emptied = next<WaitingPatient[]>(doc, 'waiting-room', (w) => w.length === 0);
    const del = await api(
      base,
      'DELETE',
      `/api/meetings/${m.roomId}/guests/${waitingGuest.guest.guestId}`,
      { token: doctor.token },
    );
    expect(del.status).toBe(200);
    expect((await ended).reason).toBe('removed');
    await emptied;

    // Connected (handshake passed) but not yet joined when the doctor removes it.
    const cli = await connect(base, { token: tokenOf(earlyGuest.joinUrl) });
    await api(base, 'DELETE', `/api/meetings/${m.roomId}/guests/${earlyGuest.guest.guestId}`, {
      token: doctor.token,
    });
    expect(await joinAsGuest(cli, m.roomId, earlyGuest.guest.guestId, 'Cli')).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/removed/) },
    });
    // A guest of another visit cannot be removed through this one: a plain 404.
    const other = await createMeeting(base, doctor.token, 'gh-remove-other');
    const stranger = await invite(other.roomId, 'caregiver', 'Cara');
    const wrongRoom = await api(
      base,
      'DELETE',
      `/api/meetings/${m.roomId}/guests/${stranger.guest.guestId}`,
      { token: doctor.token },
    );
    expect(wrongRoom.status).toBe(404);
  });

  it('refuses a fifth person at admission, even one past the REST cap', async () => {
    const m = await createMeeting(base, doctor.token, 'gh-fifth');
    const doc = await joinAsDoctor(m.roomId);
    const patient = await connect(base, { token: m.patientToken });
    const patientWaits = next<WaitingPatient[]>(doc, 'waiting-room', (w) => w.length === 1);
    await emitAck(patient, 'join-room', {
      roomId: m.roomId,
      userId: m.meeting.patientId,
      userType: 'patient',
      userName: 'Pat',
    });
    const [p] = await patientWaits;
    await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: p!.socketId });
    const g1 = await invite(m.roomId, 'interpreter', 'Ina');
    const g2 = await invite(m.roomId, 'caregiver', 'Cara');
    const s1 = await connect(base, { token: tokenOf(g1.joinUrl) });
    const s2 = await connect(base, { token: tokenOf(g2.joinUrl) });
    await admit(doc, s1, m.roomId, g1.guest.guestId);
    await admit(doc, s2, m.roomId, g2.guest.guestId);

    // REST refuses a third guest…
    const third = await api(base, 'POST', `/api/meetings/${m.roomId}/guests`, {
      token: doctor.token,
      body: { role: 'clinician', name: 'Cli' },
    });
    expect(third.status).toBe(409);
    // …and one stored past that cap (two invitations racing) still cannot enter the full room.
    const stored = await service.store.addGuest(
      m.roomId,
      { guestId: 'g-race', role: 'clinician', name: 'Cli', invitedAt: new Date().toISOString() },
      3,
    );
    expect(stored.ok).toBe(true);
    const raced = await tokens.signGuest({
      guestId: 'g-race',
      roomId: m.roomId,
      role: 'clinician',
      scheduledTime: new Date().toISOString(),
    });
    const fifth = await connect(base, { token: raced.token });
    const waits = next<WaitingPatient[]>(doc, 'waiting-room', (w) =>
      w.some((x) => x.userId === 'g-race'),
    );
    await joinAsGuest(fifth, m.roomId, 'g-race', 'Cli');
    const entry = (await waits).find((x) => x.userId === 'g-race')!;
    const told = next<{ error: { code: string; message: string } }>(fifth, 'signal-error');
    expect(
      await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: entry.socketId }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await told).error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/full/),
    });
    const rec = await api(base, 'GET', `/api/meetings/${m.roomId}`, { token: doctor.token });
    expect(
      (rec.body as { participants: { role: string }[] }).participants.map((x) => x.role),
    ).toEqual(['doctor', 'patient', 'interpreter', 'caregiver']);
  });
});
