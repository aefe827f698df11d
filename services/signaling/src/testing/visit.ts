// Node (tests only): a doctor and an admitted patient in one visit, each connected wherever the
// test says (an instance, or nginx), and one offer → answer → ICE exchange to show that signaling
// reaches end to end.
import type { RoomUser } from '@bedside/shared';
import {
  SAMPLE_ANSWER,
  SAMPLE_CANDIDATE,
  SAMPLE_OFFER,
  connect,
  createMeeting,
  doctorJoinPayload,
  emitAck,
  login,
  next,
  type ClientSocket,
} from './harness.js';

export interface Visit {
  roomId: string;
  doctorId: string;
  patientId: string;
  doctorToken: string;
  patientToken: string;
  doc: ClientSocket;
  pat: ClientSocket;
}

/** The demo doctor's join for a visit (the same payload as `joinAsDoctor`). */
export const doctorJoin = (v: Pick<Visit, 'roomId' | 'doctorId'>) =>
  doctorJoinPayload(v.roomId, { id: v.doctorId, displayName: 'Dr. Demo' });
export const patientJoin = (v: Pick<Visit, 'roomId' | 'patientId'>) => ({
  roomId: v.roomId,
  userId: v.patientId,
  userType: 'patient',
  userName: 'Pat',
});

/**
 * Joins a created visit: the doctor through `doctorBase`, the patient through `patientBase`
 * (one instance, two, or nginx), and admits the patient when they wait (after a restart the
 * patient may go straight back in).
 */
export async function joinAndAdmit(o: {
  doctorBase: string;
  patientBase: string;
  visit: Omit<Visit, 'doc' | 'pat'>;
}): Promise<{ doc: ClientSocket; pat: ClientSocket }> {
  const v = o.visit;
  const doc = await connect(o.doctorBase, { token: v.doctorToken });
  const joined = await emitAck(doc, 'join-room', doctorJoin(v));
  if (!joined.ok) throw new Error(`doctor join: ${joined.error.message}`);
  const pat = await connect(o.patientBase, { token: v.patientToken });
  const res = await emitAck<{ status: string }>(pat, 'join-room', patientJoin(v));
  if (!res.ok) throw new Error(`patient join: ${res.error.message}`);
  if (res.data.status === 'waiting') {
    const admitted = next(pat, 'admitted');
    const w = await emitAck(doc, 'admit-patient', { roomId: v.roomId, socketId: pat.id });
    if (!w.ok) throw new Error(`admit: ${w.error.message}`);
    await admitted;
  }
  return { doc, pat };
}

/** Creates the meeting through `api`, joins both, admits the patient. */
export async function startVisit(o: {
  api: string;
  appointmentId: string;
  connectDoctor: (token: string) => Promise<ClientSocket>;
  connectPatient: (token: string) => Promise<ClientSocket>;
}): Promise<Visit> {
  const doctor = await login(o.api, 'doctor@demo.test');
  const m = await createMeeting(o.api, doctor.token, o.appointmentId);
  const base = { roomId: m.roomId, doctorId: doctor.user.id, patientId: m.meeting.patientId };
  const doc = await o.connectDoctor(doctor.token);
  const joined = await emitAck(doc, 'join-room', doctorJoin(base));
  if (!joined.ok) throw new Error(`doctor join: ${JSON.stringify(joined)}`);
  const pat = await o.connectPatient(m.patientToken);
  const waiting = next<{ socketId: string }[]>(doc, 'waiting-room', (l) =>
    l.some((w) => w.socketId === pat.id),
  );
  const w = await emitAck(pat, 'join-room', patientJoin(base));
  if (!w.ok) throw new Error(`patient join: ${JSON.stringify(w)}`);
  await waiting;
  const users = next<RoomUser[]>(pat, 'room-users');
  const admitted = await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: pat.id });
  if (!admitted.ok) throw new Error(`admit: ${JSON.stringify(admitted)}`);
  await users;
  return { ...base, doctorToken: doctor.token, patientToken: m.patientToken, doc, pat };
}

/**
 * Offer from `from` to `to`, the answer back, a candidate each way: resolves once all arrived,
 * each carrying its sender's socket id (so a renegotiation after a reconnect reaches the new
 * socket, not a ghost).
 */
export async function negotiate(
  roomId: string,
  from: ClientSocket,
  to: ClientSocket,
  timeoutMs = 5000,
): Promise<void> {
  const offer = next<{ offer: unknown; socketId: string }>(to, 'offer', undefined, timeoutMs);
  const sent = await emitAck(
    from,
    'offer',
    { roomId, offer: SAMPLE_OFFER, targetSocketId: to.id },
    timeoutMs,
  );
  if (!sent.ok) throw new Error(`offer refused: ${JSON.stringify(sent)}`);
  const o = await offer;
  if (o.socketId !== from.id) throw new Error('offer from the wrong socket');
  const answer = next<{ socketId: string }>(from, 'answer', undefined, timeoutMs);
  const back = await emitAck(
    to,
    'answer',
    { roomId, answer: SAMPLE_ANSWER, targetSocketId: from.id },
    timeoutMs,
  );
  if (!back.ok) throw new Error(`answer refused: ${JSON.stringify(back)}`);
  if ((await answer).socketId !== to.id) throw new Error('answer from the wrong socket');
  const ice = next<{ socketId: string }>(from, 'ice-candidate', undefined, timeoutMs);
  const c = await emitAck(
    to,
    'ice-candidate',
    { roomId, candidate: SAMPLE_CANDIDATE, targetSocketId: from.id },
    timeoutMs,
  );
  if (!c.ok) throw new Error(`candidate refused: ${JSON.stringify(c)}`);
  await ice;
}

/** A chat line from `from`, seen by `to`. */
export async function chat(
  roomId: string,
  from: ClientSocket,
  to: ClientSocket,
  message: string,
  who: { userName: string; userType: 'doctor' | 'patient' },
): Promise<void> {
  const seen = next<{ message: string }>(to, 'chat-message', (m) => m.message === message);
  const r = await emitAck(from, 'chat-message', { roomId, message, ...who });
  if (!r.ok) throw new Error(`chat refused: ${JSON.stringify(r)}`);
  await seen;
}
