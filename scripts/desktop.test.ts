// `npm run desktop` on a machine without the Electron binary: it asks the electron package's own
// installer for it (seen here as the request reaching a local ELECTRON_MIRROR), and when the
// download fails it says plainly what to do, exits non-zero and starts nothing. The mirror
// answers 404 or is not there at all, as an offline machine or a wrong mirror would.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const script = path.join(root, 'apps/desktop/scripts/start-desktop.mjs');
const electronDist = path.join(root, 'node_modules/electron/dist');
const { version } = JSON.parse(
  readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
) as { version: string };

async function runDesktop(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [script, '--no-build', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out };
}

describe.skipIf(existsSync(electronDist))('npm run desktop without an Electron binary', () => {
  const cache = mkdtempSync(path.join(tmpdir(), 'bedside-electron-cache-'));
  const requests: string[] = [];
  let mirror: Server;
  let mirrorUrl = '';

  beforeAll(async () => {
    mirror = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
    const address = mirror.address();
    if (typeof address !== 'object' || !address) throw new Error('mirror has no address');
    mirrorUrl = `http://127.0.0.1:${address.port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => mirror.close(() => resolve()));
    rmSync(cache, { recursive: true, force: true });
  });

  const common = () => ({ electron_config_cache: cache, BEDSIDE_SERVER_URL: 'http://127.0.0.1:9' });

  it('fetches through the electron installer, and says what to do when the download fails', async () => {
    const { code, out } = await runDesktop({ ...common(), ELECTRON_MIRROR: mirrorUrl });
    expect(code).toBe(1);
    // The electron package's installer asked the mirror for this version's archive.
    expect(requests.some((u) => u.includes(`electron-v${version}-`) && u.endsWith('.zip'))).toBe(
      true,
    );
    expect(out).toContain(`fetching Electron ${version} with the electron package's installer`);
    expect(out).toContain(`Could not fetch Electron ${version}`);
    expect(out).toMatch(/404/);
    expect(out).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(out).toContain('http://127.0.0.1:3000/app/');
    // It stopped there: no service started, no build, no launch.
    expect(out).not.toMatch(/starting one|launching/);
    expect(existsSync(electronDist)).toBe(false);
  });

  it('names the missing connection when nothing answers', async () => {
    const closed = 'http://127.0.0.1:9/';
    const { code, out } = await runDesktop({ ...common(), ELECTRON_MIRROR: closed });
    expect(code).toBe(1);
    expect(out).toContain(`no connection to ${closed}`);
    expect(out).toContain('run `npm run desktop` again');
  });

  it('--no-download only says what is missing', async () => {
    const before = requests.length;
    const { code, out } = await runDesktop({ ...common(), ELECTRON_MIRROR: mirrorUrl }, [
      '--no-download',
    ]);
    expect(code).toBe(1);
    expect(out).toContain('No Electron binary on this machine');
    expect(requests.length).toBe(before);
  });
});
