// Node: one export, whatever asked for it (REST route or CLI): meetings streamed from the
// store → rows → CSV or JSON → the destination, with backpressure end to end, then one
// audit entry saying who exported which range and how many rows.
import { pipeline } from 'node:stream/promises';
import type { CallDurationRow, Meeting } from '@bedside/shared';
import type { AuditEntry, MeetingStore } from '../store/types.js';
import { meetingToRow, type ResolvedReport, type RowContext } from './compute.js';
import { csvChunks } from './csv.js';
import { jsonChunks } from './json.js';

export type ReportFormat = 'csv' | 'json';

export interface ExportActor {
  actorId: string;
  actorRole: AuditEntry['actorRole'];
}

export interface ExportRequest {
  store: MeetingStore;
  report: ResolvedReport;
  format: ReportFormat;
  /** Epoch ms: live meetings are counted up to here; also the audit entry's time. */
  now: number;
  actor: ExportActor;
  sink: NodeJS.WritableStream;
  /** Leave the sink open afterwards (process.stdout must never be ended). Default: end it. */
  keepOpen?: boolean;
  /** Called with the running byte count as chunks leave. */
  onBytes?: (bytes: number) => void;
}

export interface ExportResult {
  rows: number;
  bytes: number;
}

/** userId → display name, for the doctorName column. */
export async function doctorNames(store: MeetingStore): Promise<Map<string, string>> {
  const users = await store.listUsers();
  return new Map(users.map((u) => [u.id, u.displayName]));
}

/**
 * Streams the report into `sink` and audits it. The audit entry is written whether the
 * export finished or not (a half-sent report still showed data); `completed` tells which.
 * Rejects with the stream's error after auditing.
 */
export async function exportReport(req: ExportRequest): Promise<ExportResult> {
  const { store, report, format, now, actor } = req;
  const result: ExportResult = { rows: 0, bytes: 0 };
  let completed = false;
  try {
    const ctx: RowContext = { zone: report.zone, now, doctorNames: await doctorNames(store) };
    // One generator layer per row, not two: the row is made inside the chunk encoder.
    const toRow = (meeting: Meeting): CallDurationRow => {
      result.rows++;
      return meetingToRow(meeting, ctx);
    };
    const meetings = store.streamMeetings(report.storeQuery);
    const chunks =
      format === 'csv'
        ? csvChunks(meetings, toRow)
        : jsonChunks(meetings, toRow, {
            timeZone: report.zone.timeZone,
            from: report.from,
            to: report.to,
          });
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of chunks) {
        result.bytes += chunk.length;
        req.onBytes?.(result.bytes);
        yield chunk;
      }
    }
    await pipeline(counted(), req.sink, { end: !req.keepOpen });
    completed = true;
    return result;
  } finally {
    await store.appendAudit({
      at: new Date(now).toISOString(),
      actorId: actor.actorId,
      actorRole: actor.actorRole,
      action: 'report.export',
      detail: {
        from: report.from,
        to: report.to,
        tz: report.zone.timeZone,
        doctorId: report.storeQuery.doctorId ?? null,
        status: report.storeQuery.status ?? null,
        format,
        rows: result.rows,
        bytes: result.bytes,
        completed,
      },
    });
  }
}
