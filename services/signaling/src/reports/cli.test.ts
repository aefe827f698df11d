// `bedside report` over the real embedded store: file and stdout output, argument errors, audit.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallDurationsResponseSchema } from '@bedside/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/index.js';
import type { MeetingStore } from '../store/types.js';
import { runReportCli } from './cli.js';
import { REFERENCE_NOW, referenceMeetings } from './testing/meetings.js';
import { MemorySink, csvToRows } from './testing/sink.js';

let dir: string;
let store: MeetingStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bedside-report-cli-'));
  store = await openStore({ dataDir: join(dir, 'data') });
  await store.bulkInsertMeetings(referenceMeetings());
});

afterAll(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const stdout = new MemorySink();
  const stderr = new MemorySink();
  const code = await runReportCli(argv, {
    store,
    clinicTimeZone: 'Europe/Berlin',
    stdout,
    stderr,
    now: () => new Date(REFERENCE_NOW),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('bedside report', () => {
  it('writes the month as CSV to --out, equal to the JSON on stdout, and audits as the CLI', async () => {
    const out = join(dir, 'november.csv');
    const range = ['--from', '2026-11-01', '--to', '2026-11-30'];
    const file = await cli(['report', ...range, '--out', out]);
    expect(file).toMatchObject({ code: 0, stdout: '' });
    expect(file.stderr).toMatch(/5 rows \(\d+ bytes\) written to .*november\.csv/);
    const csvRows = csvToRows(await readFile(out, 'utf8')).rows;

    const json = await cli([...range, '--format', 'json']);
    expect(json.code).toBe(0);
    const report = CallDurationsResponseSchema.parse(JSON.parse(json.stdout));
    expect(csvRows).toEqual(report.rows);
    expect(report.rows.map((r) => r.appointmentId)).toEqual([
      'reconnect',
      'overlap',
      'cancelled',
      'fractions',
      'active',
    ]);
    // No partial file left behind.
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);

    const [latest] = await store.listAudit({ limit: 1 });
    expect(latest).toMatchObject({
      actorId: 'cli',
      actorRole: 'system',
      action: 'report.export',
      detail: { from: '2026-11-01', to: '2026-11-30', format: 'json', rows: 5, completed: true },
    });
  });

  it('filters by doctor and zone, and picks JSON from the file extension', async () => {
    const out = join(dir, 'ada.json');
    const args = (date: string) => [`--from=${date}`, `--to=${date}`, '--doctor', 'doc-a'];
    const r = await cli([...args('2026-03-28'), '--tz', 'America/New_York', '--out', out]);
    expect(r.code).toBe(0);
    const report = CallDurationsResponseSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    // The Berlin spring meeting (00:45Z on the 29th) is the evening of the 28th in New York.
    expect(report.timeZone).toBe('America/New_York');
    expect(report.rows.map((row) => [row.appointmentId, row.scheduledTime])).toEqual([
      ['dst-spring', '2026-03-28T20:45:00-04:00'],
    ]);
    const other = await cli([...args('2026-03-28'), '--format', 'json']);
    expect(JSON.parse(other.stdout).rows).toEqual([]);
    const otherDoctor = await cli([
      ...args('2026-03-28').slice(0, 2),
      '--doctor',
      'doc-b',
      '--tz',
      'America/New_York',
      '--format',
      'json',
    ]);
    expect(JSON.parse(otherDoctor.stdout).rows).toEqual([]);
  });

  it('refuses bad arguments with exit code 2 and a clear message, writing nothing', async () => {
    const before = (await store.listAudit({ limit: 100 })).length;
    const cases: [string[], RegExp][] = [
      [['--from', '2026-11-01'], /--from and --to are required/],
      [['--from', '2026-11-31', '--to', '2026-12-01'], /--from: /],
      [['--from', '2026-11-01', '--to', '2026-11-30', '--format', 'xml'], /--format: /],
      [['--from', '2026-11-01', '--to', '2026-11-30', '--status', 'done'], /--status: /],
      [['--from', '2026-11-01', '--to', '2026-11-30', '--tz', 'Mars/Base'], /unknown time zone/],
      [['--from', '2026-11-30', '--to', '2026-11-01'], /from must not be after to/],
      [['--from', '2026-11-01', '--to', '2026-11-30', '--bogus'], /Unknown option '--bogus'/],
      [['--from', '2026-11-01', '--to', '2026-11-30', 'extra'], /positional argument/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(await store.listAudit({ limit: 100 })).toHaveLength(before);
  });

  it('fails with exit code 1 and leaves no file when the target cannot be written', async () => {
    const out = join(dir, 'missing-dir', 'x.csv');
    const r = await cli(['--from', '2026-11-01', '--to', '2026-11-30', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/export failed/);
  });

  it('prints usage for --help', async () => {
    const r = await cli(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: bedside report --from YYYY-MM-DD --to YYYY-MM-DD');
  });
});
