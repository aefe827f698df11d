// `npm start` and the page builds, run as the real commands: the pages a service ships are
// production builds whatever NODE_ENV the shell has, and a production start runs only what is
// built (it never builds, and says what to run when something is missing).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
const temp = mkdtempSync(path.join(tmpdir(), 'bedside-start-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// React's development build warns about list keys; its production build has no such text and
// points at react.dev/errors/ for its minified error codes instead.
const DEV_MARKER = 'Each child in a list should have a unique';
const PROD_MARKER = 'https://react.dev/errors/';

function buildWith(nodeEnv: string, cwd: string, args: string[], outDir: string): string {
  const result = spawnSync(
    process.execPath,
    [vite, 'build', ...args, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
    { cwd, env: { ...process.env, NODE_ENV: nodeEnv }, encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  const assets = path.join(outDir, 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(path.join(assets, f), 'utf8'))
    .join('\n');
}

describe('page builds with NODE_ENV=development in the environment', () => {
  it.each([
    ['the patient page', 'apps/patient-web', []],
    ['the clinician console', 'apps/desktop', ['--config', 'vite.web.config.ts']],
  ])("%s still ships React's production build", (_what, dir, args) => {
    const code = buildWith('development', path.join(root, dir), args, path.join(temp, dir));
    expect(code).toContain(PROD_MARKER);
    expect(code).not.toContain(DEV_MARKER);
  });
});

describe('a production start', () => {
  it('never builds, and names what to build when something is missing', async () => {
    const missing = path.join(temp, 'not-built');
    const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        PATIENT_WEB_DIR: missing,
        CONSOLE_WEB_DIR: missing,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain('Not built:');
    expect(out).toContain('the patient page, the clinician console');
    expect(out).toContain('npm run build');
    // Nothing was built on the way.
    expect(out).not.toMatch(/building|tsc -b/);
  });
});
