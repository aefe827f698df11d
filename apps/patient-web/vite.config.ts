// Build config for the patient join page. The service serves `dist/` itself: `/assets/*` as
// static files and `/join/:roomId` as `index.html`, so every asset URL must be absolute.
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';
import { mediapipeAssets } from '../../scripts/vite/mediapipeAssets.ts';
import { sharedAlias } from '../../vitest.config.ts';

// Where `npm start` (services/signaling) listens during development.
const SERVICE = process.env.BEDSIDE_SERVICE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig(({ command }) => {
  // A page build is always a production build: the NODE_ENV of the shell or of the service
  // (`development`, `test`) must not ship React's development build to patients. Vite reads
  // NODE_ENV only after loading this file, and its docs point here for setting it.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});

// The page is written against React's API and runs on Preact's compatibility layer: React DOM
// alone is about 60 KB gzipped, Preact with compat about 5 KB, which is what keeps a whole
// visit's JavaScript under 100 KB (bench/patient-bundle.bench.ts). The doctor app and the unit
// tests keep React; the page uses nothing compat lacks (no React 19-only APIs).
const preactCompat = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
];

const config: UserConfig = {
  base: '/',
  // React Fast Refresh needs React DOM; on Preact an edit in `npm run dev` reloads the page.
  plugins: [react({ refreshExclude: /./ }), mediapipeAssets()],
  resolve: { alias: [...sharedAlias, ...preactCompat] },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // Phones from the last few years; keeps modern syntax (smaller) without shutting out iOS 15.
    target: ['es2022', 'safari15', 'chrome100', 'firefox100'],
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: SERVICE, changeOrigin: true },
      '/socket.io': { target: SERVICE, changeOrigin: true, ws: true },
    },
  },
};
