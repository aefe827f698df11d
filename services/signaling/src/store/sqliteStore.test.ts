import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runStoreContract } from './contract.js';
import { openStore } from './index.js';
import { SqliteMeetingStore, openSqliteStore } from './sqliteStore.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'bedside-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

runStoreContract('sqlite', () => openSqliteStore({ dataDir: tempDir() }));

describe('SqliteMeetingStore', () => {
  it('is what openStore picks without a MongoDB URI, at ${dataDir}/bedside.db', async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: join(dir, 'nested', 'data') });
    try {
      expect(store).toBeInstanceOf(SqliteMeetingStore);
      expect((store as SqliteMeetingStore).path).toBe(join(dir, 'nested', 'data', 'bedside.db'));
    } finally {
      await store.close();
    }
  });

  it('opens in WAL mode with normal sync and foreign keys, schema at the latest version', async () => {
    const dir = tempDir();
    const store = await openSqliteStore({ dataDir: dir });
    await store.close();
    const db = new Database(join(dir, 'bedside.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(6);
      expect(db.pragma('page_size', { simple: true })).toBe(16384);
      // Rows are stored in scheduled-time order (exports read the file sequentially).
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM meetings WHERE (scheduled_time, appointment_id) > (?, ?)
           ORDER BY scheduled_time, appointment_id LIMIT 10`,
        )
        .all('', '') as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING PRIMARY KEY/);
      const tables = db
        .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
        .pluck()
        .all();
      expect(tables).toEqual(['audit', 'guests', 'instances', 'meetings', 'users']);
    } finally {
      db.close();
    }
    // synchronous and foreign_keys are per connection: check the store's own.
    const again = await openSqliteStore({ dataDir: dir });
    const inner = (again as unknown as { db: Database.Database }).db;
    // NORMAL: WAL commits are not fsynced one by one (see SqliteStoreOptions.synchronous).
    expect(inner.pragma('synchronous', { simple: true })).toBe(1);
    expect(inner.pragma('foreign_keys', { simple: true })).toBe(1);
    await again.close();
    const full = await openSqliteStore({ dataDir: dir, synchronous: 'full' });
    expect(
      (full as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true }),
    ).toBe(2);
    await full.close();
  });

  it('keeps everything across close and reopen of the same folder', async () => {
    const dir = tempDir();
    const first = await openSqliteStore({ dataDir: dir });
    await first.createMeeting({
      appointmentId: 'durable',
      roomId: 'room-durable',
      doctorId: 'doc-1',
      patientId: 'pat-1',
      patientName: 'Ada',
      scheduledTime: '2030-01-01T10:00:00.000Z',
    });
    await first.addParticipant('room-durable', {
      userId: 'doc-1',
      userType: 'doctor',
      joinedAt: '2030-01-01T10:00:05.000Z',
    });
    await first.markActive('room-durable', '2030-01-01T10:00:10.000Z');
    const completed = await first.markCompleted('room-durable', '2030-01-01T10:20:10.000Z');
    await first.createUser({
      id: 'u-1',
      email: 'doc@clinic.test',
      displayName: 'Doc',
      role: 'doctor',
      passwordHash: 'scrypt$x',
    });
    await first.appendAudit({
      at: '2030-01-01T10:20:10.000Z',
      actorId: 'doc-1',
      actorRole: 'doctor',
      action: 'meeting.end',
      roomId: 'room-durable',
    });
    await first.close();
    await first.close(); // idempotent

    const second = await openSqliteStore({ dataDir: dir });
    try {
      expect(await second.getMeeting('room-durable')).toEqual(completed);
      expect(completed?.duration).toBe(1200);
      expect((await second.getUserByEmail('DOC@clinic.test'))?.id).toBe('u-1');
      expect(await second.listAudit({ roomId: 'room-durable' })).toHaveLength(1);
      // A second open must not re-run migrations or duplicate anything.
      expect((await second.listMeetings({}, { page: 1, limit: 10 })).total).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('stores hostile strings as literal text in the file', async () => {
    const dir = tempDir();
    const store = await openSqliteStore({ dataDir: dir });
    const name = `Robert'); DROP TABLE meetings;-- {"$gt":""}`;
    await store.createMeeting({
      appointmentId: 'hostile',
      roomId: 'room-hostile',
      doctorId: `doc' OR '1'='1`,
      patientId: '{"$gt":""}',
      patientName: name,
      scheduledTime: '2030-01-01T10:00:00.000Z',
    });
    await store.close();
    const db = new Database(join(dir, 'bedside.db'), { readonly: true });
    try {
      const row = db
        .prepare(`SELECT doctor_id, patient_id, patient_name FROM meetings WHERE room_id = ?`)
        .get('room-hostile');
      expect(row).toEqual({
        doctor_id: `doc' OR '1'='1`,
        patient_id: '{"$gt":""}',
        patient_name: name,
      });
      expect(db.prepare(`SELECT count(*) FROM meetings`).pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('refuses to open a file written by a newer schema version', async () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'bedside.db'));
    db.pragma('user_version = 99');
    db.close();
    await expect(openSqliteStore({ dataDir: dir })).rejects.toThrow(/schema version 99/);
  });

  it('serves other calls while a stream is paused between batches', async () => {
    const store = await openSqliteStore({ dataDir: tempDir() });
    try {
      const base = Date.parse('2030-01-01T00:00:00.000Z');
      await store.bulkInsertMeetings(
        Array.from({ length: 2500 }, (_, i) => ({
          appointmentId: `m${i}`,
          roomId: `room-m${i}`,
          doctorId: 'doc-1',
          patientId: `p${i}`,
          patientName: null,
          scheduledTime: new Date(base + i * 60_000).toISOString(),
          startTime: null,
          endTime: null,
          status: 'scheduled' as const,
          participants: [],
          duration: null,
          createdAt: new Date(base).toISOString(),
          updatedAt: new Date(base).toISOString(),
        })),
      );
      let n = 0;
      for await (const m of store.streamMeetings({})) {
        // Writes and reads interleaved with an open export must work (no "connection busy").
        if (n % 700 === 0) await store.markActive(m.roomId, '2030-01-01T00:00:00.000Z');
        n++;
      }
      expect(n).toBe(2500);
      expect((await store.listMeetings({ status: 'active' }, { page: 1, limit: 10 })).total).toBe(
        4,
      );
    } finally {
      await store.close();
    }
  });
});
