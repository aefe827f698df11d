import type { CallDurationRow } from '@bedside/shared';
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, csvChunks, csvLine, neutralizeCell } from './csv.js';
import { NO_QUALITY } from './testing/expected.js';
import { csvToRows } from './testing/sink.js';

const base: CallDurationRow = {
  appointmentId: 'a-1',
  roomId: 'room-a-1',
  doctorId: 'doc-a',
  doctorName: 'Dr. Ada',
  patientId: 'pat-1',
  scheduledTime: '2026-11-10T10:00:00+01:00',
  startTime: null,
  endTime: null,
  status: 'scheduled',
  duration: null,
  doctorConnectedSeconds: 0,
  patientConnectedSeconds: 0,
  interpreterConnectedSeconds: 0,
  caregiverConnectedSeconds: 0,
  clinicianConnectedSeconds: 0,
  ...NO_QUALITY,
};

async function csvOf(rows: CallDurationRow[]): Promise<string> {
  async function* source() {
    yield* rows;
  }
  const chunks: Buffer[] = [];
  for await (const c of csvChunks(source(), (row) => row)) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

describe('csvChunks', () => {
  it('quotes commas, quotes, line breaks and keeps UTF-8 names intact', async () => {
    const rows: CallDurationRow[] = [
      { ...base, doctorName: 'Dr. "Jö" Müller, Hans\r\nJr.' },
      { ...base, appointmentId: 'a-2', roomId: 'room-a-2', doctorName: null, duration: 0 },
    ];
    const csv = await csvOf(rows);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('"Dr. ""Jö"" Müller, Hans\r\nJr."');
    expect(csvToRows(csv).rows).toEqual(rows);
  });

  it('writes just the header for no rows, and one record per row past a batch', async () => {
    expect(await csvOf([])).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
    const many = Array.from({ length: 1300 }, (_, i) => ({
      ...base,
      appointmentId: `a-${i}`,
      roomId: `room-a-${i}`,
    }));
    const parsed = csvToRows(await csvOf(many));
    expect(parsed.rows.map((r) => r.appointmentId)).toEqual(many.map((r) => r.appointmentId));
  });

  it('defuses spreadsheet formulas in every text cell that opens with a trigger', async () => {
    expect(neutralizeCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(neutralizeCell('+1+cmd|x!A0')).toBe(`'+1+cmd|x!A0`);
    expect(neutralizeCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutralizeCell('\tx y')).toBe(`'\tx y`);
    // Ids too: a spreadsheet evaluates -1-1 (to -2) and @x.
    expect(neutralizeCell('-pat_7')).toBe(`'-pat_7`);
    expect(neutralizeCell('-1-1')).toBe(`'-1-1`);
    expect(neutralizeCell('=1')).toBe(`'=1`);
    expect(neutralizeCell('pat-1')).toBe('pat-1');
    expect(neutralizeCell('Dr. Ada')).toBe('Dr. Ada');
    const csv = await csvOf([{ ...base, doctorName: '=1+2' }]);
    expect(csvToRows(csv).rows[0]!.doctorName).toBe(`'=1+2`);
  });
});

describe('csvLine', () => {
  it('writes exactly what csv-stringify writes, for any mix of awkward characters', () => {
    const alphabet = [
      'a',
      'Z',
      '0',
      ' ',
      '"',
      ',',
      '\r',
      '\n',
      ';',
      "'",
      '=',
      'ü',
      '😀',
      '\t',
      '-',
    ];
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const word = () =>
      Array.from(
        { length: Math.floor(rand() * 6) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join('');
    for (let i = 0; i < 5000; i++) {
      const record = [
        word(),
        word(),
        word(),
        word(),
        word(),
        '2026-11-10T10:00:00+01:00',
        '',
        '',
        'completed',
        '12',
        '0',
        '5',
      ];
      expect(csvLine(record)).toBe(stringify([record], { record_delimiter: '\r\n' }));
    }
  });
});
