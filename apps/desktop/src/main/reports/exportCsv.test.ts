import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress } from '@bedside/shared';
import { CsvExporter, reportUrl, type ExportDeps } from './exportCsv.js';

// A real HTTP server standing in for the service's report endpoint: the exporter's fetch,
// streaming and file handling run for real.
const ROWS = 20_000;
const csv =
  'appointmentId,roomId,duration\n' +
  Array.from({ length: ROWS }, (_, i) => `a${i},room-a${i},${i % 3600}`).join('\n') +
  '\n';

let server: Server;
let base: string;
let dir: string;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bedside-export-'));
  server = createServer((req, res) => {
    seen.push(req);
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers.authorization !== 'Bearer good-token') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'Sign in again.' } }));
      return;
    }
    if (url.searchParams.get('from') === 'break') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write(csv.slice(0, 1000));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv' });
    // Several chunks, as the service streams rows.
    const chunk = 50_000;
    let i = 0;
    const pump = (): void => {
      if (i >= csv.length) {
        res.end();
        return;
      }
      res.write(csv.slice(i, (i += chunk)));
      setImmediate(pump);
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

function exporter(overrides: Partial<ExportDeps> & { saveAs?: string | null } = {}) {
  const { saveAs = path.join(dir, 'out.csv'), ...rest } = overrides;
  const dialogCalls: unknown[] = [];
  const e = new CsvExporter({
    dialog: {
      showSaveDialog: async (o) => {
        dialogCalls.push(o);
        return saveAs ? { canceled: false, filePath: saveAs } : { canceled: true };
      },
    },
    fetch: (input, init) => fetch(input, init),
    serverUrl: () => base,
    token: () => 'good-token',
    downloadsDir: () => dir,
    ...rest,
  });
  return { e, dialogCalls };
}

describe('CSV export', () => {
  it('streams the report to the chosen file with the bearer token, reporting progress', async () => {
    const target = path.join(dir, 'durations.csv');
    const { e, dialogCalls } = exporter({ saveAs: target });
    const progress: ExportProgress[] = [];
    const res = await e.export(
      {
        query: { from: '2026-01-01', to: '2026-02-01', format: 'json' },
        suggestedName: 'durations.csv',
      },
      (p) => progress.push(p),
    );
    expect(res).toEqual({ ok: true, data: { path: target, bytes: Buffer.byteLength(csv) } });
    expect(readFileSync(target, 'utf8')).toBe(csv);
    expect(existsSync(`${target}.part`)).toBe(false);
    expect(progress.at(-1)).toEqual({ bytes: Buffer.byteLength(csv), done: true });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.slice(0, -1).every((p) => !p.done)).toBe(true);
    expect(dialogCalls[0]).toMatchObject({ defaultPath: path.join(dir, 'durations.csv') });
    const url = new URL(seen.at(-1)!.url!, base);
    expect(url.pathname).toBe('/api/reports/call-durations');
    expect(url.searchParams.get('format')).toBe('csv');
    expect(url.searchParams.get('from')).toBe('2026-01-01');
  });

  it('returns path null when the dialog is cancelled, and fetches nothing', async () => {
    const before = seen.length;
    const { e } = exporter({ saveAs: null });
    const res = await e.export({ query: {}, suggestedName: 'x.csv' }, () => undefined);
    expect(res).toEqual({ ok: true, data: { path: null, bytes: 0 } });
    expect(seen.length).toBe(before);
  });

  it("maps the server's refusal to a result and writes no file", async () => {
    const target = path.join(dir, 'refused.csv');
    const { e } = exporter({ saveAs: target, token: () => 'expired' });
    const res = await e.export({ query: {}, suggestedName: 'x.csv' }, () => undefined);
    expect(res).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Sign in again.' } });
    expect(existsSync(target)).toBe(false);
  });

  it('an interrupted download leaves no partial file', async () => {
    const target = path.join(dir, 'broken.csv');
    const { e } = exporter({ saveAs: target });
    const res = await e.export(
      { query: { from: 'break' }, suggestedName: 'x.csv' },
      () => undefined,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('needs a server and a token before asking where to save', async () => {
    const noServer = exporter({ serverUrl: () => null });
    expect(
      await noServer.e.export({ query: {}, suggestedName: 'x.csv' }, () => undefined),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    const noToken = exporter({ token: () => null });
    expect(
      await noToken.e.export({ query: {}, suggestedName: 'x.csv' }, () => undefined),
    ).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(noServer.dialogCalls).toEqual([]);
    expect(noToken.dialogCalls).toEqual([]);
  });

  it('an unreachable server is a value, not a throw', async () => {
    const { e } = exporter({ serverUrl: () => 'http://127.0.0.1:1' });
    const res = await e.export({ query: {}, suggestedName: 'x.csv' }, () => undefined);
    expect(res).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('builds the report URL on the server origin, forcing format=csv', () => {
    expect(reportUrl('https://clinic.example/base/', { format: 'json', doctorId: 'd 1' })).toBe(
      'https://clinic.example/api/reports/call-durations?doctorId=d+1&format=csv',
    );
  });
});
