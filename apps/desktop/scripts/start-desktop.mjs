#!/usr/bin/env node
// `npm run desktop`: builds the app (electron-vite), makes sure a Bedside service is reachable —
// starting a local one from the sources when none answers — and launches Electron against it.
// Without an Electron binary it first fetches one through the electron package's own installer
// (first run, needs internet); when that fails it says what to do and exits non-zero.
//
//   BEDSIDE_SERVER_URL   service to use (default http://127.0.0.1:3000); a local one is started
//                        only for a loopback URL that does not answer
//   --no-build           skip `electron-vite build` (use the existing out/)
//   --no-download        never fetch the Electron binary; only say what is missing
//   --dev                electron-vite dev server with hot reload instead of the built renderer
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import {
  electronPackageVersion,
  fetchElectronBinary,
  fetchFailedMessage,
  findElectronBinary,
  missingBinaryMessage,
} from './electron-binary.mjs';

const scriptsDir = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.resolve(scriptsDir, '..');
const rootDir = path.resolve(appDir, '..', '..');
const say = (s) => process.stdout.write(`[desktop] ${s}\n`);
const args = new Set(process.argv.slice(2));

let found = findElectronBinary();
// First run: fetch the binary through the electron package's own installer (not with an
// unpacked ELECTRON_OVERRIDE_DIST_PATH, which names a binary the user provides).
if ('missing' in found && !process.env.ELECTRON_OVERRIDE_DIST_PATH && !args.has('--no-download')) {
  say(
    `no Electron binary yet; fetching Electron ${electronPackageVersion()} with the electron package's installer (first run only)`,
  );
  const fetched = await fetchElectronBinary();
  if (!fetched.ok) {
    process.stderr.write(`[desktop] ${fetchFailedMessage(fetched.reason)}\n`);
    process.exit(1);
  }
  found = findElectronBinary();
}
if ('missing' in found) {
  process.stderr.write(`${missingBinaryMessage(found.missing, 'the Bedside desktop app')}\n`);
  process.exit(1);
}

const serverUrl = new URL(process.env.BEDSIDE_SERVER_URL ?? 'http://127.0.0.1:3000');
const isLoopback = ['127.0.0.1', 'localhost', '[::1]'].includes(serverUrl.hostname);

async function reachable(url, timeoutMs = 1500) {
  try {
    const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

async function startLocalService() {
  const dataDir = path.join(rootDir, '.data', 'desktop-dev');
  mkdirSync(dataDir, { recursive: true });
  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    HOST: '127.0.0.1',
    PORT: serverUrl.port || '3000',
    PUBLIC_URL: serverUrl.origin,
    DATA_DIR: dataDir,
    TSX_TSCONFIG_PATH: path.join(scriptsDir, 'service.tsconfig.json'),
  };
  const entry = path.join(rootDir, 'services', 'signaling', 'src', 'index.ts');
  say(
    `no service at ${serverUrl.origin}; starting one (data in ${path.relative(rootDir, dataDir)})`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: rootDir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    if (await reachable(serverUrl.origin)) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`the service did not answer ${serverUrl.origin}/healthz within 60 s`);
}

let service = null;
if (await reachable(serverUrl.origin)) {
  say(`using the service at ${serverUrl.origin}`);
} else if (isLoopback) {
  service = await startLocalService();
} else {
  process.stderr.write(
    `[desktop] ${serverUrl.origin} does not answer /healthz; start it or set BEDSIDE_SERVER_URL.\n`,
  );
  process.exit(1);
}

const stopService = () => {
  if (service && service.exitCode === null) service.kill('SIGTERM');
};

const electronVite = path.join(rootDir, 'node_modules', '.bin', 'electron-vite');
const env = {
  ...process.env,
  ELECTRON_OVERRIDE_DIST_PATH: found.distDir,
  // Read by main only when unpackaged: pre-fills the first-run server address.
  BEDSIDE_SERVER_URL: serverUrl.origin,
};
let app;
if (args.has('--dev')) {
  app = spawn(electronVite, ['dev'], { cwd: appDir, env, stdio: 'inherit' });
} else {
  if (!args.has('--no-build')) {
    const built = spawnSync(electronVite, ['build'], { cwd: appDir, env, stdio: 'inherit' });
    if (built.status !== 0) {
      stopService();
      process.exit(built.status ?? 1);
    }
  }
  say(`launching ${found.executable}`);
  app = spawn(found.executable, [appDir], { cwd: appDir, env, stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    app.kill(signal);
    stopService();
  });
}
app.on('exit', (code, signal) => {
  stopService();
  process.exit(code ?? (signal ? 1 : 0));
});
