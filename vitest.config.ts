import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./packages/shared/src/${p}`, import.meta.url));

// Tests run against the shared package's sources, not its build output.
export const sharedAlias = [
  { find: /^@bedside\/shared$/, replacement: src('index.ts') },
  { find: /^@bedside\/shared\/call$/, replacement: src('call/index.ts') },
  { find: /^@bedside\/shared\/react$/, replacement: src('react/index.ts') },
  { find: /^@bedside\/shared\/browser$/, replacement: src('browser.ts') },
  { find: /^@bedside\/shared\/i18n$/, replacement: src('i18n/index.ts') },
  { find: /^@bedside\/shared\/blur$/, replacement: src('blur/index.ts') },
];

export default defineConfig({
  resolve: { alias: sharedAlias },
  test: {
    include: ['{packages,services,apps}/*/src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/out/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
