// Flat ESLint config: typescript-eslint, react-hooks, and import boundaries that keep each
// file to the world it runs in (pure / DOM / Node / Electron main / preload).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noNode = {
  group: ['node:*', 'fs', 'path', 'crypto', 'child_process', 'os', 'net', 'http', 'https'],
  message: 'Node built-ins are not available here.',
};
const noElectron = {
  group: ['electron', 'electron/*'],
  message: 'Electron belongs to main/preload only.',
};
const noServer = {
  group: ['mongoose', 'better-sqlite3', 'express', 'socket.io', 'pino'],
  message: 'Server-only module.',
};
const noReact = {
  group: ['react', 'react-dom', 'react/*'],
  message: 'Only react/ may import React.',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '**/release/**',
      'apps/desktop/dist-web/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.tsx', 'packages/shared/src/react/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['packages/shared/src/**'],
    ignores: ['packages/shared/src/**/*.test.ts', 'packages/shared/src/react/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noNode, noElectron, noServer, noReact] }],
    },
  },
  {
    files: ['packages/shared/src/react/**'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noNode, noElectron, noServer] }] },
  },
  {
    files: ['apps/patient-web/src/**', 'apps/desktop/src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { patterns: [noNode, noElectron, noServer] }] },
  },
  {
    // The desktop catalog: pure, imported by both the main process and the renderer.
    files: ['apps/desktop/src/i18n/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noNode, noElectron, noServer, noReact] }],
    },
  },
  {
    files: ['apps/desktop/src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noNode, noServer, noReact] }] },
  },
  {
    files: ['apps/desktop/src/main/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noReact] }] },
  },
  {
    files: [
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/e2e/**',
      'scripts/**',
      '**/*.config.*',
      'bench/**',
    ],
    rules: { 'no-console': 'off' },
  },
);
