// Node: file modes for what the service keeps on disk. The data folder holds patient names,
// password hashes and the audit trail: only the service's own user may read it.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { createLogger } from '../logging/index.js';

const log = createLogger('store');

/** Creates `dir` as 0700, or tightens an existing one the service owns. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
}

/**
 * Creates `file` empty as 0600 if missing, else tightens it. SQLite gives its -wal and -shm
 * files the database file's mode, so a 0600 database keeps them 0600 too.
 */
export function ensurePrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    tighten(file, 0o600);
  }
}

function tighten(target: string, mode: number): void {
  if (process.platform === 'win32') return; // POSIX modes do not apply; NTFS ACLs do.
  const current = statSync(target).mode & 0o777;
  if ((current & ~mode) === 0) return;
  try {
    chmodSync(target, mode);
  } catch (err) {
    // Not ours (a mounted volume, another owner): say so rather than refuse to start.
    log.warn(
      { target, mode: current.toString(8), code: (err as NodeJS.ErrnoException).code },
      'could not restrict permissions',
    );
  }
}
