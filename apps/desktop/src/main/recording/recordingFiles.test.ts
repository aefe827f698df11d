import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingFiles } from './recordingFiles.js';

// Real files in a temp dir; only Electron's save dialog is stood in for (no Electron binary
// here), answering with the path a user would pick.
let dir: string;
let picked: string | null;
let asked: Array<{ defaultPath?: string; filters?: Array<{ extensions: string[] }> }>;
const files = () =>
  new RecordingFiles({
    dialog: {
      showSaveDialog: async (options) => {
        asked.push(options);
        return picked ? { canceled: false, filePath: picked } : { canceled: true };
      },
    },
    downloadsDir: () => dir,
  });

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bedside-rec-'));
  picked = path.join(dir, 'visit.webm');
  asked = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const OWNER = 7;

describe('RecordingFiles', () => {
  it('streams chunks to a .part file and renames it into place when closed', async () => {
    const f = files();
    const opened = await f.openRecording(OWNER, 'Visit 2026-12-03.webm');
    expect(opened.ok && opened.data).toMatchObject({ id: expect.any(String) });
    const id = (opened.ok && opened.data?.id) as string;
    expect(asked[0]).toMatchObject({
      defaultPath: path.join(dir, 'Visit 2026-12-03.webm'),
      filters: [{ extensions: ['webm'] }],
    });
    await f.write(OWNER, id, new Uint8Array([1, 2, 3]));
    // Written as it goes, not held in memory.
    expect(readFileSync(`${picked!}.part`)).toEqual(Buffer.from([1, 2, 3]));
    await f.write(OWNER, id, new Uint8Array([4, 5]));
    expect(existsSync(picked!)).toBe(false);
    expect(await f.close(OWNER, id)).toEqual({ ok: true, data: { path: picked, bytes: 5 } });
    expect(readFileSync(picked!)).toEqual(Buffer.from([1, 2, 3, 4, 5]));
    expect(readdirSync(dir)).toEqual(['visit.webm']);
  });

  it('leaves nothing behind when aborted, or when the window that opened it goes', async () => {
    const f = files();
    const a = await f.openRecording(OWNER, 'a.webm');
    const id = (a.ok && a.data?.id) as string;
    await f.write(OWNER, id, new Uint8Array(100));
    expect(await f.abort(OWNER, id)).toEqual({ ok: true, data: null });
    expect(readdirSync(dir)).toEqual([]);

    const b = await f.openRecording(OWNER, 'b.webm');
    const id2 = (b.ok && b.data?.id) as string;
    await f.write(OWNER, id2, new Uint8Array(10));
    await f.abortAllOf(OWNER);
    expect(readdirSync(dir)).toEqual([]);
    expect(await f.write(OWNER, id2, new Uint8Array(1))).toMatchObject({ ok: false });
  });

  it('answers null when the dialog is cancelled, and refuses another window’s recording', async () => {
    const f = files();
    picked = null;
    expect(await f.openRecording(OWNER, 'a.webm')).toEqual({ ok: true, data: null });
    picked = path.join(dir, 'x.webm');
    const r = await f.openRecording(OWNER, 'x.webm');
    const id = (r.ok && r.data?.id) as string;
    expect(await f.write(OWNER + 1, id, new Uint8Array(1))).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await f.close(OWNER + 1, id)).toMatchObject({ ok: false });
  });

  it('refuses a folder it cannot write to with a clear error', async () => {
    picked = path.join(dir, 'missing', 'x.webm');
    expect(await files().openRecording(OWNER, 'x.webm')).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: 'The recording cannot be saved there.' },
    });
  });

  it('saves a received file where the doctor chooses', async () => {
    picked = path.join(dir, 'photo.jpg');
    const f = files();
    const data = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    expect(await f.saveFile({ suggestedName: 'photo.jpg', type: 'image/jpeg', data })).toEqual({
      ok: true,
      data: { path: picked },
    });
    expect(readFileSync(picked)).toEqual(Buffer.from(data));
    expect(asked[0]?.filters).toEqual([{ name: 'image/jpeg', extensions: ['jpg', 'jpeg'] }]);
    expect(
      await f.saveFile({ suggestedName: 'x.exe', type: 'application/x-msdownload', data }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
