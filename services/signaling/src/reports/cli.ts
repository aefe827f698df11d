// Node: `bedside report --from 2026-11-01 --to 2026-11-30 [--doctor id] [--status s]
// [--tz Europe/Berlin] [--format csv|json] [--out file.csv]`: the same export as the REST
// route, to a file or stdout, audited as the system's CLI.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CallDurationsQuerySchema } from '@bedside/shared';
import type { MeetingStore } from '../store/types.js';
import { resolveReport } from './compute.js';
import { exportReport, type ReportFormat } from './export.js';

export const REPORT_USAGE = `Usage: bedside report --from YYYY-MM-DD --to YYYY-MM-DD [options]

Exports call durations, one row per meeting (dates are whole days in the clinic time zone,
both inclusive; full ISO-8601 date-times are taken as instants, --to exclusive).

Options:
  --from <date>       first day (or instant) of the range
  --to <date>         last day (or instant, exclusive) of the range
  --doctor <id>       only this doctor's meetings
  --status <status>   scheduled | active | completed | cancelled
  --tz <zone>         IANA time zone for dates and output times (default: CLINIC_TIME_ZONE)
  --format <format>   csv (default; json when --out ends in .json) | json
  --out <file>        write here instead of stdout
  -h, --help          show this help
`;

export interface ReportCliDeps {
  store: MeetingStore;
  clinicTimeZone: string;
  stdout: NodeJS.WritableStream;
  /** Messages and errors; defaults to process.stderr. */
  stderr?: NodeJS.WritableStream;
  now?: () => Date;
}

/** Exit codes: 0 done, 1 the export failed, 2 bad arguments. */
export async function runReportCli(argv: string[], deps: ReportCliDeps): Promise<number> {
  const stderr = deps.stderr ?? process.stderr;
  const say = (line: string) => stderr.write(`${line}\n`);
  // Accept the arguments with or without the subcommand in front.
  const args = argv[0] === 'report' ? argv.slice(1) : argv;

  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        doctor: { type: 'string' },
        status: { type: 'string' },
        tz: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    say(`bedside report: ${(err as Error).message}`);
    say(REPORT_USAGE);
    return 2;
  }
  if (values.help) {
    deps.stdout.write(REPORT_USAGE);
    return 0;
  }
  const out = values.out as string | undefined;
  if (values.from === undefined || values.to === undefined) {
    say('bedside report: --from and --to are required');
    say(REPORT_USAGE);
    return 2;
  }
  const format =
    (values.format as string | undefined) ??
    (out?.toLowerCase().endsWith('.json') ? 'json' : 'csv');
  const parsed = CallDurationsQuerySchema.safeParse({
    from: values.from,
    to: values.to,
    doctorId: values.doctor,
    status: values.status,
    tz: values.tz,
    format,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option =
      { doctorId: 'doctor' }[String(issue?.path[0])] ?? String(issue?.path[0] ?? 'arguments');
    say(`bedside report: --${option}: ${issue?.message ?? 'invalid'}`);
    return 2;
  }
  let report;
  try {
    report = resolveReport(parsed.data, deps.clinicTimeZone);
  } catch (err) {
    say(`bedside report: ${(err as Error).message}`);
    return 2;
  }

  const request = {
    store: deps.store,
    report,
    format: parsed.data.format as ReportFormat,
    now: (deps.now?.() ?? new Date()).getTime(),
    actor: { actorId: 'cli', actorRole: 'system' as const },
  };

  if (out === undefined) {
    try {
      await exportReport({ ...request, sink: deps.stdout, keepOpen: true });
      return 0;
    } catch (err) {
      say(`bedside report: export failed: ${(err as Error).message}`);
      return 1;
    }
  }

  // Written beside the target and renamed at the end, so a failed export never leaves a
  // file that looks complete.
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  try {
    const file = createWriteStream(partial, { flags: 'wx' });
    await once(file, 'open');
    const { rows, bytes } = await exportReport({ ...request, sink: file });
    await rename(partial, out);
    say(`bedside report: ${rows} rows (${bytes} bytes) written to ${out}`);
    return 0;
  } catch (err) {
    await rm(partial, { force: true });
    say(`bedside report: export failed: ${(err as Error).message}`);
    return 1;
  }
}
