// Node (Playwright worker): the packaged shape of the desktop app, in real Electron, against a
// real local service — renderer isolation, navigation lock, sign-in, and screen sharing through
// our own picker. Each test gets a fresh profile (--user-data-dir). Electron's binary cannot be
// downloaded on every machine: without one these tests are skipped, saying what to set.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  _electron as electron,
  test as base,
  expect,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import { DEMO_USERS } from '../../../e2e/support/api.ts';
import { startTestService, type TestService } from '../../../e2e/support/service.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;

function executableIn(distDir: string): string {
  if (process.platform === 'win32') return path.join(distDir, 'electron.exe');
  if (process.platform === 'darwin')
    return path.join(distDir, 'Electron.app', 'Contents', 'MacOS', 'Electron');
  return path.join(distDir, 'electron');
}

/** The same lookup as scripts/electron-binary.mjs: an override folder, or the package's dist. */
function findElectron(): { executable: string } | { reason: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidates = [
    ...(override ? [path.resolve(override)] : []),
    path.join(path.dirname(require.resolve('electron/package.json')), 'dist'),
  ];
  for (const dir of candidates) {
    if (existsSync(executableIn(dir))) return { executable: executableIn(dir) };
  }
  return {
    reason:
      `no Electron binary (ELECTRON_OVERRIDE_DIST_PATH ${override ? `=${override} has none` : 'is not set'}; ` +
      `node_modules/electron/dist is empty). Set ELECTRON_OVERRIDE_DIST_PATH to an unpacked ` +
      `Electron ${electronVersion}, or allow the electron package's install script and run ` +
      '`npm rebuild electron` on a machine with internet.',
  };
}

const binary = findElectron();
if ('reason' in binary) {
  process.stderr.write(`[electron e2e] skipped: ${binary.reason}\n`);
}

/** The few browser globals the renderer-side checks use (this file is type-checked for Node). */
interface RendererGlobals {
  process?: unknown;
  require?: unknown;
  module?: unknown;
  ipcRenderer?: unknown;
  bedside?: Record<string, unknown> & {
    kind: string;
    session: { getToken(): Promise<{ ok: boolean; data?: unknown }> };
  };
  location: { href: string };
  open(url: string): unknown;
  navigator: {
    mediaDevices: {
      getDisplayMedia(c: { video: boolean }): Promise<{
        getVideoTracks(): Array<{ readyState: string; label: string; stop(): void }>;
      }>;
    };
  };
  __share?: Promise<{ ok: true; readyState: string } | { ok: false; error: string }>;
}

interface TestFixtures {
  app: ElectronApplication;
  page: Page;
  profileDir: string;
}

const test = base.extend<TestFixtures, { service: TestService }>({
  service: [
    // eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring form
    async ({}, use) => {
      const service = await startTestService();
      try {
        await use(service);
      } finally {
        await service.close();
      }
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring form
  profileDir: async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bedside-electron-profile-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  app: async ({ service, profileDir }, use) => {
    if ('reason' in binary) throw new Error(binary.reason);
    const args = [appDir, `--user-data-dir=${profileDir}`];
    // Chromium refuses to run as root with its OS sandbox on (CI containers). The renderer
    // stays `sandbox: true` in Electron's sense (no Node, limited preload) either way.
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    const app = await electron.launch({
      executablePath: binary.executable,
      args,
      cwd: appDir,
      env: { ...process.env, BEDSIDE_SERVER_URL: service.url, NODE_ENV: 'test' } as Record<
        string,
        string
      >,
    });
    await use(app);
    await app.close();
  },
  page: async ({ app }, use) => {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await use(page);
  },
});

test.skip('reason' in binary, 'reason' in binary ? binary.reason : '');

test.beforeAll(() => {
  if ('reason' in binary) return;
  // The tests run the built app (out/), as a packaged app would.
  const built = spawnSync(
    path.join(appDir, '..', '..', 'node_modules', '.bin', 'electron-vite'),
    ['build'],
    { cwd: appDir, stdio: 'inherit' },
  );
  if (built.status !== 0) throw new Error('electron-vite build failed');
});

async function signIn(page: Page): Promise<void> {
  await page.getByLabel('Email').fill(DEMO_USERS.doctor.email);
  await page.getByLabel('Password').fill(DEMO_USERS.doctor.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: "Today's appointments" })).toBeVisible();
}

