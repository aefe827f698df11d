// Node: the report as CSV, one row per meeting; quoting and escaping are csv-stringify's.
import { stringify } from 'csv-stringify/sync';
import type { CallDurationRow } from '@bedside/shared';
import { ChunkWriter } from './chunks.js';

/** Header row, in order. `durationSeconds` is the JSON rows' `duration`. */
export const CSV_COLUMNS = [
  'appointmentId',
  'roomId',
  'doctorId',
  'doctorName',
  'patientId',
  'scheduledTime',
  'startTime',
  'endTime',
  'status',
  'durationSeconds',
  'doctorConnectedSeconds',
  'patientConnectedSeconds',
  'interpreterConnectedSeconds',
  'caregiverConnectedSeconds',
  'clinicianConnectedSeconds',
  'quality',
  'rttP95Ms',
  'packetLossP95',
  'poorSeconds',
  'iceRestarts',
  'relayUsed',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

// Spreadsheet formula injection (OWASP "CSV injection"): a text cell opening with = + - @ TAB
// or CR is a formula to Excel and LibreOffice — even a plain-looking id (`-1-1` evaluates to
// -2), so every such cell gets a leading apostrophe, which spreadsheets show as text.
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
export const neutralizeCell = (s: string): string => (FORMULA_TRIGGER.test(s) ? `'${s}` : s);

const text = (s: string | null): string => (s === null ? '' : neutralizeCell(s));

/** One CSV record; nulls become empty cells. Times are the rows' ISO-8601 with offset. */
export function csvRecord(row: CallDurationRow): string[] {
  return [
    text(row.appointmentId),
    text(row.roomId),
    text(row.doctorId),
    text(row.doctorName),
    text(row.patientId),
    row.scheduledTime,
    row.startTime ?? '',
    row.endTime ?? '',
    row.status,
    row.duration === null ? '' : String(row.duration),
    String(row.doctorConnectedSeconds),
    String(row.patientConnectedSeconds),
    String(row.interpreterConnectedSeconds),
    String(row.caregiverConnectedSeconds),
    String(row.clinicianConnectedSeconds),
    row.quality,
    row.rttP95Ms === null ? '' : String(row.rttP95Ms),
    row.packetLossP95 === null ? '' : String(row.packetLossP95),
    String(row.poorSeconds),
    String(row.iceRestarts),
    row.relayUsed ? 'true' : 'false',
  ];
}

const OPTIONS = { record_delimiter: '\r\n' } as const;
/** What makes csv-stringify quote a field with its default options. */
const NEEDS_QUOTING = /[",\r\n]/;
/**
 * One CSV line. csv-stringify writes every record that needs quoting or escaping; a record
 * whose fields hold none of `"`, `,`, CR or LF comes out of csv-stringify as the fields
 * joined by commas, so that is written directly — byte for byte the same (tested), at a
 * quarter of the cost, which is what keeps a million-row export within its time budget.
 * Only the text columns (the first five) can hold those characters: times, status and
 * numbers never do.
 */
export function csvLine(record: readonly string[]): string {
  for (let i = 0; i < 5; i++) {
    if (NEEDS_QUOTING.test(record[i]!)) return stringify([record], OPTIONS);
  }
  return `${record.join(',')}\r\n`;
}

/**
 * CSV as a stream of Buffers (~64 KiB each): header row first, then one record per item of
 * `source` (turned into a row by `toRow`), in order. Pulled, never pushed: wrapped in
 * `pipeline`, the next meetings are read from the store only when the destination wants more,
 * so memory stays flat. A UTF-8 byte-order mark leads the file: without it Excel reads UTF-8
 * as the local code page and mangles doctors' names.
 */
export async function* csvChunks<T>(
  source: AsyncIterable<T>,
  toRow: (item: T) => CallDurationRow,
): AsyncGenerator<Buffer> {
  const out = new ChunkWriter();
  out.write(`\uFEFF${stringify([[...CSV_COLUMNS]], OPTIONS)}`);
  for await (const item of source) {
    const full = out.write(csvLine(csvRecord(toRow(item))));
    if (full) yield full;
  }
  const rest = out.flush();
  if (rest) yield rest;
}
