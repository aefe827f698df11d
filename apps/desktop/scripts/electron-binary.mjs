// Finds a runnable Electron binary: ELECTRON_OVERRIDE_DIST_PATH (an unpacked Electron dist
// folder) or node_modules/electron/dist (present once the electron package's install script has
// run on a machine with internet). `fetchElectronBinary` runs that install script itself, for
// `npm run desktop` on a first run (the repository's allowScripts keeps it from running at
// `npm ci`, so CI and servers never download a browser engine they do not use).
import { spawn } from 'node:child_process';
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

/**
 * Runs the electron package's own installer (`install.js`: @electron/get, checksums from the
 * package, the usual ELECTRON_MIRROR / electron_config_cache / proxy settings). Resolves to
 * `{ ok: true }` or `{ ok: false, reason }` with the installer's error in one line.
 */
export function fetchElectronBinary({ env = process.env, timeoutMs = 10 * 60_000 } = {}) {
  const installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: error.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve({ ok: true });
        return;
      }
      // The installer prints the error's stack: its first line says what went wrong.
      const line = output
        .split('\n')
        .map((l) => l.trim())
        .find((l) => /error|ENOTFOUND|ECONN|EAI_AGAIN|ETIMEDOUT/i.test(l) && !l.startsWith('at '));
      const server = env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases';
      let reason = line ?? `the installer exited with code ${code}`;
      // Node's fetch says only "fetch failed" when no connection was made at all.
      if (/fetch failed/i.test(reason))
        reason = `no connection to ${server} (no internet, or a proxy or firewall in the way)`;
      if (signal) reason = `no answer from ${server} within ${Math.round(timeoutMs / 1000)} s`;
      resolve({ ok: false, reason });
    });
  });
}

/** What to do when `npm run desktop` could not fetch the binary. */
export function fetchFailedMessage(reason) {
  const version = electronPackageVersion();
  return [
    `Could not fetch Electron ${version} for this machine: ${reason}`,
    'The Bedside desktop app needs it once; after that it starts offline. To fix it, either:',
    '  - connect to the internet and run `npm run desktop` again;',
    '  - behind a proxy: ELECTRON_GET_USE_PROXY=1 GLOBAL_AGENT_HTTPS_PROXY=http://proxy:port npm run desktop',
    '  - from a mirror: ELECTRON_MIRROR=https://mirror.example/electron/ npm run desktop',
    `  - or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${version} for this platform`,
    '    (the folder that holds the electron executable).',
    'Without Electron, the same clinician console runs in a browser: `npm start`, then open',
    'http://127.0.0.1:3000/app/',
  ].join('\n');
}
