// Node: the service's one error type and the one Express error handler that maps codes to
// statuses. Bodies are always `{ error: { code, message } }`.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCodeSchema, type ErrorBody, type ErrorCode } from '@bedside/shared';
import { createLogger, errorFields } from './logging/index.js';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message.slice(0, 500) };
  }
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  'payload-too-large': 413,
  'client-outdated': 426,
  'room-closed': 410,
  'not-in-room': 409,
  unavailable: 503,
  internal: 500,
};

const log = createLogger('http');

/** Anything thrown → an `AppError`; unknown errors become `internal` without leaking detail. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err && typeof err === 'object') {
    const e = err as { type?: unknown; status?: unknown; code?: unknown; message?: unknown };
    // body-parser's errors carry `type`.
    if (e.type === 'entity.too.large') {
      return new AppError('payload-too-large', 'Request body is too large', { cause: err });
    }
    if (e.type === 'entity.parse.failed') {
      return new AppError('bad-request', 'Request body is not valid JSON', { cause: err });
    }
    if (typeof e.type === 'string' && typeof e.status === 'number' && e.status < 500) {
      return new AppError('bad-request', 'Request body could not be read', { cause: err });
    }
    const status = typeof e.status === 'number' ? e.status : undefined;
    if (status === 404) return new AppError('not-found', 'Not found', { cause: err });
    if (status !== undefined && status >= 400 && status < 500) {
      return new AppError('bad-request', 'Request could not be served', { cause: err });
    }
    // Store errors (and others following the convention) carry a wire code.
    const code = ErrorCodeSchema.safeParse(e.code);
    if (code.success && typeof e.message === 'string') {
      return new AppError(code.data, e.message, { cause: err });
    }
  }
  return new AppError('internal', 'Something went wrong on the server', { cause: err });
}

export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const appError = toAppError(err);
  const status = STATUS_BY_CODE[appError.code];
  if (appError.code === 'internal') {
    log.error(
      { ...errorFields(appError.cause ?? appError), method: req.method, route: routeOf(req) },
      'request failed',
    );
  } else if (status >= 500) {
    log.warn({ code: appError.code, method: req.method, route: routeOf(req) }, 'request refused');
  }
  res.status(status).json({ error: appError.toBody() });
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not-found', `No route for ${req.method} ${req.path.slice(0, 100)}`));
};

/** The matched route pattern, never the raw path (which may hold ids). */
export function routeOf(req: { baseUrl?: string; route?: { path?: unknown } }): string {
  const p = req.route?.path;
  return typeof p === 'string' ? `${req.baseUrl ?? ''}${p}` : 'unmatched';
}
