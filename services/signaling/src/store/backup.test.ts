// The embedded store's backup as docs/operations.md gives it, run for real: `sqlite3 … ".backup"`
// against the file of a running service (WAL mode, writes in flight), then the copy restored
// into a fresh data directory and opened by the store. Needs the sqlite3 command-line tool.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting, login, startTestService, tempDir } from '../testing/harness.js';
import { openStore } from './index.js';

const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;

describe.skipIf(!hasSqlite3)(
  'backup of the embedded store (needs sqlite3: apt-get install sqlite3)',
  () => {
    const backups = tempDir('bedside-backup-');
    let service: Awaited<ReturnType<typeof startTestService>>;
    let doctor: string;

    beforeAll(async () => {
      service = await startTestService();
      doctor = (await login(service.url, 'doctor@demo.test')).token;
    });
    afterAll(async () => {
      await service?.close();
      backups.remove();
    });

    it('an online .backup of a running service restores every meeting', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `backup-${i}`);
      for (const id of ids.slice(0, 10)) await createMeeting(service.url, doctor, id);
      // Writes keep coming while the backup runs, as in a clinic.
      const writing = (async () => {
        for (const id of ids.slice(10)) await createMeeting(service.url, doctor, id);
      })();
      const file = path.join(backups.dir, 'bedside-backup.db');
      const db = path.join(service.dataDir, 'bedside.db');
      const result = spawnSync('sqlite3', [db, `.backup '${file}'`], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      await writing;
      const check = spawnSync('sqlite3', [file, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
      expect(check.stdout.trim()).toBe('ok');

      // Restore: the copy becomes bedside.db of a new data directory (no -wal / -shm beside it).
      const restored = path.join(backups.dir, 'restored');
      mkdirSync(restored);
      copyFileSync(file, path.join(restored, 'bedside.db'));
      expect(existsSync(path.join(restored, 'bedside.db-wal'))).toBe(false);
      const store = await openStore({ dataDir: restored });
      try {
        for (const id of ids.slice(0, 10)) {
          expect((await store.getMeeting(`room-${id}`))?.appointmentId).toBe(id);
        }
        expect(await store.getUserByEmail('doctor@demo.test')).not.toBeNull();
      } finally {
        await store.close();
      }
    });
  },
);
