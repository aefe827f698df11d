// Packages the app with the real electron-builder and the root electron-builder.yml, then reads
// the result: Electron fuses flipped as configured, and an asar holding only what should ship.
// Electron's binary cannot be downloaded here, so a stand-in executable carrying Electron's fuse
// sentinel and fuse wire (the bytes @electron/fuses rewrites) takes its place; everything else
// (electron-vite build, dependency collection, asar, fuses) is the real pipeline, offline.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('../../../', import.meta.url));
const rootDir = path.resolve(appDir, '..', '..');
const bin = (name: string) => path.join(rootDir, 'node_modules', '.bin', name);

// From @electron/fuses: the sentinel, then wire version (1) and length, then one byte per fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
// Electron's shipped defaults: run-as-node, NODE_OPTIONS, --inspect and file:// privileges on.
const SHIPPED = '10110001';

const scratch = mkdtempSync(path.join(tmpdir(), 'bedside-pack-'));
const fakeDist = path.join(scratch, 'electron-dist');
const output = path.join(scratch, 'release');
let build: { status: number | null; log: string };

function readFuses(executable: string): Record<string, boolean> {
  const buf = readFileSync(executable);
  const at = buf.indexOf(SENTINEL) + SENTINEL.length;
  const length = buf[at + 1]!;
  const out: Record<string, boolean> = {};
  for (let i = 0; i < length; i++) {
    const state = String.fromCharCode(buf[at + 2 + i]!);
    out[FUSES[i] ?? `fuse${i}`] = state === '1';
  }
  return out;
}

/** File list of an asar archive (Chromium pickle header + JSON directory tree). */
function listAsar(file: string): string[] {
  const buf = readFileSync(file);
  const jsonLength = buf.readUInt32LE(12);
  const header = JSON.parse(buf.subarray(16, 16 + jsonLength).toString('utf8')) as AsarDir;
  const files: string[] = [];
  const walk = (dir: AsarDir, prefix: string) => {
    for (const [name, entry] of Object.entries(dir.files)) {
      const p = prefix ? `${prefix}/${name}` : name;
      if ('files' in entry) walk(entry as AsarDir, p);
      else files.push(p);
    }
  };
  walk(header, '');
  return files;
}
interface AsarDir {
  files: Record<string, AsarDir | { size: number }>;
}

beforeAll(() => {
  mkdirSync(path.join(fakeDist, 'resources'), { recursive: true });
  const exe = path.join(fakeDist, 'electron');
  writeFileSync(
    exe,
    Buffer.concat([
      Buffer.from('#!/bin/sh\nexit 0\n'),
      Buffer.from(SENTINEL),
      Buffer.from([1, SHIPPED.length]),
      Buffer.from(SHIPPED),
    ]),
  );
  chmodSync(exe, 0o755);
  writeFileSync(path.join(fakeDist, 'version'), '45.5.0');
  let log = '';
  const vite = spawnSync(bin('electron-vite'), ['build'], { cwd: appDir, encoding: 'utf8' });
  log += vite.stdout + vite.stderr;
  if (vite.status !== 0) {
    build = { status: vite.status, log };
    return;
  }
  const pack = spawnSync(
    bin('electron-builder'),
    [
      '--config',
      'electron-builder.yml',
      '--projectDir',
      rootDir,
      '--linux',
      'dir',
      `-c.electronDist=${fakeDist}`,
      `-c.directories.output=${output}`,
      '--publish',
      'never',
    ],
    { cwd: rootDir, encoding: 'utf8' },
  );
  build = { status: pack.status, log: log + pack.stdout + pack.stderr };
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('packaging (electron-builder.yml)', () => {
  it('builds an unpacked app', () => {
    expect(build.status, build.log.slice(-3000)).toBe(0);
  });

  it('flips the fuses: no run-as-node, no NODE_OPTIONS or --inspect, asar only and checked', () => {
    const fuses = readFuses(path.join(output, 'linux-unpacked', 'bedside'));
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the built app and electron-store in an asar, without sources, maps or renderer deps', () => {
    const files = listAsar(path.join(output, 'linux-unpacked', 'resources', 'app.asar'));
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'out/main/index.js',
        'out/preload/index.cjs',
        'out/renderer/index.html',
        'node_modules/electron-store/index.js',
        'node_modules/conf/package.json',
      ]),
    );
    const offending = files.filter(
      (f) =>
        f.endsWith('.map') ||
        f.startsWith('src/') ||
        /^node_modules\/(react|react-dom|socket\.io-client|@bedside)\//.test(f),
    );
    expect(offending).toEqual([]);
  });
});
