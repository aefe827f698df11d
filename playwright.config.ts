// End-to-end tests in Debian's Chromium (never a downloaded browser) with fake camera and microphone.
import { defineConfig } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // Without it a loopback-only host gathers no ICE candidates.
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

export default defineConfig({
  testMatch: '**/e2e/**/*.spec.ts',
  testIgnore: ['**/node_modules/**'],
  // Two cores: real video calls in parallel would starve each other.
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: chromiumArgs },
    permissions: ['camera', 'microphone'],
    trace: 'off',
  },
});
