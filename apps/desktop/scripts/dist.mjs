#!/usr/bin/env node
// `npm run dist -w apps/desktop`: builds with electron-vite, then packages with electron-builder
// using electron-builder.yml at the repository root. electron-builder would otherwise download
// Electron from the internet; here it packages the local binary (this platform's installers),
// and without one it stops with a clear message instead of a failed download.
//   BEDSIDE_DIST_DOWNLOAD=1  let electron-builder download Electron (CI with internet; needed to
//                            build installers for other platforms)
//   extra arguments are passed to electron-builder (e.g. `-- --linux deb`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { findElectronBinary, missingBinaryMessage } from './electron-binary.mjs';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = path.resolve(appDir, '..', '..');
const bin = (name) =>
  path.join(rootDir, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

const found = findElectronBinary();
const download = process.env.BEDSIDE_DIST_DOWNLOAD === '1';
if ('missing' in found && !download) {
  process.stderr.write(
    `${missingBinaryMessage(found.missing, 'packaging (electron-builder)')}\n` +
      '  - or, with internet access, set BEDSIDE_DIST_DOWNLOAD=1 to let electron-builder fetch it.\n',
  );
  process.exit(1);
}

const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(bin('electron-vite'), ['build'], appDir);
const builderArgs = ['--config', 'electron-builder.yml', '--projectDir', rootDir];
if (!('missing' in found)) builderArgs.push(`-c.electronDist=${found.distDir}`);
run(bin('electron-builder'), [...builderArgs, ...process.argv.slice(2)], rootDir);
