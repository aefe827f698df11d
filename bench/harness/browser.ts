// Node: real Chromium (Debian's, fake camera/mic/screen) with the harness page served on a
// given origin through request interception — same origin as the service, no CORS, no extra
// server. Used by bench/call-setup.bench.ts and packages/shared/src/call/turn.e2e.test.ts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { CHROMIUM_PATH, chromiumArgs } from '../../playwright.config.ts';

export const chromiumAvailable = () => existsSync(CHROMIUM_PATH);

const entry = fileURLToPath(new URL('./page.ts', import.meta.url));

/** Bundles the harness (engine + socket.io-client + zod) for the browser. */
export async function bundleHarness(): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    write: false,
    sourcemap: false,
    minify: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

export interface Harness {
  browser: Browser;
  context: BrowserContext;
  /** Opens a harness page at `${origin}/__bench/` (another of the harness's origins if given). */
  open(on?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchHarness(
  origin: string,
  /** More origins to serve the harness on (pages same-origin with a second service). */
  moreOrigins: readonly string[] = [],
  /** Another Chromium launcher (e.g. a wrapper running it in a network namespace), more flags. */
  launch: { executablePath?: string; args?: readonly string[] } = {},
): Promise<Harness> {
  const script = await bundleHarness();
  const browser = await chromium.launch({
    executablePath: launch.executablePath ?? CHROMIUM_PATH,
    args: [...chromiumArgs, ...(launch.args ?? [])],
  });
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const html = `<!doctype html><meta charset="utf-8"><title>bench</title><script src="/__bench/harness.js"></script>`;
  for (const o of [origin, ...moreOrigins]) {
    await context.route(`${o}/__bench/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname.endsWith('.js'))
        return route.fulfill({ status: 200, contentType: 'text/javascript', body: script });
      return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    });
  }
  return {
    browser,
    context,
    async open(on = origin) {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
      await page.goto(`${on}/__bench/`);
      await page.waitForFunction(() => 'bench' in window);
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
    },
  };
}
