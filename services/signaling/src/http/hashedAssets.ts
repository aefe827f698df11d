// Node: a built web app's `assets/` folder — content-hashed file names, so each file is cached
// for a year and never revalidated. A missing build answers `unavailable` (503, saying what to
// build) rather than a bare 404; a missing file inside a present build is a 404 and never falls
// through to the routes after it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import type { AppError } from '../errors.js';

export function hashedAssets(dir: string, unavailable: () => AppError): RequestHandler[] {
  return [
    (_req, _res, next) => {
      next(existsSync(dir) ? undefined : unavailable());
    },
    express.static(path.join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
      redirect: false,
    }),
  ];
}
