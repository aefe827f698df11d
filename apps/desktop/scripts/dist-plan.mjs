// Pure: the commands `npm run dist` runs, so they can be tested without running them.
// Each step runs a package's CLI script through this Node (`process.execPath`) with an argument
// array and no shell: nothing is re-parsed, so paths and arguments with spaces or shell
// characters pass as they are (spawning `.cmd` files with `shell: true` and arguments is
// deprecated, DEP0190, and unescaped).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Path of the JavaScript file a package's `bin` entry points at. */
export function cliScript(pkg, binName = pkg) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath);
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[binName];
  if (!rel) throw new Error(`${pkg} has no "${binName}" command`);
  return path.join(path.dirname(manifestPath), rel);
}

/** electron-builder's arch flags for Node's `process.arch`. */
const ARCH_FLAG = { x64: '--x64', arm64: '--arm64', ia32: '--ia32', arm: '--armv7l' };

/** What each platform ships when electron-builder downloads Electron for every arch. */
export const RELEASE_ARCHS = { darwin: ['x64', 'arm64'], win32: ['x64'], linux: ['x64'] };

/**
 * electron-builder's arguments. A local `electronDist` folder holds one binary, for this
 * machine's arch: building other arches from it would package the wrong binary under their
 * name (both macOS dmgs would carry the host's), so only the host arch is built then.
 */
export function builderArgs({ rootDir, distDir, platform, arch, extra }) {
  const args = ['--config', 'electron-builder.yml', '--projectDir', rootDir];
  if (distDir) args.push(`-c.electronDist=${distDir}`);
  const archs = distDir ? [arch] : (RELEASE_ARCHS[platform] ?? [arch]);
  for (const a of archs) {
    const flag = ARCH_FLAG[a];
    if (!flag) throw new Error(`No electron-builder arch for ${a}`);
    args.push(flag);
  }
  return [...args, ...extra];
}

/** The steps: electron-vite build, then electron-builder. */
export function distPlan({
  appDir,
  rootDir,
  distDir,
  platform = process.platform,
  arch,
  extra,
  node = process.execPath,
}) {
  return [
    { cmd: node, args: [cliScript('electron-vite'), 'build'], cwd: appDir },
    {
      cmd: node,
      args: [
        cliScript('electron-builder'),
        ...builderArgs({ rootDir, distDir, platform, arch, extra }),
      ],
      cwd: rootDir,
    },
  ];
}
