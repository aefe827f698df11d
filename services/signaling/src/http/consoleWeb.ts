// Node: the clinician console in the browser — the desktop renderer's web build (with its
// browser stand-in for the preload bridge), served at /app on the service's own origin, so a
// doctor or manager needs nothing but a browser. `/` leads there.
//
// The build uses relative asset URLs (`./assets/…`, the same files Electron loads), so the page
// itself lives at `/app/` with the trailing slash; `/app` redirects there. `/app/assets/*` are
// content-hashed (cached for a year); the page is never cached, so a new build reaches the next
// sign-in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { hashedAssets } from './hashedAssets.js';

export const CONSOLE_PATH = '/app/';

export function consoleWebRouter(dir: string, csp: RequestHandler): Router {
  const router = Router({ strict: true });
  const indexHtml = path.join(dir, 'index.html');
  const unavailable = () =>
    new AppError(
      'unavailable',
      'The clinician console is not built; run `npm run build:web -w apps/desktop` (or set CONSOLE_WEB_DIR)',
    );

  router.get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, CONSOLE_PATH);
  });
  router.get(['/app', '/app/index.html'], (_req, res) => {
    res.redirect(301, CONSOLE_PATH);
  });
  router.get(CONSOLE_PATH, csp, (_req, res, next) => {
    if (!existsSync(indexHtml)) {
      next(unavailable());
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(indexHtml);
  });
  router.use('/app/assets', hashedAssets(dir, unavailable));
  return router;
}
