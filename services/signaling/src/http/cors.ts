// Node: the Origin allowlist for HTTP. A browser request from an origin we do not know is
// refused outright (403) rather than answered without CORS headers, so the failure is plain.
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

const ALLOWED_HEADERS = 'Authorization, Content-Type';
// DELETE: the doctor revokes a guest's link (`DELETE /api/meetings/:roomId/guests/:guestId`).
const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';

export function corsAllowlist(isAllowedOrigin: (origin: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    // No Origin: not a cross-origin browser request (curl, the desktop app's main process, …).
    if (origin === undefined) {
      next();
      return;
    }
    if (!isAllowedOrigin(origin)) {
      next(new AppError('forbidden', 'Origin not allowed'));
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader(
      'Access-Control-Expose-Headers',
      'RateLimit, RateLimit-Policy, Retry-After, Content-Disposition',
    );
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
