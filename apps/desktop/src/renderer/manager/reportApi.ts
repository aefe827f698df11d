// DOM: GET /api/reports/call-durations (JSON) for the manager's view, parsed with the shared
// contract. CSV goes through the bridge instead (save dialog / browser download). Failures are
// `ApiError`s like the rest of the API's, worded by code on the screen (ui/apiError.ts).
import {
  ApiErrorSchema,
  CallDurationsResponseSchema,
  type CallDurationsResponse,
  type MeetingStatus,
} from '@bedside/shared';
import { ApiError, statusCode } from '../api';

export interface ReportFilters {
  /** YYYY-MM-DD, inclusive, in the clinic's time zone. */
  from: string;
  to: string;
  /** '' = every doctor. */
  doctorId: string;
  /** '' = every status. */
  status: MeetingStatus | '';
}

/** The query the service and the bridge both take; empty filters are left out. */
export function reportQuery(f: ReportFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.from) q.from = f.from;
  if (f.to) q.to = f.to;
  if (f.doctorId) q.doctorId = f.doctorId;
  if (f.status) q.status = f.status;
  return q;
}

export async function fetchReport(
  serverUrl: string,
  token: string,
  filters: ReportFilters,
  signal?: AbortSignal,
): Promise<CallDurationsResponse> {
  const url = new URL('/api/reports/call-durations', serverUrl);
  for (const [k, v] of Object.entries(reportQuery(filters))) url.searchParams.set(k, v);
  url.searchParams.set('format', 'json');
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      credentials: 'omit',
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError('unavailable', 'fetch failed: no answer', null, { cause });
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const body = ApiErrorSchema.safeParse(json);
    if (body.success)
      throw new ApiError(body.data.error.code, body.data.error.message, response.status);
    throw new ApiError(
      statusCode(response.status),
      `HTTP ${response.status} without an error body`,
      response.status,
    );
  }
  const parsed = CallDurationsResponseSchema.safeParse(json);
  if (!parsed.success)
    throw new ApiError('bad-response', 'the report does not match its schema', response.status, {
      cause: parsed.error,
    });
  return parsed.data;
}
