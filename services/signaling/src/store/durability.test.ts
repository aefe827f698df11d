// Kill -9 during writes: the real service process takes 1,000 concurrent writes (meetings
// created over HTTP, doctors joining rooms over Socket.io, each answered only once stored), is
// killed with SIGKILL while they are in flight, and every write it acknowledged must be there
// after a restart. This is what SQLite's synchronous=NORMAL in WAL mode promises for a process
// crash (see docs/resilience.md); a power cut is a different promise, not tested here.
import http from 'node:http';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Meeting } from '@bedside/shared';
import {
  api,
  closeAllSockets,
  connect,
  createMeeting,
  login,
  tempDir,
  type ClientSocket,
  joinAsDoctor,
} from '../testing/harness.js';
import {
  newJwtSecret,
  startServiceProcess,
  type ServiceProcess,
} from '../testing/serviceProcess.js';

const HTTP_WRITES = 900;
const SOCKET_WRITES = 100;
/** Killed once this many writes were acknowledged: most of the rest are in flight. */
const KILL_AFTER_ACKS = 300;

const running = new Set<ServiceProcess>();
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  closeAllSockets();
  for (const p of running) await p.kill();
  running.clear();
  for (const d of dirs.splice(0)) d.remove();
});

/** POST with a bounded connection pool (1,000 simultaneous connects would overflow the backlog). */
function post(agent: http.Agent, url: string, token: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

it('finds every acknowledged write after a kill -9 in the middle of 1,000', async () => {
  const data = tempDir('bedside-durability-');
  dirs.push(data);
  const jwtSecret = newJwtSecret();
  // One doctor holds a socket per room here, far past the per-sign-in cap a clinic needs.
  const first = await startServiceProcess({
    dataDir: data.dir,
    jwtSecret,
    env: { MAX_SOCKETS_PER_PRINCIPAL: String(SOCKET_WRITES) },
  });
  running.add(first);
  const doctor = await login(first.url, 'doctor@demo.test');

  // Rooms for the socket writes, and one connected doctor socket per room.
  const rooms: string[] = [];
  for (let i = 0; i < SOCKET_WRITES; i++) {
    rooms.push((await createMeeting(first.url, doctor.token, `durable-room-${i}`)).roomId);
  }
  const sockets: ClientSocket[] = await Promise.all(
    rooms.map(() => connect(first.url, { token: doctor.token })),
  );

  const acked = { created: [] as string[], joined: [] as string[] };
  let acks = 0;
  let killed: Promise<void> | null = null;
  const ack = () => {
    if (++acks === KILL_AFTER_ACKS) killed = first.kill();
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
  const scheduledTime = new Date().toISOString();
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < HTTP_WRITES + SOCKET_WRITES; i++) {
    // Interleaved, so both kinds are in flight when the kill lands.
    if (i % 10 === 9) {
      const k = (i - 9) / 10;
      const roomId = rooms[k]!;
      writes.push(
        joinAsDoctor(sockets[k]!, doctor, roomId).then((r) => {
          if (r.ok) {
            acked.joined.push(roomId);
            ack();
          }
        }),
      );
    } else {
      const appointmentId = `durable-${i}`;
      writes.push(
        post(agent, `${first.url}/api/meetings`, doctor.token, {
          appointmentId,
          scheduledTime,
        }).then((status) => {
          if (status === 201) {
            acked.created.push(appointmentId);
            ack();
          }
        }),
      );
    }
  }
  await Promise.allSettled(writes);
  agent.destroy();
  closeAllSockets();
  expect(killed, 'the service should have been killed mid-run').not.toBeNull();
  await killed;
  running.delete(first);
  const total = acked.created.length + acked.joined.length;
  // Killed in the middle: some writes were acknowledged, some never were.
  expect(total).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
  expect(total).toBeLessThan(HTTP_WRITES + SOCKET_WRITES);
  console.log(
    `kill -9 after ${KILL_AFTER_ACKS} acks: ${acked.created.length} creates and ${acked.joined.length} joins acknowledged of ${HTTP_WRITES + SOCKET_WRITES}`,
  );

  // The file is sound, then the restarted service has every acknowledged write.
  const db = new Database(join(data.dir, 'bedside.db'));
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
  const second = await startServiceProcess({ dataDir: data.dir, jwtSecret });
  running.add(second);
  const { token } = await login(second.url, 'doctor@demo.test');
  const missing: string[] = [];
  for (const id of acked.created) {
    const r = await api(second.url, 'GET', `/api/meetings/room-${id}`, { token });
    if (r.status !== 200) missing.push(id);
  }
  for (const roomId of acked.joined) {
    const r = await api(second.url, 'GET', `/api/meetings/${roomId}`, { token });
    const m = r.body as Meeting;
    if (!m.participants?.some((p) => p.userId === doctor.user.id)) missing.push(roomId);
  }
  expect(missing).toEqual([]);
}, 120_000);
