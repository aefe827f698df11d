// Test support (Node): a Writable that keeps what it was given, and CSV → rows for comparing
// an export with the JSON form.
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { CallDurationRow, MeetingStatus } from '@bedside/shared';
import { CSV_COLUMNS } from '../csv.js';

export class MemorySink extends Writable {
  private chunks: Buffer[] = [];
  constructor() {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Parses the export with a real CSV parser and maps it back onto the JSON row shape. */
export function csvToRows(csv: string): { header: string[]; rows: CallDurationRow[] } {
  const records = parse(csv, { bom: true, relax_column_count: false }) as string[][];
  const [header, ...body] = records;
  if (!header) throw new Error('no header row');
  const nullable = (s: string) => (s === '' ? null : s);
  const rows = body.map((r): CallDurationRow => {
    const cell = (name: (typeof CSV_COLUMNS)[number]) => r[CSV_COLUMNS.indexOf(name)] ?? '';
    return {
      appointmentId: cell('appointmentId'),
      roomId: cell('roomId'),
      doctorId: cell('doctorId'),
      doctorName: nullable(cell('doctorName')),
      patientId: cell('patientId'),
      scheduledTime: cell('scheduledTime'),
      startTime: nullable(cell('startTime')),
      endTime: nullable(cell('endTime')),
      status: cell('status') as MeetingStatus,
      duration: cell('durationSeconds') === '' ? null : Number(cell('durationSeconds')),
      doctorConnectedSeconds: Number(cell('doctorConnectedSeconds')),
      patientConnectedSeconds: Number(cell('patientConnectedSeconds')),
      interpreterConnectedSeconds: Number(cell('interpreterConnectedSeconds')),
      caregiverConnectedSeconds: Number(cell('caregiverConnectedSeconds')),
      clinicianConnectedSeconds: Number(cell('clinicianConnectedSeconds')),
      quality: cell('quality') as CallDurationRow['quality'],
      rttP95Ms: cell('rttP95Ms') === '' ? null : Number(cell('rttP95Ms')),
      packetLossP95: cell('packetLossP95') === '' ? null : Number(cell('packetLossP95')),
      poorSeconds: Number(cell('poorSeconds')),
      iceRestarts: Number(cell('iceRestarts')),
      relayUsed: cell('relayUsed') === 'true',
    };
  });
  return { header, rows };
}
