// Node (Playwright worker): the desktop renderer's plain-browser build (apps/desktop/dist-web)
// served from an origin of its own, and a service that lets that origin in.
//
//   import { desktopTest as test, appUrl } from '../../../e2e/support/index.ts';
//
// `web` is the static site, one per worker. `service` overrides the shared one: the renderer
// is served from another origin, so the service must list it in CORS_ORIGINS (as a clinic
// would list its own hosting of the renderer); `test.use({ serviceEnv: {…} })` still adds
// settings. Specs that use it skip with a message when dist-web has not been built.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { provideService, test as base } from './fixtures.ts';
import { startTestService, type TestService } from './service.ts';
import { serveDir, type StaticSite } from './staticSite.ts';

export const DESKTOP_WEB_DIST = fileURLToPath(
  new URL('../../apps/desktop/dist-web/', import.meta.url),
);

export interface DesktopWebFixtures {
  web: StaticSite;
  /**
   * Response headers the static site adds to every file, e.g. the Electron shell's CSP header
   * (which the browser build otherwise lacks: there the meta tag in index.html is the only one).
   */
  webHeaders: Record<string, string>;
}

export const desktopTest = base.extend<object, DesktopWebFixtures>({
  webHeaders: [{}, { scope: 'worker', option: true }],
  web: [
    async ({ webHeaders }, use) => {
      const site = await serveDir(DESKTOP_WEB_DIST, { headers: webHeaders });
      try {
        await use(site);
      } finally {
        await site.close();
      }
    },
    { scope: 'worker' },
  ],
  service: [
    async ({ web, serviceEnv }, use) =>
      provideService(await startTestService({ CORS_ORIGINS: web.origin, ...serviceEnv }), use),
    { scope: 'worker', timeout: 90_000 },
  ],
});

/** Skips the calling spec when the renderer's browser build is missing. */
export function requireDesktopWebBuild(): void {
  desktopTest.skip(
    !existsSync(path.join(DESKTOP_WEB_DIST, 'index.html')),
    'apps/desktop/dist-web is missing: run `npm run build:web -w apps/desktop` first',
  );
}

/** The renderer's address, pointed at `service` (the browser stand-in reads `?server=`). */
export const appUrl = (web: StaticSite, service: TestService): string =>
  `${web.origin}/index.html?server=${encodeURIComponent(service.url)}`;
