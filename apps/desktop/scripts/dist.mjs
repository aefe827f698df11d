#!/usr/bin/env node
// `npm run dist -w apps/desktop`: builds with electron-vite, then packages with electron-builder
// using electron-builder.yml at the repository root. electron-builder would otherwise download
// Electron from the internet; here it packages the local binary (this platform's installers),
// and without one it stops with a clear message instead of a failed download.
//   BEDSIDE_DIST_DOWNLOAD=1  let electron-builder download Electron (CI with internet; needed to
//                            build installers for other platforms)
//   extra arguments are passed to electron-builder (e.g. `-- --linux deb`).
// With a local binary only this machine's arch is built (see dist-plan.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { distPlan } from './dist-plan.mjs';
import { findElectronBinary, missingBinaryMessage } from './electron-binary.mjs';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = path.resolve(appDir, '..', '..');

const found = findElectronBinary();
const download = process.env.BEDSIDE_DIST_DOWNLOAD === '1';
if ('missing' in found && !download) {
  process.stderr.write(
    `${missingBinaryMessage(found.missing, 'packaging (electron-builder)')}\n` +
      '  - or, with internet access, set BEDSIDE_DIST_DOWNLOAD=1 to let electron-builder fetch it.\n',
  );
  process.exit(1);
}

const plan = distPlan({
  appDir,
  rootDir,
  distDir: 'missing' in found ? null : found.distDir,
  arch: process.arch,
  extra: process.argv.slice(2),
});
for (const step of plan) {
  const r = spawnSync(step.cmd, step.args, { cwd: step.cwd, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
