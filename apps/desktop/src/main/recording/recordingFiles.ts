// Main process. Saving what a visit produces on the doctor's machine, never uploaded:
// - a received file (already SHA-256- and type-checked in the renderer): save dialog, then one
//   write;
// - the visit recording: save dialog first, then MediaRecorder chunks streamed to
//   `<name>.part` as they come (nothing held in memory), renamed into place when complete and
//   deleted when the recording is abandoned.
// Each open recording belongs to the WebContents that opened it.
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result, type SaveFileRequest } from '@bedside/shared';
import { t } from '../../i18n/localizer.js';
import type { SaveDialogLike } from '../electron.js';
import { createLogger } from '../logger.js';

const log = createLogger('recording');

export interface RecordingFilesDeps {
  dialog: SaveDialogLike;
  downloadsDir(): string;
}

interface Open {
  owner: number;
  target: string;
  partial: string;
  stream: WriteStream;
  bytes: number;
  failed: boolean;
}

const EXTENSIONS: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/heic': ['heic'],
  'image/heif': ['heif'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt'],
};

export class RecordingFiles {
  private readonly open = new Map<string, Open>();

  constructor(private readonly deps: RecordingFilesDeps) {}

  async saveFile(request: SaveFileRequest): Promise<Result<{ path: string | null }>> {
    const extensions = EXTENSIONS[request.type];
    if (!extensions) return fail('bad-request', 'This type of file cannot be saved.');
    const choice = await this.deps.dialog.showSaveDialog({
      title: t('dialog.saveFile.title'),
      defaultPath: path.join(this.deps.downloadsDir(), path.basename(request.suggestedName)),
      filters: [{ name: request.type, extensions }],
    });
    if (choice.canceled || !choice.filePath) return ok({ path: null });
    try {
      await writeFile(choice.filePath, request.data, { mode: 0o600 });
    } catch (error) {
      log.warn('file save failed', { error });
      return fail('unavailable', 'The file could not be saved there.');
    }
    return ok({ path: choice.filePath });
  }

  async openRecording(
    owner: number,
    suggestedName: string,
  ): Promise<Result<{ id: string } | null>> {
    const choice = await this.deps.dialog.showSaveDialog({
      title: t('dialog.saveRecording.title'),
      defaultPath: path.join(this.deps.downloadsDir(), path.basename(suggestedName)),
      filters: [{ name: t('dialog.saveRecording.filter'), extensions: ['webm'] }],
    });
    if (choice.canceled || !choice.filePath) return ok(null);
    const target = choice.filePath;
    const partial = `${target}.part`;
    const stream = createWriteStream(partial, { flags: 'w', mode: 0o600 });
    const id = randomUUID();
    const entry: Open = { owner, target, partial, stream, bytes: 0, failed: false };
    stream.on('error', (error) => {
      entry.failed = true;
      log.warn('recording write failed', { error });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
    } catch {
      return fail('unavailable', 'The recording cannot be saved there.');
    }
    this.open.set(id, entry);
    log.info('recording file opened');
    return ok({ id });
  }

  async write(owner: number, id: string, chunk: Uint8Array): Promise<Result<null>> {
    const entry = this.entry(owner, id);
    if (!entry) return fail('not-found', 'No such recording is open.');
    if (entry.failed) return fail('unavailable', 'The recording file could not be written.');
    try {
      await new Promise<void>((resolve, reject) =>
        entry.stream.write(chunk, (err) => (err ? reject(err) : resolve())),
      );
    } catch {
      entry.failed = true;
      return fail('unavailable', 'The recording file could not be written.');
    }
    entry.bytes += chunk.byteLength;
    return ok(null);
  }

  async close(owner: number, id: string): Promise<Result<{ path: string | null; bytes: number }>> {
    const entry = this.entry(owner, id);
    if (!entry) return fail('not-found', 'No such recording is open.');
    this.open.delete(id);
    if (entry.failed) {
      await this.discard(entry);
      return fail('unavailable', 'The recording file could not be written.');
    }
    try {
      await new Promise<void>((resolve, reject) => {
        entry.stream.once('error', reject);
        entry.stream.end(() => resolve());
      });
      await rename(entry.partial, entry.target);
    } catch (error) {
      log.warn('recording close failed', { error });
      await this.discard(entry);
      return fail('unavailable', 'The recording could not be completed.');
    }
    log.info('recording saved', { bytes: entry.bytes });
    return ok({ path: entry.target, bytes: entry.bytes });
  }

  async abort(owner: number, id: string): Promise<Result<null>> {
    const entry = this.entry(owner, id);
    if (!entry) return ok(null);
    this.open.delete(id);
    await this.discard(entry);
    return ok(null);
  }

  /** A window closed: its unfinished recordings are discarded, not left as `.part` files. */
  async abortAllOf(owner: number): Promise<void> {
    for (const [id, entry] of [...this.open]) {
      if (entry.owner === owner) {
        this.open.delete(id);
        await this.discard(entry);
      }
    }
  }

  private entry(owner: number, id: string): Open | undefined {
    const e = this.open.get(id);
    return e && e.owner === owner ? e : undefined;
  }

  private async discard(entry: Open): Promise<void> {
    entry.stream.destroy();
    await rm(entry.partial, { force: true });
  }
}
