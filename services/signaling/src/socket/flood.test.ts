// Node: a socket that floods the service with events (issue 13) is disconnected, logged once —
// not once per event it had already sent — and the log line carries no patient data. The real
// service runs as its own process so its log output (JSON on stdout) is what is read.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  closeAllSockets,
  connect,
  createMeeting,
  emitAck,
  joinAsDoctor,
  login,
  next,
  rawEmit,
  sleep,
  tempDir,
} from '../testing/harness.js';
import {
  newJwtSecret,
  startServiceProcess,
  type ServiceProcess,
} from '../testing/serviceProcess.js';

const PATIENT_NAME = 'Floriana Quackenbush';
const CHAT_TEXT = 'my-chest-pain-started-tuesday';
const CANDIDATE = 'candidate:9 1 udp 2122260223 192.0.2.77 61111 typ host';
const FLOOD_MSG = '"msg":"event flood; disconnecting"';

const data = tempDir('bedside-flood-');
let service: ServiceProcess;

beforeAll(async () => {
  service = await startServiceProcess({ dataDir: data.dir, jwtSecret: newJwtSecret() });
});
afterAll(async () => {
  closeAllSockets();
  await service?.stop();
  data.remove();
});

it('disconnects a flooding socket, logs it once, and logs no patient data', async () => {
  const doctor = await login(service.url, 'doctor@demo.test');
  const m = await createMeeting(service.url, doctor.token, 'flood-1', {
    patientName: PATIENT_NAME,
  });
  const doc = await connect(service.url, { token: doctor.token });
  expect((await joinAsDoctor(doc, doctor, m.roomId)).ok).toBe(true);
  const pat = await connect(service.url, { token: m.patientToken });
  await emitAck(pat, 'join-room', {
    roomId: m.roomId,
    userId: m.meeting.patientId,
    userType: 'patient',
    userName: PATIENT_NAME,
  });
  const admitted = next(pat, 'admitted');
  expect((await emitAck(doc, 'admit-patient', { roomId: m.roomId, socketId: pat.id })).ok).toBe(
    true,
  );
  await admitted;

  // Far more than the flood threshold (~100 allowed + ~200 refused), all sent at once, so many
  // are still queued on the server when it gives up on the socket.
  const gone = new Promise<string>((resolve) => pat.once('disconnect', resolve));
  for (let i = 0; i < 2000 && pat.connected; i++) {
    if (i % 2 === 0)
      rawEmit(pat, 'chat-message', {
        roomId: m.roomId,
        message: CHAT_TEXT,
        userName: PATIENT_NAME,
        userType: 'patient',
      });
    else
      rawEmit(pat, 'ice-candidate', {
        roomId: m.roomId,
        candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 },
        targetSocketId: doc.id,
      });
  }
  expect(await gone).toBe('io server disconnect');
  expect(doc.connected).toBe(true);

  // The line is written by another process: wait for it, then give any duplicate time to follow.
  for (let i = 0; i < 100 && !service.output().includes(FLOOD_MSG); i++) await sleep(50);
  await sleep(500);
  const lines = service
    .output()
    .split('\n')
    .filter((l) => l.includes(FLOOD_MSG));
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(line).toMatchObject({ level: 'warn', socketId: expect.any(String) });

  // Nothing the patient is or said reached the log: not in the flood line, not anywhere.
  const secrets = [PATIENT_NAME, CHAT_TEXT, '192.0.2.77', m.patientToken, doctor.token];
  for (const secret of secrets) {
    expect(lines[0]).not.toContain(secret);
    expect(service.output()).not.toContain(secret);
  }
}, 90_000);
