// Node: the built patient page. `/assets/*` are content-hashed files (cached for a year);
// `/join/:roomId` is the page itself (never cached: a new build must reach the next patient).
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { RoomIdSchema } from '@bedside/shared';
import { AppError } from '../errors.js';
import { hashedAssets } from './hashedAssets.js';

export function patientWebRouter(dir: string): Router {
  const router = Router();
  const indexHtml = path.join(dir, 'index.html');
  const unavailable = () =>
    new AppError(
      'unavailable',
      'The patient page is not built; run `npm run build -w apps/patient-web` (or set PATIENT_WEB_DIR)',
    );

  router.use('/assets', hashedAssets(dir, unavailable));

  router.get('/join/:roomId', (req, res, next) => {
    if (!RoomIdSchema.safeParse(req.params.roomId).success) {
      next(new AppError('not-found', 'No such visit link'));
      return;
    }
    if (!existsSync(indexHtml)) {
      next(unavailable());
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(indexHtml);
  });

  // Top-level build files (favicon, manifest) from the page's public folder.
  router.use(
    express.static(dir, { index: false, maxAge: '1h', redirect: false, dotfiles: 'ignore' }),
  );
  return router;
}
