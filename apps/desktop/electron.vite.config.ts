// electron-vite: main (ESM, Node), preload (one CommonJS file: a sandboxed preload can require
// nothing but `electron`), renderer (the React app in src/renderer, served as bedside://app).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { mediapipeAssets } from '../../scripts/vite/mediapipeAssets.ts';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const shared = (p: string) => here(`../../packages/shared/src/${p}`);

// Same mapping as the root vitest.config.ts `sharedAlias`: bundle the shared sources, not dist/.
const sharedAlias = [
  { find: /^@bedside\/shared$/, replacement: shared('index.ts') },
  { find: /^@bedside\/shared\/call$/, replacement: shared('call/index.ts') },
  { find: /^@bedside\/shared\/react$/, replacement: shared('react/index.ts') },
  { find: /^@bedside\/shared\/browser$/, replacement: shared('browser.ts') },
  { find: /^@bedside\/shared\/i18n$/, replacement: shared('i18n/index.ts') },
  { find: /^@bedside\/shared\/blur$/, replacement: shared('blur/index.ts') },
];

const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { version: string };

/** The dev server's React Refresh preamble is an inline script; allow it in `dev` only. */
function devCsp(): Plugin {
  return {
    name: 'bedside-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  main: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: here('./out/main'),
      sourcemap: true,
      // Shared sources are bundled; real packages (electron-store) stay in node_modules.
      externalizeDeps: { exclude: ['@bedside/shared'] },
      rollupOptions: {
        input: { index: here('./src/main/index.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: here('./out/preload'),
      sourcemap: false,
      externalizeDeps: false,
      rollupOptions: {
        input: { index: here('./src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: here('./src/renderer'),
    base: './',
    plugins: [react(), devCsp(), mediapipeAssets()],
    resolve: { alias: sharedAlias },
    define: { __BEDSIDE_VERSION__: JSON.stringify(pkg.version) },
    server: { host: '127.0.0.1' },
    build: {
      outDir: here('./out/renderer'),
      sourcemap: true,
      rollupOptions: { input: { index: here('./src/renderer/index.html') } },
    },
  },
});
