// Node: GET /call-durations (mounted at /api/reports behind authentication and the manager
// role). JSON or CSV, both streamed from the store; every export is audited.
import { Router, type Request, type Response } from 'express';
import { CallDurationsQuerySchema, type CallDurationsQuery } from '@bedside/shared';
import { createLogger, errorFields } from '../logging/index.js';
import type { MeetingStore } from '../store/types.js';
import { ReportQueryError, resolveReport } from './compute.js';
import { exportReport } from './export.js';

const log = createLogger('reports');

export interface ReportsRouterDeps {
  store: MeetingStore;
  clinicTimeZone: string;
  now?: () => Date;
}

/** Forbidden unless the authenticated principal is a manager (checked here as well as at the mount). */
class ReportForbiddenError extends Error {
  readonly code = 'forbidden' as const;
}

function managerOf(res: Response): { actorId: string } {
  const p = res.locals.principal as
    { kind?: unknown; userId?: unknown; role?: unknown } | undefined;
  if (p?.kind !== 'user' || p.role !== 'manager' || typeof p.userId !== 'string') {
    throw new ReportForbiddenError('Reports are for clinic managers');
  }
  return { actorId: p.userId };
}

/** The first problem zod found, as one line (path and message, never the offending value). */
function parseQuery(query: unknown): CallDurationsQuery {
  const parsed = CallDurationsQuerySchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ReportQueryError(`Invalid report query: ${where}${issue?.message ?? 'invalid'}`);
}

export function createReportsRouter(deps: ReportsRouterDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());

  router.get('/call-durations', async (req: Request, res: Response) => {
    const { actorId } = managerOf(res);
    const query = parseQuery(req.query);
    const report = resolveReport(query, deps.clinicTimeZone);

    res.setHeader('Cache-Control', 'no-store');
    if (query.format === 'csv') {
      // Sets Content-Disposition and, from the extension, text/csv; charset=utf-8.
      res.attachment(report.fileName);
    } else {
      res.type('application/json; charset=utf-8');
    }
    try {
      const { rows, bytes } = await exportReport({
        store: deps.store,
        report,
        format: query.format,
        now: now().getTime(),
        actor: { actorId, actorRole: 'manager' },
        sink: res,
      });
      log.info({ format: query.format, rows, bytes }, 'report exported');
    } catch (err) {
      // Before the first byte the error handler can still answer; after it, the response is
      // destroyed rather than ended, so a cut-off export never looks complete. Either way the
      // audit trail already holds the attempt.
      if (!res.headersSent) {
        // The error handler answers in JSON: it must not arrive as a CSV attachment.
        res.removeHeader('Content-Disposition');
        throw err;
      }
      log.warn({ format: query.format, ...errorFields(err) }, 'report export cut off');
      res.destroy();
    }
  });

  return router;
}
