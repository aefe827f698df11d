// Finds a runnable Electron binary without downloading anything: ELECTRON_OVERRIDE_DIST_PATH
// (an unpacked Electron dist folder) or node_modules/electron/dist (present when the electron
// package's install script was allowed to run on a machine with internet).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function executableIn(distDir, platform = process.platform) {
  if (platform === 'win32') return path.join(distDir, 'electron.exe');
  if (platform === 'darwin')
    return path.join(distDir, 'Electron.app', 'Contents', 'MacOS', 'Electron');
  return path.join(distDir, 'electron');
}

export function electronPackageVersion() {
  return require('electron/package.json').version;
}

/** `{ distDir, executable }`, or `{ missing: [reasons] }`. */
export function findElectronBinary(env = process.env) {
  const missing = [];
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const distDir = path.resolve(env.ELECTRON_OVERRIDE_DIST_PATH);
    const executable = executableIn(distDir);
    if (existsSync(executable)) return { distDir, executable };
    missing.push(
      `ELECTRON_OVERRIDE_DIST_PATH=${distDir} has no ${path.relative(distDir, executable)}`,
    );
  } else {
    missing.push('ELECTRON_OVERRIDE_DIST_PATH is not set');
  }
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  const distDir = path.join(pkgDir, 'dist');
  const executable = executableIn(distDir);
  if (existsSync(executable)) return { distDir, executable };
  missing.push(
    `${path.relative(process.cwd(), distDir) || distDir} has no Electron binary (its install script did not run)`,
  );
  return { missing };
}

export function missingBinaryMessage(missing, purpose) {
  const version = electronPackageVersion();
  return [
    `No Electron binary on this machine, so ${purpose} cannot run.`,
    ...missing.map((m) => `  - ${m}`),
    'To fix it, either:',
    `  - set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${version} for this platform`,
    '    (the folder that holds the electron executable), or',
    '  - on a machine with internet, let the electron package download its binary:',
    '    allow its install script (package.json "allowScripts": { "electron": true })',
    `    and run \`npm rebuild electron\` (or \`npm install electron@${version}\`).`,
  ].join('\n');
}
