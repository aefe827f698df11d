// Main process. Manager's CSV export: ask where to save, then stream
// GET {serverUrl}/api/reports/call-durations?…&format=csv to that file with the stored token,
// reporting progress. The file appears only when complete (written to `.part`, then renamed).

import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  ApiErrorSchema,
  fail,
  ok,
  type ErrorCode,
  type ExportCsvRequest,
  type ExportProgress,
  type Result,
} from '@bedside/shared';
import { t } from '../../i18n/localizer.js';
import type { FetchLike, SaveDialogLike } from '../electron.js';
import { createLogger } from '../logger.js';

const log = createLogger('reports/export');

/** Progress is sent at most every this many bytes (plus once at the end). */
const PROGRESS_STEP = 64 * 1024;

export interface ExportDeps {
  dialog: SaveDialogLike;
  fetch: FetchLike;
  serverUrl(): string | null;
  token(): string | null;
  downloadsDir(): string;
}

export type ExportResult = { path: string | null; bytes: number };

const statusCode = (status: number): ErrorCode => {
  if (status === 400) return 'bad-request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 413) return 'payload-too-large';
  if (status === 429) return 'rate-limited';
  return 'unavailable';
};

export function reportUrl(serverUrl: string, query: Record<string, string>): string {
  const url = new URL('/api/reports/call-durations', serverUrl);
  for (const [key, value] of Object.entries(query)) {
    if (key !== 'format') url.searchParams.set(key, value);
  }
  url.searchParams.set('format', 'csv');
  return url.toString();
}

export class CsvExporter {
  private busy = false;

  constructor(private readonly deps: ExportDeps) {}

  async export(
    request: ExportCsvRequest,
    onProgress: (progress: ExportProgress) => void,
  ): Promise<Result<ExportResult>> {
    const serverUrl = this.deps.serverUrl();
    if (!serverUrl) return fail('bad-request', 'No Bedside server is configured.');
    const token = this.deps.token();
    if (!token) return fail('unauthorized', 'Sign in to export reports.');
    if (this.busy) return fail('conflict', 'An export is already running.');
    this.busy = true;
    try {
      const choice = await this.deps.dialog.showSaveDialog({
        title: t('dialog.exportCsv.title'),
        defaultPath: path.join(this.deps.downloadsDir(), path.basename(request.suggestedName)),
        filters: [{ name: t('dialog.exportCsv.filter'), extensions: ['csv'] }],
      });
      if (choice.canceled || !choice.filePath) return ok({ path: null, bytes: 0 });
      return await this.download(serverUrl, token, request, choice.filePath, onProgress);
    } finally {
      this.busy = false;
    }
  }

  private async download(
    serverUrl: string,
    token: string,
    request: ExportCsvRequest,
    target: string,
    onProgress: (progress: ExportProgress) => void,
  ): Promise<Result<ExportResult>> {
    let response: Response;
    try {
      response = await this.deps.fetch(reportUrl(serverUrl, request.query), {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/csv' },
        // The token must not follow a redirect to another host.
        redirect: 'error',
      });
    } catch (error) {
      log.warn('report request failed', { error });
      return fail('unavailable', 'The Bedside server could not be reached.');
    }
    if (!response.ok || !response.body) {
      const message = await serverMessage(response);
      return fail(
        statusCode(response.status),
        message ?? `The server answered ${response.status}.`,
      );
    }

    const partial = `${target}.part`;
    let bytes = 0;
    let reported = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes - reported >= PROGRESS_STEP) {
          reported = bytes;
          onProgress({ bytes, done: false });
        }
        callback(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
        counter,
        createWriteStream(partial, { flags: 'w', mode: 0o600 }),
      );
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      log.warn('report download failed', { error });
      return fail('unavailable', 'The export was interrupted; no file was saved.');
    }
    onProgress({ bytes, done: true });
    log.info('report exported', { bytes });
    return ok({ path: target, bytes });
  }
}

async function serverMessage(response: Response): Promise<string | null> {
  try {
    const parsed = ApiErrorSchema.safeParse(await response.json());
    return parsed.success ? parsed.data.error.message : null;
  } catch {
    return null;
  }
}
