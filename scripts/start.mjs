#!/usr/bin/env node
// `npm start`: builds everything the service serves — the shared package and the service
// (`tsc -b`), the patient page, the clinician console (the desktop renderer's web build) — and
// then runs the built service, which serves all of it on one origin.
//
// A production start (`NODE_ENV=production npm start`, or `npm run serve` / `--no-build` in any
// environment) runs what is already built, without rebuilding: a restart is the service's own
// start-up, nothing more. When something is not built it says what to run and exits.
//
// The page builds always run in production mode, whatever NODE_ENV the service runs with (the
// Vite configs force it too): patients never get React's development build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const say = (s) => process.stdout.write(`[start] ${s}\n`);

const serviceDir = path.join(root, 'services', 'signaling');
const serviceEntry = path.join(serviceDir, 'dist', 'index.js');
// The service resolves these the same way (PATIENT_WEB_DIR / CONSOLE_WEB_DIR, else the builds).
const patientWeb = process.env.PATIENT_WEB_DIR
  ? path.resolve(serviceDir, process.env.PATIENT_WEB_DIR)
  : path.join(root, 'apps', 'patient-web', 'dist');
const consoleWeb = process.env.CONSOLE_WEB_DIR
  ? path.resolve(serviceDir, process.env.CONSOLE_WEB_DIR)
  : path.join(root, 'apps', 'desktop', 'dist-web');

const noBuild = process.argv.includes('--no-build') || process.env.NODE_ENV === 'production';

function run(label, args, cwd) {
  say(label);
  const result = spawnSync(process.execPath, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    process.stderr.write(`[start] ${label} failed; nothing was started.\n`);
    process.exit(result.status ?? 1);
  }
}

if (!noBuild) {
  const tsc = require.resolve('typescript/bin/tsc');
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  run('type-checking and building the service (tsc -b)', [tsc, '-b'], root);
  run(
    'building the patient page (apps/patient-web)',
    [vite, 'build', '--logLevel', 'warn'],
    path.join(root, 'apps', 'patient-web'),
  );
  run(
    'building the clinician console (apps/desktop web build)',
    [vite, 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'],
    path.join(root, 'apps', 'desktop'),
  );
}

const missing = [
  [serviceEntry, 'the service (services/signaling/dist)'],
  [path.join(patientWeb, 'index.html'), 'the patient page'],
  [path.join(consoleWeb, 'index.html'), 'the clinician console'],
].filter(([file]) => !existsSync(file));
if (missing.length > 0) {
  process.stderr.write(
    [
      `[start] Not built: ${missing.map(([, what]) => what).join(', ')}.`,
      '[start] Run `npm run build` first (a production start never builds), or `npm start`',
      '[start] without NODE_ENV=production to build and start in one go.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

// The service's relative paths (DATA_DIR=./data by default) are relative to its own folder, as
// under `npm start -w services/signaling`.
process.chdir(serviceDir);
say(`starting the service (NODE_ENV=${process.env.NODE_ENV ?? 'development'})`);
await import(pathToFileURL(serviceEntry).href);
