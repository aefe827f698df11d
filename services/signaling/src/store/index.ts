// Node: picks the meeting store. MongoDB when a URI is configured (production, several
// instances); otherwise the embedded SQLite file in dataDir, so `npm start` needs no server.
import type { MeetingStore } from './types.js';

export type {
  AuditEntry,
  InstanceBeat,
  MeetingQuery,
  MeetingStore,
  NewMeeting,
  Page,
  StoredUser,
} from './types.js';
export { StoreError, isStoreError, type StoreErrorCode } from './errors.js';

export interface OpenStoreOptions {
  mongodbUri?: string;
  dataDir: string;
  /** The embedded store's durability level (see SqliteStoreOptions). */
  sqliteSynchronous?: 'normal' | 'full';
}

export async function openStore(opts: OpenStoreOptions): Promise<MeetingStore> {
  // Imported on demand: the unused adapter's driver (mongoose, or the native SQLite addon)
  // is never loaded.
  if (opts.mongodbUri) {
    const { openMongoStore } = await import('./mongoStore.js');
    return openMongoStore({ uri: opts.mongodbUri });
  }
  const { openSqliteStore } = await import('./sqliteStore.js');
  return openSqliteStore({
    dataDir: opts.dataDir,
    ...(opts.sqliteSynchronous ? { synchronous: opts.sqliteSynchronous } : {}),
  });
}
