// The packaging configuration and the commands `npm run dist` runs, read without running them
// (packaging.test.ts runs the real pipeline on Linux; these cover what it cannot: macOS and
// Debian settings, and the argument handling on every platform).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { builderArgs, distPlan } from '../../../scripts/dist-plan.mjs';

const appDir = fileURLToPath(new URL('../../../', import.meta.url));
const rootDir = path.resolve(appDir, '..', '..');

interface BuilderConfig {
  electronFuses: Record<string, boolean>;
  mac: { target: Array<{ target: string; arch?: string[] }> };
  win: { target: Array<{ target: string; arch?: string[] }> };
  deb: { depends: string[] };
}
const config = load(
  readFileSync(path.join(rootDir, 'electron-builder.yml'), 'utf8'),
) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('re-signs ad hoc after flipping fuses, so an unsigned arm64 build launches', () => {
    expect(config.electronFuses.resetAdHocDarwinSignature).toBe(true);
  });

  it('makes the .deb depend on libgbm1 and ALSA, which Chromium loads at start', () => {
    expect(config.deb.depends).toContain('libgbm1');
    expect(
      config.deb.depends.some((d) =>
        d
          .split('|')
          .map((x) => x.trim())
          .includes('libasound2'),
      ),
    ).toBe(true);
  });

  it('leaves target arches to the command line (an arch listed here would override it)', () => {
    for (const t of [...config.mac.target, ...config.win.target])
      expect(t.arch, t.target).toBeUndefined();
  });
});

describe('npm run dist commands', () => {
  const weird = '/tmp/Electron dist; $(touch pwned) & "x"';

  it('runs each CLI through this Node with an argument array (no shell, DEP0190)', () => {
    const plan = distPlan({
      appDir,
      rootDir,
      distDir: null,
      arch: 'x64',
      extra: ['--linux', 'deb'],
    });
    expect(plan).toHaveLength(2);
    for (const step of plan) {
      expect(step.cmd).toBe(process.execPath);
      expect(step.args[0]).toMatch(/\.js$/);
      expect(path.isAbsolute(step.args[0]!)).toBe(true);
    }
    expect(plan[0]?.args.slice(1)).toEqual(['build']);
    expect(plan[1]?.args.slice(-2)).toEqual(['--linux', 'deb']);
  });

  it('passes a local Electron folder as one argument, however it is spelled', () => {
    const args = builderArgs({
      rootDir,
      distDir: weird,
      platform: 'linux',
      arch: 'arm64',
      extra: [],
    });
    expect(args).toContain(`-c.electronDist=${weird}`);
  });

  const archFlags = (args: string[]) => args.filter((a) => /^--(x64|arm64|ia32|armv7l)$/.test(a));

  it('with a local Electron builds only the host arch; with a download, both macOS arches', () => {
    const local = (arch: string) =>
      archFlags(builderArgs({ rootDir, distDir: '/e', platform: 'darwin', arch, extra: [] }));
    expect(local('arm64')).toEqual(['--arm64']);
    expect(local('x64')).toEqual(['--x64']);
    const download = builderArgs({
      rootDir,
      distDir: null,
      platform: 'darwin',
      arch: 'arm64',
      extra: [],
    });
    expect(archFlags(download)).toEqual(['--x64', '--arm64']);
    expect(download.some((a) => a.startsWith('-c.electronDist'))).toBe(false);
    expect(
      archFlags(
        builderArgs({ rootDir, distDir: null, platform: 'win32', arch: 'arm64', extra: [] }),
      ),
    ).toEqual(['--x64']);
  });
});