test.describe('Electron shell', () => {
  test('the renderer has no Node.js and sees only the bridge', async ({ page }) => {
    expect(page.url()).toMatch(/^bedside:\/\/app\//);
    const seen = await page.evaluate(() => {
      const g = globalThis as unknown as RendererGlobals;
      return {
        process: typeof g.process,
        require: typeof g.require,
        module: typeof g.module,
        ipcRenderer: typeof g.ipcRenderer,
        bridgeKind: g.bedside?.kind,
        bridgeKeys: Object.keys(g.bedside ?? {}).sort(),
      };
    });
    expect(seen).toEqual({
      process: 'undefined',
      require: 'undefined',
      module: 'undefined',
      ipcRenderer: 'undefined',
      bridgeKind: 'electron',
      bridgeKeys: ['app', 'capture', 'kind', 'notify', 'reports', 'session', 'settings'],
    });
  });

  test('the app shell carries a strict CSP header', async ({ page }) => {
    const csp = await page.evaluate(async () => {
      const res = await fetch((globalThis as unknown as RendererGlobals).location.href);
      return res.headers.get('content-security-policy');
    });
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
  });

  test('navigation to another origin is blocked; window.open opens nothing in-app', async ({
    app,
    page,
  }) => {
    // Record instead of opening the system browser on the test machine.
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as unknown as { __opened: string[] }).__opened = opened;
      shell.openExternal = async (url: string) => {
        opened.push(url);
      };
    });
    const before = page.url();
    await page.evaluate(() => {
      (globalThis as unknown as RendererGlobals).location.href = 'https://example.com/phish';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);

    const popups = await page.evaluate(() => {
      const g = globalThis as unknown as RendererGlobals;
      return [g.open('https://clinic.example/help'), g.open('file:///etc/passwd')].map(
        (w) => w === null,
      );
    });
    expect(popups).toEqual([true, true]);
    expect(app.windows()).toHaveLength(1);
    const opened = await app.evaluate(
      () => (globalThis as unknown as { __opened: string[] }).__opened,
    );
    expect(opened).toEqual(['https://clinic.example/help']);
  });

  test('the doctor signs in against the real service; the token is never on disk in clear', async ({
    page,
    profileDir,
  }) => {
    await signIn(page);
    const token = await page.evaluate(async () => {
      const r = await (globalThis as unknown as RendererGlobals).bedside!.session.getToken();
      return r.ok ? r.data : null;
    });
    expect(typeof token).toBe('string');
    const settingsFile = readdirSync(profileDir).find((f) => f.startsWith('bedside-settings'));
    expect(settingsFile).toBeDefined();
    expect(readFileSync(path.join(profileDir, settingsFile!), 'utf8')).not.toContain(String(token));
  });

  test("screen sharing goes through Bedside's picker, which leaves Bedside out", async ({
    page,
  }) => {
    await signIn(page);
    await page.evaluate(() => {
      const g = globalThis as unknown as RendererGlobals;
      g.__share = g.navigator.mediaDevices.getDisplayMedia({ video: true }).then(
        (stream) => {
          const track = stream.getVideoTracks()[0]!;
          const result = { ok: true as const, readyState: track.readyState };
          track.stop();
          return result;
        },
        (error: unknown) => ({ ok: false as const, error: String(error) }),
      );
    });
    const dialog = page.getByRole('dialog', { name: 'Choose what to share' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('tab', { name: /Windows/ }).click();
    await expect(dialog.getByRole('option', { name: /^Bedside/ })).toHaveCount(0);
    await dialog.getByRole('tab', { name: /Screens/ }).click();
    await dialog.getByRole('option').first().click();
    await dialog.getByRole('button', { name: 'Share' }).click();
    const shared = await page.evaluate(() => (globalThis as unknown as RendererGlobals).__share);
    expect(shared).toEqual({ ok: true, readyState: 'live' });
  });

  test('cancelling the picker rejects getDisplayMedia, and main does not throw', async ({
    app,
    page,
  }) => {
    // callback({}) would throw "Video was requested, but no video stream was provided" in
    // main; the picker cancels with null, which Electron turns into a rejection.
    const mainErrors: string[] = [];
    app.process().stderr?.on('data', (chunk: Buffer) => {
      if (/no video stream was provided|called more than once/.test(String(chunk)))
        mainErrors.push(String(chunk));
    });
    await signIn(page);
    await page.evaluate(() => {
      const g = globalThis as unknown as RendererGlobals;
      g.__share = g.navigator.mediaDevices.getDisplayMedia({ video: true }).then(
        (stream) => {
          for (const t of stream.getVideoTracks()) t.stop();
          return { ok: true as const, readyState: 'shared' };
        },
        (error: unknown) => ({ ok: false as const, error: String(error) }),
      );
    });
    const dialog = page.getByRole('dialog', { name: 'Choose what to share' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const shared = await page.evaluate(() => (globalThis as unknown as RendererGlobals).__share);
    expect(shared).toMatchObject({ ok: false });
    expect(mainErrors).toEqual([]);
  });
});
