// The renderer as a plain web app: for end-to-end tests in Chromium and for `vite` dev without
// Electron. The browser stand-in for the preload bridge takes over when `window.bedside` is absent.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { mediapipeAssets } from '../../scripts/vite/mediapipeAssets.ts';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

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

/**
 * The dev server injects inline scripts (React Refresh preamble) and inline styles, which the
 * production CSP in index.html forbids. Relax it for `vite serve` only; builds keep it strict.
 */
function devCsp(): Plugin {
  return {
    name: 'bedside-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    },
  };
}

export default defineConfig(({ command }) => {
  // A page build is always a production build: the NODE_ENV of the shell or of the service that
  // serves it at /app (`development`, `test`) must not ship React's development build. Vite
  // reads NODE_ENV only after loading this file, and its docs point here for setting it.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});

const config: UserConfig = {
  root: here('./src/renderer'),
  // Relative asset URLs: the same build works from any static path.
  base: './',
  plugins: [react(), devCsp(), mediapipeAssets()],
  resolve: { alias: sharedAlias },
  define: { __BEDSIDE_VERSION__: JSON.stringify(pkg.version) },
  build: {
    outDir: here('./dist-web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
};
