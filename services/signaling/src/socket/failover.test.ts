// Several instances for real: three service processes sharing Redis and one store, behind a real
// nginx running deploy/nginx/bedside.conf (TLS, WebSocket upgrade, sticky hashing, max_fails /
// fail_timeout, next-upstream). The doctor and the patient reach different instances through
// nginx; the doctor's instance is killed with -9 mid-call; the doctor's client reconnects by
// itself through nginx to a survivor, rejoins, and signaling goes on end to end (a renegotiation
// — what an ICE restart sends — both ways, and chat); the meeting record stays one visit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting, RoomUser } from '@bedside/shared';
import {
  addressesByUpstream,
  closeClients,
  clusterDataDir,
  connectVia,
  freePort,
  httpsGet,
  metric,
  missingTools,
  newSecret,
  readyz,
  startInstance,
  startNginx,
  startRedis,
  stopAll,
  type Instance,
  type Nginx,
} from '../testing/cluster.js';
import { api, emitAck, next } from '../testing/harness.js';
import { chat, doctorJoin, negotiate, startVisit } from '../testing/visit.js';

const missing = missingTools({ nginx: true });
if (missing) console.warn(`skipping the nginx failover test: install ${missing}`);

describe.skipIf(missing !== null)('failover between instances behind nginx', () => {
  let instances: Instance[];
  let lb: Nginx;

  beforeAll(async () => {
    const redis = await startRedis();
    const lbPort = await freePort();
    const o = {
      redisUrl: redis.url,
      dataDir: clusterDataDir(),
      jwtSecret: newSecret(),
      publicUrl: `https://127.0.0.1:${lbPort}`,
      // Beats every second, so a dead instance is declared dead (3 missed beats) within the test.
      env: { HEARTBEAT_SECONDS: '1' },
    };
    instances = [];
    for (const name of ['a', 'b', 'c']) instances.push(await startInstance(name, o));
    lb = await startNginx(
      instances.map((i) => i.port),
      lbPort,
    );
  });
  afterAll(async () => {
    closeClients();
    await stopAll();
  });

  it('a call split across instances survives kill -9 of the doctor’s instance', async () => {
    const [a, b] = instances as [Instance, Instance, Instance];
    // Where nginx sends each loopback address: the doctor comes from one that lands on A, the
    // patient from one that lands on B.
    const byPort = await addressesByUpstream(lb, [a.port, b.port]);
    const doctorAddr = byPort.get(a.port)?.[0];
    const patientAddr = byPort.get(b.port)?.[0];
    expect(doctorAddr && patientAddr, 'no loopback address hashed to A or B').toBeTruthy();

    const v = await startVisit({
      api: b.url,
      appointmentId: 'failover-1',
      connectDoctor: (token) => connectVia(lb, { token }, doctorAddr!),
      connectPatient: (token) => connectVia(lb, { token }, patientAddr!),
    });
    // Really on different instances.
    expect(await metric(a.url, 'bedside_socket_connected')).toBe(1);
    expect(await metric(b.url, 'bedside_socket_connected')).toBe(1);
    await negotiate(v.roomId, v.doc, v.pat);
    await chat(v.roomId, v.pat, v.doc, 'hello across', { userName: 'Pat', userType: 'patient' });
    const meeting = async () =>
      (await api(b.url, 'GET', `/api/meetings/${v.roomId}`, { token: v.doctorToken }))
        .body as Meeting;
    const before = await meeting();
    expect(before).toMatchObject({ status: 'active' });
    const startTime = before.startTime;
    expect(startTime).not.toBeNull();

    // The doctor's client does what the call engine does on every (re)connect: join the room.
    const oldDoctorId = v.doc.id;
    const reconnected = new Promise<void>((resolve) => v.doc.io.once('reconnect', () => resolve()));
    const killedAt = new Date().toISOString();
    await a.kill();
    await reconnected;
    expect(v.doc.id).not.toBe(oldDoctorId);
    // nginx now sends the doctor's address to a survivor.
    const after = await httpsGet(lb.url, '/healthz', { ca: lb.ca, localAddress: doctorAddr! });
    expect(after.status).toBe(200);
    expect(after.upstream).not.toBe(`127.0.0.1:${a.port}`);

    const userJoined = next<RoomUser>(v.pat, 'user-joined', (u) => u.socketId === v.doc.id);
    const rejoin = await emitAck<{ status: string }>(v.doc, 'join-room', doctorJoin(v));
    expect(rejoin).toMatchObject({ ok: true, data: { status: 'joined' } });
    expect((await userJoined).userType).toBe('doctor');
    // The member still in the room (the patient) offers to the newcomer: the renegotiation an
    // ICE restart makes, relayed end to end through the survivors; then the other way round.
    await negotiate(v.roomId, v.pat, v.doc);
    await negotiate(v.roomId, v.doc, v.pat);
    await chat(v.roomId, v.doc, v.pat, 'still with you', {
      userName: 'Dr. Demo',
      userType: 'doctor',
    });
    await chat(v.roomId, v.pat, v.doc, 'me too', { userName: 'Pat', userType: 'patient' });
    for (const i of instances.slice(1)) expect(await readyz(i.url)).toBe(200);

    // The record: still the same active visit, started when it started; the doctor's reconnect
    // shows as a second entry, opened after the kill.
    const mid = await meeting();
    expect(mid).toMatchObject({ status: 'active', startTime });
    const doctorEntries = mid.participants.filter((p) => p.userType === 'doctor');
    const patientEntries = mid.participants.filter((p) => p.userType === 'patient');
    expect(doctorEntries).toHaveLength(2);
    expect(patientEntries).toHaveLength(1);
    expect(patientEntries[0]!.leftAt).toBeNull();
    expect(doctorEntries[1]!.joinedAt >= killedAt).toBe(true);
    expect(doctorEntries[1]!.leftAt).toBeNull();

    // The entry opened through the killed instance is closed by a survivor at A's last
    // heartbeat: at most one beat (plus clock granularity) before the kill, never after it.
    let closed: string | null = null;
    for (let i = 0; i < 40 && closed === null; i++) {
      closed = (await meeting()).participants.filter((p) => p.userType === 'doctor')[0]!.leftAt;
      if (closed === null) await new Promise((r) => setTimeout(r, 250));
    }
    expect(closed, 'the dead instance’s entry was never closed').not.toBeNull();
    expect(closed! <= killedAt).toBe(true);
    expect(Date.parse(killedAt) - Date.parse(closed!)).toBeLessThanOrEqual(2_000);

    // The doctor ends the visit from the survivor; the patient on B hears of it.
    const ended = next<{ reason: string }>(v.pat, 'call-ended');
    expect(await emitAck(v.doc, 'end-call', { roomId: v.roomId })).toEqual({
      ok: true,
      data: null,
    });
    expect(await ended).toMatchObject({ reason: 'ended-by-doctor' });
    const done = await meeting();
    expect(done.status).toBe('completed');
    expect(done.startTime).toBe(startTime);
    expect(done.duration).toBe(
      Math.floor((Date.parse(done.endTime!) - Date.parse(startTime!)) / 1000),
    );
    expect(done.participants.every((p) => p.leftAt !== null)).toBe(true);
  });
});
