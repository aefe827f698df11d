// Recording consent and the file-transfer audit through the real service and real Socket.io
// clients: only the doctor asks, the patient's answer drives everyone's `recording-state`,
// a withdrawal stops it, and the audit holds metadata only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  InviteGuestResponse,
  RecordingAskEvent,
  RecordingStateEvent,
  RoomUser,
  WaitingPatient,
} from '@bedside/shared';
import {
  api,
  type ClientSocket,
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

describe('recording consent and file audit', () => {
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

  async function visit(appointmentId: string) {
    const base = service.url;
    const doctor = await login(base, 'doctor@demo.test');
    const m = await createMeeting(base, doctor.token, appointmentId);
    const doc = await connect(base, { token: doctor.token });
    await emitAck(doc, 'join-room', {
      roomId: m.roomId,
      userId: doctor.user.id,
      userType: 'doctor',
      userName: doctor.user.displayName,
    });
    const pat = await connect(base, { token: m.patientToken });
    await emitAck(pat, 'join-room', {
      roomId: m.roomId,
      userId: m.meeting.patientId,
      userType: 'patient',
      userName: 'Pat Example',
    });
    const joined = next<RoomUser>(doc, 'user-joined');
    await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: pat.id });
    await joined;
    return { roomId: m.roomId, doc, pat, patientId: m.meeting.patientId, doctor };
  }

  const state = (s: ClientSocket, status: RecordingStateEvent['status']) =>
    next<RecordingStateEvent>(s, 'recording-state', (e) => e.status === status);

  it('records only with the patient’s consent, and stops when it is withdrawn', async () => {
    const { roomId, doc, pat } = await visit('rec-1');

    // Only the doctor may ask.
    expect(await emitAck(pat, 'recording-request', { roomId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Nobody asked: an answer is refused.
    expect(await emitAck(pat, 'recording-consent', { roomId, accept: true })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });

    const asked = next<RecordingAskEvent>(pat, 'recording-request');
    const askingAtPatient = state(pat, 'asking');
    expect(await emitAck(doc, 'recording-request', { roomId })).toMatchObject({
      ok: true,
      data: { status: 'asking', recording: false, waitingFor: 1 },
    });
    expect(await asked).toEqual({ roomId, by: doc.id, doctorName: 'Dr. Demo' });
    await askingAtPatient;

    const recordingAtDoctor = state(doc, 'recording');
    const recordingAtPatient = state(pat, 'recording');
    await emitAck(pat, 'recording-consent', { roomId, accept: true });
    expect(await recordingAtDoctor).toMatchObject({ recording: true, by: doc.id });
    await recordingAtPatient;

    const offAtDoctor = state(doc, 'off');
    await emitAck(pat, 'recording-consent', { roomId, accept: false });
    expect(await offAtDoctor).toMatchObject({ recording: false, reason: 'withdrawn' });

    const audit = await service.store.listAudit({ roomId });
    const actions = audit.map((a) => [a.action, a.detail?.transition ?? a.detail?.accept ?? null]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['recording.request', null],
        ['recording.consent', true],
        ['recording.start', 'start'],
        ['recording.consent', false],
        ['recording.stop', 'stop'],
      ]),
    );
  });

  it('never starts after a decline', async () => {
    const { roomId, doc, pat } = await visit('rec-2');
    await emitAck(doc, 'recording-request', { roomId });
    const seen: RecordingStateEvent[] = [];
    doc.on('recording-state', (e) => seen.push(e));
    const off = state(doc, 'off');
    await emitAck(pat, 'recording-consent', { roomId, accept: false });
    expect(await off).toMatchObject({ reason: 'declined' });
    expect(seen.some((e) => e.recording)).toBe(false);
    const audit = await service.store.listAudit({ roomId });
    expect(audit.map((a) => a.action)).not.toContain('recording.start');
  });

  it('stops when the patient leaves, and the doctor may stop it', async () => {
    const { roomId, doc, pat, patientId } = await visit('rec-3');
    await emitAck(doc, 'recording-request', { roomId });
    const on = state(doc, 'recording');
    await emitAck(pat, 'recording-consent', { roomId, accept: true });
    await on;
    const off = state(pat, 'off');
    await emitAck(doc, 'recording-stop', { roomId });
    expect(await off).toMatchObject({ reason: 'stopped' });

    await emitAck(doc, 'recording-request', { roomId });
    const alone = state(doc, 'off');
    await emitAck(pat, 'leave-call', { roomId, userId: patientId });
    expect(await alone).toMatchObject({ reason: 'alone' });
  });

  it('asks a guest too: an admitted guest pauses the recording until they answer', async () => {
    const { roomId, doc, pat, doctor } = await visit('rec-guest');
    const invited = await api(service.url, 'POST', `/api/meetings/${roomId}/guests`, {
      token: doctor.token,
      body: { role: 'interpreter', name: 'Ina' },
    });
    const g = invited.body as InviteGuestResponse;
    const guestToken = decodeURIComponent(g.joinUrl.split('#token=')[1] ?? '');

    const on = state(doc, 'recording');
    await emitAck(doc, 'recording-request', { roomId });
    await emitAck(pat, 'recording-consent', { roomId, accept: true });
    await on;

    // The guest waits, is admitted, is asked, and the recording pauses for everyone.
    const guest = await connect(service.url, { token: guestToken });
    const waiting = next<WaitingPatient[]>(doc, 'waiting-room', (w) => w.length === 1);
    await emitAck(guest, 'join-room', {
      roomId,
      userId: g.guest.guestId,
      userType: 'guest',
      userName: 'Ina',
    });
    const [w] = await waiting;
    const asked = next<RecordingAskEvent>(guest, 'recording-request');
    const pausedAtDoctor = state(doc, 'paused');
    const pausedAtPatient = state(pat, 'paused');
    await emitAck(doc, 'admit-patient', { roomId, socketId: w!.socketId });
    expect(await asked).toMatchObject({ roomId, by: doc.id });
    expect(await pausedAtDoctor).toMatchObject({ recording: false, waitingFor: 1 });
    await pausedAtPatient;

    const resumed = state(doc, 'recording');
    await emitAck(guest, 'recording-consent', { roomId, accept: true });
    expect(await resumed).toMatchObject({ recording: true, waitingFor: 0 });

    // A guest's withdrawal stops it like anyone's.
    const off = state(pat, 'off');
    await emitAck(guest, 'recording-consent', { roomId, accept: false });
    expect(await off).toMatchObject({ reason: 'withdrawn' });

    const audit = await service.store.listAudit({ roomId });
    const guestAnswers = audit.filter(
      (a) => a.action === 'recording.consent' && a.actorId === g.guest.guestId,
    );
    expect(guestAnswers).toHaveLength(2);
    expect(guestAnswers.map((a) => [a.actorRole, a.detail?.accept])).toEqual(
      expect.arrayContaining([
        ['guest', true],
        ['guest', false],
      ]),
    );
    expect(audit.map((a) => a.detail?.transition).filter(Boolean)).toEqual(
      expect.arrayContaining(['start', 'pause', 'resume', 'stop']),
    );
  });

  it('audits file transfers with metadata only', async () => {
    const { roomId, doc, pat, patientId } = await visit('files-1');
    const step = {
      roomId,
      transferId: '0f8e2c7a-1b2c-4d5e-8f90-123456789abc',
      peerSocketId: doc.id,
      direction: 'send',
      action: 'offered',
      size: 5 * 1024 * 1024,
      type: 'image/jpeg',
      // A client that tries to slip the name in: the contract has no such field.
      name: 'Pat Example – rash.jpg',
    };
    expect(await emitAck(pat, 'file-transfer', step)).toEqual({ ok: true, data: null });
    expect(await emitAck(pat, 'file-transfer', { ...step, peerSocketId: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'not-in-room' },
    });
    expect(
      await emitAck(pat, 'file-transfer', { ...step, type: 'image/jpeg; name=x.jpg' }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const audit = (await service.store.listAudit({ roomId })).filter(
      (a) => a.action === 'file.transfer',
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: patientId,
      actorRole: 'patient',
      detail: {
        step: 'offered',
        direction: 'send',
        size: 5 * 1024 * 1024,
        type: 'image/jpeg',
        peerRole: 'doctor',
      },
    });
    expect(JSON.stringify(audit)).not.toContain('rash');
  });
});
