// Node (Vite config): serves and emits MediaPipe selfie segmentation's files (script, wasm,
// model) from the app's own origin, under a versioned folder of `assets/` — content that never
// changes for a given path, so the service's year-long immutable caching of `/assets` is right.
// The app reads the folder's URL from `__BEDSIDE_MEDIAPIPE_BASE__`.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const PACKAGE = '@mediapipe/selfie_segmentation';
// What the solution fetches at run time; the README, typings and package.json stay behind.
const SHIPPED = /\.(js|wasm|tflite|binarypb|data)$/;

export function mediapipePackage(): { dir: string; version: string; files: string[] } {
  const pkgJson = require.resolve(`${PACKAGE}/package.json`);
  const dir = path.dirname(pkgJson);
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
  return { dir, version, files: readdirSync(dir).filter((f) => SHIPPED.test(f)) };
}

export function mediapipeAssets(): Plugin {
  const pkg = mediapipePackage();
  const folder = `assets/mediapipe/selfie_segmentation-${pkg.version}/`;
  const types: Record<string, string> = {
    '.js': 'text/javascript; charset=utf-8',
    '.wasm': 'application/wasm',
  };
  return {
    name: 'bedside-mediapipe-assets',
    config(config) {
      const base = config.base ?? '/';
      return { define: { __BEDSIDE_MEDIAPIPE_BASE__: JSON.stringify(`${base}${folder}`) } };
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0] ?? '';
        const at = url.indexOf(`/${folder}`);
        const name = at >= 0 ? url.slice(at + folder.length + 1) : '';
        if (!pkg.files.includes(name)) return next();
        res.setHeader('Content-Type', types[path.extname(name)] ?? 'application/octet-stream');
        res.end(readFileSync(path.join(pkg.dir, name)));
      });
    },
    generateBundle() {
      for (const name of pkg.files)
        this.emitFile({
          type: 'asset',
          fileName: `${folder}${name}`,
          source: readFileSync(path.join(pkg.dir, name)),
        });
    },
  };
}
