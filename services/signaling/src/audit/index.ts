// Node: the audit trail. Entries say who did what to which room, when; never names, tokens,
// SDP or chat text. A failed write is logged and never fails the action it records.
import type { AuditEntry, MeetingStore } from '../store/types.js';
import { createLogger, errorFields } from '../logging/index.js';

export type AuditInput = Omit<AuditEntry, 'at'> & { at?: string };

export interface Audit {
  record(entry: AuditInput): Promise<void>;
}

const log = createLogger('audit');

export function createAudit(store: MeetingStore): Audit {
  return {
    async record(entry) {
      try {
        await store.appendAudit({ ...entry, at: entry.at ?? new Date().toISOString() });
      } catch (err) {
        log.error(
          { ...errorFields(err), action: entry.action, roomId: entry.roomId },
          'audit write failed',
        );
      }
    },
  };
}
