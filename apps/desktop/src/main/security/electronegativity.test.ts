// Runs the Electronegativity gate (scripts/electronegativity.mjs) as CI does, offline: a guard
// preloaded into the child process makes any outbound connection fail loudly.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('../../../', import.meta.url));
const runner = path.join(appDir, 'scripts', 'electronegativity.mjs');
const scratch = mkdtempSync(path.join(tmpdir(), 'bedside-eng-'));
const guard = path.join(scratch, 'no-network.cjs');
writeFileSync(
  guard,
  `const net = require('node:net');
const dns = require('node:dns');
const refuse = (what) => function () {
  process.stderr.write('NETWORK ATTEMPT: ' + what + '\\n');
  throw new Error('network disabled in this test');
};
net.Socket.prototype.connect = refuse('socket connect');
dns.lookup = refuse('dns lookup');
dns.promises.lookup = refuse('dns lookup');
`,
);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Report {
  ok: boolean;
  findings: Array<{ check: string; file: string; severity: string }>;
  failing: Array<{ check: string; file: string }>;
  fatal: unknown[];
}

function run(args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--require', guard, runner, '--json', ...args],
      { cwd: appDir, maxBuffer: 20 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        try {
          const code = error ? ((error as { code?: number }).code ?? 1) : 0;
          resolve({
            code: typeof code === 'number' ? code : 1,
            report: JSON.parse(stdout) as Report,
            stderr,
          });
        } catch (e) {
          reject(new Error(`runner output was not JSON: ${String(e)}\n${stderr}`));
        }
      },
    );
  });
}

// Each run parses the whole app (~10 s here); leave room on a busy CI machine.
describe('Electronegativity gate', { timeout: 180_000 }, () => {
  it('passes on the desktop app: no HIGH or MEDIUM finding left unexplained, offline', async () => {
    const { code, report, stderr } = await run([]);
    expect(stderr).not.toContain('NETWORK ATTEMPT');
    expect(report.failing).toEqual([]);
    expect(report.fatal).toEqual([]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });

  it('fails on an insecure window, so the gate can fail', async () => {
    const bad = path.join(scratch, 'bad-app');
    mkdirSync(bad, { recursive: true });
    writeFileSync(
      path.join(bad, 'main.js'),
      `const { app, BrowserWindow, shell } = require('electron');
app.whenReady().then(() => {
  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
  win.webContents.on('new-window', (e, url) => shell.openExternal(url));
  win.loadURL('http://example.com');
});
`,
    );
    const { code, report } = await run(['--input', bad]);
    const ids = report.failing.map((f) => f.check);
    expect(ids).toEqual(
      expect.arrayContaining([
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      ]),
    );
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
  });
});
