// A doctor and a patient through the whole visit, against the real service and real clients:
// create → join → waiting → admit → offer/answer/ICE → chat → screen share → media state →
// end-call; the stored meeting is completed with a duration and participant entries, and it
// survives a restart on the same data dir.
import { describe, expect, it } from 'vitest';
import type { JoinRoomResult, Meeting, RoomUser, WaitingPatient } from '@bedside/shared';
import {
  SAMPLE_ANSWER,
  SAMPLE_CANDIDATE,
  SAMPLE_OFFER,
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

describe('a visit from creation to completion', () => {
  const suite = useTestService();

  it('relays signaling between doctor and patient and records the meeting', async () => {
    const base = suite.service.url;
    const doctor = await login(base, 'doctor@demo.test');
    const created = await createMeeting(base, doctor.token, 'flow-1', {
      patientName: 'Pat Example',
    });
    expect(created.roomId).toBe('room-flow-1');
    expect(created.patientJoinUrl).toMatch(new RegExp(`^${base}/join/room-flow-1#token=`));
    const roomId = created.roomId;
    const patientId = created.meeting.patientId;

    const doc = await connect(base, {
      token: doctor.token,
      client: 'desktop',
      clientVersion: '0.1.0',
    });
    const joined = await joinAsDoctor(doc, doctor, roomId);
    expect(joined).toEqual({ ok: true, data: { status: 'joined', roomId, socketId: doc.id } });

    // Patient enters the waiting room; the doctor sees them there.
    const pat = await connect(base, { token: created.patientToken, client: 'patient-web' });
    const waitingSeen = next<WaitingPatient[]>(doc, 'waiting-room', (l) => l.length === 1);
    const waiting = await emitAck<JoinRoomResult>(pat, 'join-room', {
      roomId,
      userId: patientId,
      userType: 'patient',
      userName: 'Pat',
      precheck: { camera: 'ok', microphone: 'ok', connection: 'good' },
    });
    expect(waiting).toEqual({ ok: true, data: { status: 'waiting', roomId, socketId: pat.id } });
    const list = await waitingSeen;
    expect(list[0]).toMatchObject({ socketId: pat.id, userId: patientId, userName: 'Pat' });
    expect(list[0]!.precheck).toEqual({ camera: 'ok', microphone: 'ok', connection: 'good' });

    // Still waiting: the patient cannot signal anyone yet.
    const early = await emitAck(pat, 'offer', {
      roomId,
      offer: SAMPLE_OFFER,
      targetSocketId: doc.id,
    });
    expect(early).toMatchObject({ ok: false, error: { code: 'not-in-room' } });

    // Admit: the patient gets `admitted` + `room-users`; the doctor gets `user-joined`.
    const admitted = next(pat, 'admitted');
    const roomUsers = next<RoomUser[]>(pat, 'room-users');
    const userJoined = next<RoomUser>(doc, 'user-joined');
    const emptied = next<WaitingPatient[]>(doc, 'waiting-room', (l) => l.length === 0);
    expect(await emitAck(doc, 'admit-patient', { roomId, socketId: pat.id })).toEqual({
      ok: true,
      data: null,
    });
    expect(await admitted).toEqual({ roomId });
    expect(await roomUsers).toEqual([
      {
        socketId: doc.id,
        userId: doctor.user.id,
        userType: 'doctor',
        userName: 'Dr. Demo',
        role: 'doctor',
      },
    ]);
    expect(await userJoined).toEqual({
      socketId: pat.id,
      userId: patientId,
      userType: 'patient',
      userName: 'Pat',
      role: 'patient',
    });
    await emptied;

    // The member already in the room (the doctor) offers; answer and ICE come back.
    const offerAtPatient = next(pat, 'offer');
    expect(
      await emitAck(doc, 'offer', { roomId, offer: SAMPLE_OFFER, targetSocketId: pat.id }),
    ).toEqual({
      ok: true,
      data: null,
    });
    expect(await offerAtPatient).toEqual({ offer: SAMPLE_OFFER, socketId: doc.id });

    const answerAtDoctor = next(doc, 'answer');
    await emitAck(pat, 'answer', { roomId, answer: SAMPLE_ANSWER, targetSocketId: doc.id! });
    expect(await answerAtDoctor).toEqual({ answer: SAMPLE_ANSWER, socketId: pat.id });

    const iceAtDoctor = next(doc, 'ice-candidate');
    const iceAtPatient = next(
      pat,
      'ice-candidate',
      (p: { candidate: unknown }) => p.candidate === null,
    );
    // ICE without an ack (as clients trickle it) and the end-of-candidates marker.
    pat.emit('ice-candidate', { roomId, candidate: SAMPLE_CANDIDATE, targetSocketId: doc.id! });
    doc.emit('ice-candidate', { roomId, candidate: null, targetSocketId: pat.id! });
    expect(await iceAtDoctor).toEqual({ candidate: SAMPLE_CANDIDATE, socketId: pat.id });
    expect(await iceAtPatient).toEqual({ candidate: null, socketId: doc.id });

    // Chat: stamped by the server, names from the joined identity, delivered to both.
    const chatAtDoctor = next<Record<string, unknown>>(doc, 'chat-message');
    const chatAtPatient = next<Record<string, unknown>>(pat, 'chat-message');
    await emitAck(pat, 'chat-message', {
      roomId,
      message: 'Hello doctor',
      userName: 'Pat',
      userType: 'patient',
    });
    const chat = await chatAtDoctor;
    expect(chat).toMatchObject({
      roomId,
      message: 'Hello doctor',
      userName: 'Pat',
      userType: 'patient',
      socketId: pat.id,
    });
    expect(typeof chat.id).toBe('string');
    expect(Date.parse(chat.timestamp as string)).toBeGreaterThan(0);
    expect(await chatAtPatient).toEqual(chat);

    const shareAtPatient = next(pat, 'screen-share-toggle');
    await emitAck(doc, 'screen-share-toggle', { roomId, isSharing: true, userName: 'Dr. Demo' });
    expect(await shareAtPatient).toEqual({
      isSharing: true,
      userName: 'Dr. Demo',
      socketId: doc.id,
    });

    const mediaAtDoctor = next(doc, 'media-state');
    await emitAck(pat, 'media-state', { roomId, audio: false, video: true });
    expect(await mediaAtDoctor).toEqual({ socketId: pat.id, audio: false, video: true });

    expect(
      await emitAck(pat, 'call-quality', {
        roomId,
        rttMs: 40,
        packetLoss: 0,
        bitrateKbps: 900,
        iceState: 'connected',
      }),
    ).toEqual({ ok: true, data: null });

    // ICE failures reach the metrics once per transition to `failed`, not once per report.
    for (const iceState of ['failed', 'failed', 'connected', 'failed'] as const) {
      await emitAck(doc, 'call-quality', {
        roomId,
        rttMs: null,
        packetLoss: null,
        bitrateKbps: null,
        iceState,
      });
    }
    const iceMetrics = (await api(base, 'GET', '/metrics')).body as string;
    expect(iceMetrics).toMatch(/^bedside_ice_failures_total 2$/m);

    const active = await suite.service.store.getMeeting(roomId);
    expect(active?.status).toBe('active');
    expect(active?.startTime).not.toBeNull();

    // Let a measurable second pass so the duration is not zero.
    await sleep(1100);

    // Only the doctor ends the call.
    expect(await emitAck(pat, 'end-call', { roomId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const endedAtPatient = next<{ reason: string; duration: number }>(pat, 'call-ended');
    const endedAtDoctor = next(doc, 'call-ended');
    expect(await emitAck(doc, 'end-call', { roomId })).toEqual({ ok: true, data: null });
    const ended = await endedAtPatient;
    expect(ended).toMatchObject({ roomId, reason: 'ended-by-doctor' });
    expect(ended.duration).toBeGreaterThanOrEqual(1);
    await endedAtDoctor;

    // Removed from the room, and the link ended with the visit: signaling after it is refused.
    expect(
      await emitAck(pat, 'chat-message', {
        roomId,
        message: 'still there?',
        userName: 'Pat',
        userType: 'patient',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'room-closed' },
    });

    const stored = (await suite.service.store.getMeeting(roomId)) as Meeting;
    expect(stored.status).toBe('completed');
    expect(stored.duration).toBe(ended.duration);
    expect(stored.duration).toBeGreaterThanOrEqual(1);
    expect(stored.duration).toBeLessThan(60);
    expect(Date.parse(stored.endTime!)).toBeGreaterThan(Date.parse(stored.startTime!));
    expect(stored.participants.map((p) => [p.userId, p.userType])).toEqual([
      [doctor.user.id, 'doctor'],
      [patientId, 'patient'],
    ]);
    for (const p of stored.participants) expect(p.leftAt).not.toBeNull();

    // The patient's link no longer opens the room.
    await expect(connect(base, { token: created.patientToken })).rejects.toMatchObject({
      data: { code: 'room-closed' },
    });

    const audit = await suite.service.store.listAudit({ roomId });
    const actions = audit.map((a) => a.action);
    for (const a of [
      'meeting.create',
      'meeting.join',
      'meeting.admit',
      'meeting.screen-share',
      'meeting.end',
    ]) {
      expect(actions).toContain(a);
    }
    expect(JSON.stringify(audit)).not.toContain('Hello doctor');
    expect(JSON.stringify(audit)).not.toContain('Pat');

    // Metrics saw the handshakes and the call.
    const metrics = (await api(base, 'GET', '/metrics')).body as string;
    expect(metrics).toMatch(/bedside_socket_connection_successes_total\{client="desktop"\} 1/);
    expect(metrics).toMatch(/bedside_call_duration_seconds_count\{reason="ended-by-doctor"\} 1/);
    expect(metrics).toMatch(/bedside_signaling_events_total\{event="offer",outcome="ok"\} 1/);

    // Restart on the same data dir: the meeting is still there, and the doctor's token still works.
    const restarted = await suite.restart();
    const again = await api(restarted.url, 'GET', `/api/meetings/${roomId}`, {
      token: doctor.token,
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(stored);
  });
});

/** A new visit: the doctor in its room, the patient ("Pat") in the waiting room. */
async function patientWaiting(base: string, appointmentId: string, join: object = {}) {
  const doctor = await login(base, 'doctor@demo.test');
  const m = await createMeeting(base, doctor.token, appointmentId);
  const doc = await connect(base, { token: doctor.token });
  await joinAsDoctor(doc, doctor, m.roomId);
  const patientJoin = {
    roomId: m.roomId,
    userId: m.meeting.patientId,
    userType: 'patient',
    userName: 'Pat',
    ...join,
  };
  const pat = await connect(base, { token: m.patientToken });
  await emitAck(pat, 'join-room', patientJoin);
  return { doctor, m, doc, pat, patientJoin };
}

describe('the doctor’s offer sent with the admit', () => {
  const suite = useTestService();

  const waitingVisit = (appointmentId: string) => patientWaiting(suite.service.url, appointmentId);

  /** Every event `socket` receives, in order, from now on. */
  const record = (socket: Awaited<ReturnType<typeof connect>>) => {
    const seen: { event: string; payload: unknown }[] = [];
    socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
    return seen;
  };

  it('reaches the admitted patient right after room-users, from the doctor', async () => {
    const { m, doc, pat } = await waitingVisit('admit-offer-1');
    const seen = record(pat);
    const offered = next<{ offer: unknown; socketId: string }>(pat, 'offer');
    const joined = next<RoomUser>(doc, 'user-joined');
    expect(
      await emitAck(doc, 'admit-patient', {
        roomId: m.roomId,
        socketId: pat.id,
        offer: SAMPLE_OFFER,
      }),
    ).toEqual({ ok: true, data: null });
    expect(await offered).toEqual({ offer: SAMPLE_OFFER, socketId: doc.id });
    expect((await joined).socketId).toBe(pat.id);
    expect(seen.map((e) => e.event).slice(0, 3)).toEqual(['admitted', 'room-users', 'offer']);
    // The patient answers as to any offer.
    const answered = next<{ answer: unknown; socketId: string }>(doc, 'answer');
    await emitAck(pat, 'answer', {
      roomId: m.roomId,
      answer: SAMPLE_ANSWER,
      targetSocketId: doc.id,
    });
    expect(await answered).toEqual({ answer: SAMPLE_ANSWER, socketId: pat.id });
  });

  it('refuses an admit whose offer is not an offer or too large, and admits no one', async () => {
    const { m, doc, pat } = await waitingVisit('admit-offer-2');
    const seen = record(pat);
    for (const offer of [
      SAMPLE_ANSWER,
      { type: 'offer', sdp: 'x'.repeat(40_000) },
      { type: 'offer' },
      'v=0',
    ]) {
      const r = await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: pat.id, offer });
      expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    await sleep(200);
    expect(seen.filter((e) => e.event === 'admitted' || e.event === 'offer')).toEqual([]);
    // Still waiting, and a plain admit still works.
    const admitted = next(pat, 'admitted');
    await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: pat.id });
    await admitted;
    expect(seen.some((e) => e.event === 'offer')).toBe(false);
  });
});

describe('reconnects', () => {
  const suite = useTestService();

  const setup = async (appointmentId: string) => {
    const base = suite.service.url;
    const { doctor, m, doc, pat, patientJoin } = await patientWaiting(base, appointmentId, {
      // The patient page's per-tab id: a reconnect from the same tab goes straight back in.
      deviceId: `tab-${appointmentId}-0123456789`,
    });
    const admitted = next(pat, 'admitted');
    await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: pat.id });
    await admitted;
    return { base, doctor, m, doc, pat, patientJoin };
  };

  it('re-admits a patient who drops and comes back, without the doctor doing anything', async () => {
    const { base, m, doc, pat, patientJoin } = await setup('reconnect-1');
    const left = next<{ socketId: string }>(doc, 'user-left');
    const oldId = pat.id;
    pat.disconnect();
    expect((await left).socketId).toBe(oldId);

    const pat2 = await connect(base, { token: m.patientToken });
    const rejoined = next<RoomUser>(doc, 'user-joined');
    const admitted = next(pat2, 'admitted');
    const users = next<RoomUser[]>(pat2, 'room-users');
    const r = await emitAck<JoinRoomResult>(pat2, 'join-room', patientJoin);
    expect(r).toEqual({
      ok: true,
      data: { status: 'joined', roomId: m.roomId, socketId: pat2.id },
    });
    expect(await admitted).toEqual({ roomId: m.roomId });
    expect((await users).map((u) => u.socketId)).toEqual([doc.id]);
    expect((await rejoined).socketId).toBe(pat2.id);

    // The doctor re-offers to the new socket.
    const offer = next(pat2, 'offer');
    await emitAck(doc, 'offer', { roomId: m.roomId, offer: SAMPLE_OFFER, targetSocketId: pat2.id });
    expect(await offer).toEqual({ offer: SAMPLE_OFFER, socketId: doc.id });

    const stored = await suite.service.store.getMeeting(m.roomId);
    const patientEntries = stored!.participants.filter((p) => p.userType === 'patient');
    expect(patientEntries).toHaveLength(2);
    expect(patientEntries[0]!.leftAt).not.toBeNull();
    expect(patientEntries[1]!.leftAt).toBeNull();
  });

  it('replaces a stale connection of the same patient (a ghost socket) with the new one', async () => {
    const { base, m, doc, pat, patientJoin } = await setup('reconnect-2');
    const pat2 = await connect(base, { token: m.patientToken });
    const ghostId = pat.id;
    const ghostGone = new Promise<string>((resolve) => pat.once('disconnect', resolve));
    const ghostLeft = next<{ socketId: string }>(doc, 'user-left');
    const r = await emitAck<JoinRoomResult>(pat2, 'join-room', patientJoin);
    expect(r).toMatchObject({ ok: true, data: { status: 'joined' } });
    expect((await ghostLeft).socketId).toBe(ghostId);
    expect(await ghostGone).toBe('io server disconnect');
    const offer = next(pat2, 'offer');
    await emitAck(doc, 'offer', { roomId: m.roomId, offer: SAMPLE_OFFER, targetSocketId: pat2.id });
    await offer;
  });

  it('lets a doctor who reconnects rejoin; the patient hears of it', async () => {
    const { base, doctor, m, doc, pat } = await setup('reconnect-3');
    const left = next<{ socketId: string }>(pat, 'user-left');
    const oldId = doc.id;
    doc.disconnect();
    expect((await left).socketId).toBe(oldId);
    const doc2 = await connect(base, { token: doctor.token });
    const joinedAtPatient = next<RoomUser>(pat, 'user-joined');
    const users = next<RoomUser[]>(doc2, 'room-users');
    const r = await joinAsDoctor(doc2, doctor, m.roomId);
    expect(r).toMatchObject({ ok: true, data: { status: 'joined' } });
    expect((await users).map((u) => u.socketId)).toEqual([pat.id]);
    expect((await joinedAtPatient).socketId).toBe(doc2.id);
    const stored = await suite.service.store.getMeeting(m.roomId);
    expect(stored!.participants.filter((p) => p.userType === 'doctor')).toHaveLength(2);
    expect(stored!.status).toBe('active');
  });

  it('a patient who leaves the call and joins again is re-admitted', async () => {
    const { m, doc, pat, patientJoin } = await setup('reconnect-4');
    const left = next(doc, 'user-left');
    expect(
      await emitAck(pat, 'leave-call', { roomId: m.roomId, userId: m.meeting.patientId }),
    ).toEqual({
      ok: true,
      data: null,
    });
    await left;
    const rejoined = next(doc, 'user-joined');
    expect(await emitAck(pat, 'join-room', patientJoin)).toMatchObject({
      ok: true,
      data: { status: 'joined' },
    });
    await rejoined;
  });
});
