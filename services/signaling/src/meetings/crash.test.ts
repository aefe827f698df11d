// Crash recovery with real processes: the service runs as its own process (the production
// entry point), real Socket.io clients hold a call, and the service is killed with SIGKILL —
// no shutdown code runs. After a restart on the same data directory the visit's record must be
// right: entries closed at the dead instance's last heartbeat, the visit completed by the
// abandoned-call sweeper with the duration the call really had (exact to one heartbeat).
import { afterEach, describe, expect, it } from 'vitest';
import type { Meeting } from '@bedside/shared';
import { openSqliteStore } from '../store/sqliteStore.js';
import {
  api,
  closeAllSockets,
  createMeeting,
  emitAck,
  login,
  next,
  sleep,
  tempDir,
} from '../testing/harness.js';
import { joinAndAdmit } from '../testing/visit.js';
import {
  newJwtSecret,
  startServiceProcess,
  type ServiceProcess,
} from '../testing/serviceProcess.js';

const ENV = { HEARTBEAT_SECONDS: '1', ABANDON_GRACE_SECONDS: '2' };

const running = new Set<ServiceProcess>();
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  closeAllSockets();
  for (const p of running) await p.kill();
  running.clear();
  for (const d of dirs.splice(0)) d.remove();
});

async function start(dataDir: string, jwtSecret: string) {
  const p = await startServiceProcess({ dataDir, jwtSecret, env: ENV });
  running.add(p);
  return p;
}

async function crash(p: ServiceProcess) {
  await p.kill();
  running.delete(p);
}

interface Call {
  roomId: string;
  doctorToken: string;
  patientToken: string;
  doctorId: string;
  patientId: string;
}

/** Both join through `base`; the patient is admitted if they wait. */
const joinCall = (base: string, call: Call) =>
  joinAndAdmit({ doctorBase: base, patientBase: base, visit: call });

async function newCall(base: string, appointmentId: string): Promise<Call> {
  const doctor = await login(base, 'doctor@demo.test');
  const m = await createMeeting(base, doctor.token, appointmentId);
  return {
    roomId: m.roomId,
    doctorToken: doctor.token,
    patientToken: m.patientToken,
    doctorId: doctor.user.id,
    patientId: m.meeting.patientId,
  };
}

async function meetingOf(base: string, call: Call): Promise<Meeting> {
  const r = await api(base, 'GET', `/api/meetings/${call.roomId}`, { token: call.doctorToken });
  if (r.status !== 200) throw new Error(`GET meeting: ${r.status}`);
  return r.body as Meeting;
}

async function until(
  read: () => Promise<Meeting>,
  pred: (m: Meeting) => boolean,
  what: string,
  ms = 30_000,
): Promise<Meeting> {
  const end = Date.now() + ms;
  for (;;) {
    const m = await read();
    if (pred(m)) return m;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(m)}`);
    await sleep(200);
  }
}

/** The dead instance's last heartbeat, read from the store file while no service runs. */
async function lastBeatOf(dataDir: string, instanceId: string): Promise<string> {
  const store = await openSqliteStore({ dataDir });
  try {
    const beats = await store.staleInstances('9999-01-01T00:00:00.000Z');
    const beat = beats.find((b) => b.instanceId === instanceId);
    if (!beat) throw new Error(`no heartbeat stored for ${instanceId}`);
    return beat.lastBeat;
  } finally {
    await store.close();
  }
}

describe('crash (kill -9) on one instance', () => {
  it('completes a visit nobody came back to, ending at the last heartbeat', async () => {
    const data = tempDir('bedside-crash-');
    dirs.push(data);
    const secret = newJwtSecret();
    const first = await start(data.dir, secret);
    const call = await newCall(first.url, 'crash-1');
    await joinCall(first.url, call);
    const active = await until(
      () => meetingOf(first.url, call),
      (m) => m.status === 'active',
      'active',
    );
    // A couple of heartbeats into the call.
    await sleep(2500);

    await crash(first);
    closeAllSockets();
    const lastBeat = await lastBeatOf(data.dir, first.instanceId);
    expect(lastBeat > active.startTime!).toBe(true);
    // Before the restart the record is what the issue saw: open entries, still active.
    const store = await openSqliteStore({ dataDir: data.dir });
    const before = await store.getMeeting(call.roomId);
    await store.close();
    expect(before!.status).toBe('active');
    expect(before!.participants.every((p) => p.leftAt === null)).toBe(true);

    const second = await start(data.dir, secret);
    const done = await until(
      () => meetingOf(second.url, call),
      (m) => m.status === 'completed',
      'the sweeper to complete the visit',
    );
    expect(done.endTime).toBe(lastBeat);
    expect(done.participants).toHaveLength(2);
    for (const p of done.participants) expect(p.leftAt).toBe(lastBeat);
    expect(done.duration).toBe(
      Math.floor((Date.parse(lastBeat) - Date.parse(done.startTime!)) / 1000),
    );
    expect(done.startTime).toBe(active.startTime);

    await second.stop();
    running.delete(second);
    const after = await openSqliteStore({ dataDir: data.dir });
    try {
      const audit = await after.listAudit({ roomId: call.roomId });
      expect(audit.map((a) => a.action)).toContain('meeting.complete-abandoned');
      // The dead instance is forgotten; the second one forgot itself when it stopped.
      expect(await after.staleInstances('9999-01-01T00:00:00.000Z')).toEqual([]);
    } finally {
      await after.close();
    }
  }, 90_000);

  it('keeps a visit whose people rejoined: old entries closed at the last beat, new ones open', async () => {
    const data = tempDir('bedside-crash-');
    dirs.push(data);
    const secret = newJwtSecret();
    const first = await start(data.dir, secret);
    const call = await newCall(first.url, 'crash-2');
    await joinCall(first.url, call);
    const active = await until(
      () => meetingOf(first.url, call),
      (m) => m.status === 'active',
      'active',
    );
    await sleep(1500);
    await crash(first);
    closeAllSockets();
    const lastBeat = await lastBeatOf(data.dir, first.instanceId);

    const second = await start(data.dir, secret);
    // Both come back, as the apps do by themselves (the patient goes straight back in).
    const { doc } = await joinCall(second.url, call);
    const closed = await until(
      () => meetingOf(second.url, call),
      (m) => m.participants.slice(0, 2).every((p) => p.leftAt !== null),
      'the dead instance’s entries to close',
    );
    expect(closed.participants.map((p) => p.leftAt)).toEqual([lastBeat, lastBeat, null, null]);
    // Past the grace period, with people in the call: not abandoned.
    await sleep(3500);
    expect((await meetingOf(second.url, call)).status).toBe('active');

    const ended = next<{ duration: number | null }>(doc, 'call-ended');
    const r = await emitAck(doc, 'end-call', { roomId: call.roomId });
    expect(r.ok).toBe(true);
    await ended;
    const done = await meetingOf(second.url, call);
    expect(done.status).toBe('completed');
    expect(done.startTime).toBe(active.startTime);
    expect(done.participants.map((p) => p.leftAt)).toEqual([
      lastBeat,
      lastBeat,
      done.endTime,
      done.endTime,
    ]);
    expect(done.duration).toBe(
      Math.floor((Date.parse(done.endTime!) - Date.parse(done.startTime!)) / 1000),
    );
  }, 90_000);
});
