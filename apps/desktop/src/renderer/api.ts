// DOM: a small typed client for the Bedside REST API. Every response is parsed with the shared
// schemas; failures become an `ApiError` carrying the service's error code. Its `message` is for
// developers (the service's English, or ours): screens word the code instead (ui/apiError.ts).
import {
  ApiErrorSchema,
  CreateMeetingResponseSchema,
  GuestSchema,
  InviteGuestResponseSchema,
  ListGuestsResponseSchema,
  ListMeetingsResponseSchema,
  LoginResponseSchema,
  MeetingSchema,
  UserSchema,
  VersionResponseSchema,
  type CreateMeetingRequest,
  type CreateMeetingResponse,
  type ErrorCode,
  type Guest,
  type InviteGuestRequest,
  type InviteGuestResponse,
  type ListMeetingsResponse,
  type LoginRequest,
  type LoginResponse,
  type Meeting,
  type MeetingStatus,
  type User,
  type VersionResponse,
} from '@bedside/shared';

/**
 * The service's codes, plus `bad-response`: something answered, but not with what the API
 * promises (no error body on a failure status is still the status's code, see `statusCode`).
 */
export type ApiErrorCode = ErrorCode | 'bad-response';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ApiClient {
  readonly serverUrl: string;
  version(): Promise<VersionResponse>;
  login(body: LoginRequest): Promise<LoginResponse>;
  /** `POST /api/auth/refresh`; an `ApiError` with status 404 means the service has no such route. */
  refresh(): Promise<LoginResponse>;
  /** `POST /api/auth/logout`: ends every session of the user on the service (all devices). */
  logout(): Promise<void>;
  /** `GET /api/auth/me`, when the service offers it. */
  me(): Promise<User>;
  listMeetings(query: {
    from?: string;
    to?: string;
    status?: MeetingStatus;
    page?: number;
    limit?: number;
  }): Promise<ListMeetingsResponse>;
  createMeeting(body: CreateMeetingRequest): Promise<CreateMeetingResponse>;
  getMeeting(roomId: string): Promise<Meeting>;
  cancelMeeting(roomId: string): Promise<Meeting>;
  /** `GET /api/meetings/:roomId/guests`: everyone invited, removed ones too. */
  listGuests(roomId: string): Promise<Guest[]>;
  /** `POST /api/meetings/:roomId/guests`; a full visit is an `ApiError` with code `conflict`. */
  inviteGuest(roomId: string, body: InviteGuestRequest): Promise<InviteGuestResponse>;
  /** `DELETE /api/meetings/:roomId/guests/:guestId`: the link stops working, a connected guest leaves. */
  removeGuest(roomId: string, guestId: string): Promise<Guest>;
  /** `POST /api/meetings/:roomId/guests/:guestId/link`: a new link; the earlier ones stop working. */
  renewGuestLink(roomId: string, guestId: string): Promise<InviteGuestResponse>;
}

/** What `request` needs of a schema; the shared zod schemas fit (the app doesn't import zod). */
interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** A 204 answer: nothing to parse. */
const NO_CONTENT: Parser<void> = { safeParse: () => ({ success: true, data: undefined }) };

/** Accepts the bare object or the same object wrapped as `{ [key]: … }`. */
function bareOrWrapped<T>(schema: Parser<T>, key: string): Parser<T> {
  return {
    safeParse(value) {
      const bare = schema.safeParse(value);
      if (bare.success || value === null || typeof value !== 'object') return bare;
      return schema.safeParse((value as Record<string, unknown>)[key]);
    },
  };
}
const MeResponseSchema = bareOrWrapped(UserSchema, 'user');
const MeetingResponseSchema = bareOrWrapped(MeetingSchema, 'meeting');
const GuestResponseSchema = bareOrWrapped(GuestSchema, 'guest');

export function createApi(serverUrl: string, getToken: () => string | null): ApiClient {
  async function request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: Parser<T>,
    body?: unknown,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(path, serverUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // The service authenticates by bearer token, never by cookie.
        credentials: 'omit',
      });
    } catch (cause) {
      throw new ApiError('unavailable', 'fetch failed: no answer', null, { cause });
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const err = ApiErrorSchema.safeParse(json);
      if (err.success)
        throw new ApiError(err.data.error.code, err.data.error.message, response.status);
      throw new ApiError(
        statusCode(response.status),
        `HTTP ${response.status} without an error body`,
        response.status,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ApiError('bad-response', 'the answer does not match its schema', response.status, {
        cause: parsed.error,
      });
    return parsed.data;
  }

  const query = (params: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    return s ? `?${s}` : '';
  };
  const room = (roomId: string) => encodeURIComponent(roomId);

  return {
    serverUrl,
    version: () => request('GET', '/api/version', VersionResponseSchema),
    login: (body) => request('POST', '/api/auth/login', LoginResponseSchema, body),
    refresh: () => request('POST', '/api/auth/refresh', LoginResponseSchema, {}),
    logout: () => request('POST', '/api/auth/logout', NO_CONTENT, {}),
    me: () => request('GET', '/api/auth/me', MeResponseSchema),
    listMeetings: (q) => request('GET', `/api/meetings${query(q)}`, ListMeetingsResponseSchema),
    createMeeting: (body) => request('POST', '/api/meetings', CreateMeetingResponseSchema, body),
    getMeeting: (roomId) => request('GET', `/api/meetings/${room(roomId)}`, MeetingResponseSchema),
    cancelMeeting: (roomId) =>
      request('POST', `/api/meetings/${room(roomId)}/cancel`, MeetingResponseSchema, {}),
    listGuests: async (roomId) =>
      (await request('GET', `/api/meetings/${room(roomId)}/guests`, ListGuestsResponseSchema))
        .items,
    inviteGuest: (roomId, body) =>
      request('POST', `/api/meetings/${room(roomId)}/guests`, InviteGuestResponseSchema, body),
    removeGuest: (roomId, guestId) =>
      request(
        'DELETE',
        `/api/meetings/${room(roomId)}/guests/${encodeURIComponent(guestId)}`,
        GuestResponseSchema,
      ),
    renewGuestLink: (roomId, guestId) =>
      request(
        'POST',
        `/api/meetings/${room(roomId)}/guests/${encodeURIComponent(guestId)}/link`,
        InviteGuestResponseSchema,
        {},
      ),
  };
}

/** The code for a failure status that came without an error body. */
export function statusCode(status: number): ErrorCode {
  if (status === 400) return 'bad-request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload-too-large';
  if (status === 429) return 'rate-limited';
  if (status === 503) return 'unavailable';
  return 'internal';
}
