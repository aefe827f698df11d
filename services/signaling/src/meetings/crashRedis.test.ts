// Crash recovery across instances: two real service processes share one Redis (real
// redis-server, no persistence) and one store; instance A is killed with SIGKILL mid-call and
// B, still running, notices A's heartbeat stop. A's participants entries close at A's last
// heartbeat; a visit nobody returns to is completed by B with the right duration, and a visit
// whose patient is on B stays active until the patient leaves.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '@bedside/shared';
import { openSqliteStore } from '../store/sqliteStore.js';
import { api, closeAllSockets, createMeeting, login, sleep, tempDir } from '../testing/harness.js';
import {
  freePort,
  newJwtSecret,
  startServiceProcess,
  type ServiceProcess,
} from '../testing/serviceProcess.js';
import { joinAndAdmit } from '../testing/visit.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis)
  console.warn(
    'skipping the two-instance crash test: install redis-server (apt-get install redis-server)',
  );

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

describe.skipIf(!hasRedis)('crash (kill -9) of one of two instances sharing Redis', () => {
  const data = tempDir('bedside-crash-redis-');
  const secret = newJwtSecret();
  let redis: ChildProcess | null = null;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const env = {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      HEARTBEAT_SECONDS: '1',
      ABANDON_GRACE_SECONDS: '2',
    };
    // redis-server takes a moment to listen; the service refuses to start without it.
    for (let i = 0; ; i++) {
      try {
        a = await startServiceProcess({ dataDir: data.dir, jwtSecret: secret, env });
        break;
      } catch (err) {
        if (i > 20) throw err;
        await sleep(250);
      }
    }
    b = await startServiceProcess({ dataDir: data.dir, jwtSecret: secret, env });
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await a?.kill();
    await b?.stop();
    redis?.kill('SIGTERM');
    data.remove();
  });

  it("closes the dead instance's entries at its last heartbeat; the survivor completes what nobody returned to", async () => {
    const doctor = await login(b.url, 'doctor@demo.test');
    const meetingOf = async (roomId: string) => {
      const r = await api(b.url, 'GET', `/api/meetings/${roomId}`, { token: doctor.token });
      return r.body as Meeting;
    };
    /** Doctor through `docBase`, patient through `patBase`, admitted across instances if need be. */
    const call = async (appointmentId: string, docBase: string, patBase: string) => {
      const m = await createMeeting(b.url, doctor.token, appointmentId);
      const { pat } = await joinAndAdmit({
        doctorBase: docBase,
        patientBase: patBase,
        visit: {
          roomId: m.roomId,
          doctorId: doctor.user.id,
          doctorToken: doctor.token,
          patientId: m.meeting.patientId,
          patientToken: m.patientToken,
        },
      });
      await until(
        () => meetingOf(m.roomId),
        (x) => x.status === 'active',
        'active',
      );
      return { roomId: m.roomId, pat };
    };

    const both = await call('crash-redis-both', a.url, a.url);
    const split = await call('crash-redis-split', a.url, b.url);
    await sleep(2500);

    await a.kill();
    // Read at once: B forgets A once it has closed A's entries (three missed beats from now).
    const store = await openSqliteStore({ dataDir: data.dir });
    const beats = await store.staleInstances('9999-01-01T00:00:00.000Z');
    await store.close();
    const lastBeat = beats.find((x) => x.instanceId === a.instanceId)?.lastBeat;
    expect(lastBeat, 'A’s last heartbeat in the store').toBeDefined();

    const done = await until(
      () => meetingOf(both.roomId),
      (m) => m.status === 'completed',
      'B to complete the visit held by A',
    );
    expect(done.endTime).toBe(lastBeat);
    expect(lastBeat! > done.startTime!).toBe(true);
    for (const p of done.participants) expect(p.leftAt).toBe(lastBeat);
    expect(done.duration).toBe(
      Math.floor((Date.parse(lastBeat!) - Date.parse(done.startTime!)) / 1000),
    );

    // The patient on B is still in the call: only the doctor's entry (through A) closed.
    let m = await meetingOf(split.roomId);
    expect(m.status).toBe('active');
    expect(m.participants.map((p) => [p.userType, p.leftAt])).toEqual([
      ['doctor', lastBeat],
      ['patient', null],
    ]);
    split.pat.disconnect();
    m = await until(
      () => meetingOf(split.roomId),
      (x) => x.status === 'completed',
      'the split visit to complete once the patient left',
    );
    const patientLeft = m.participants[1]!.leftAt!;
    expect(patientLeft > lastBeat!).toBe(true);
    expect(m.endTime).toBe(patientLeft);
  }, 120_000);
});
