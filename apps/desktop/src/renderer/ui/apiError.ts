// Pure: what the doctor reads when a call to the service fails. `ApiError` (api.ts) carries the
// service's error code and its English message, which is for developers; the call engine's
// join errors carry a code the same way. A screen words the *code* from the catalog, per
// operation, with a fallback per operation, as ui/bridgeError.ts does for IPC. The raw message is
// shown nowhere; log `errorCode(error)`, never the error's message.
import type { CallErrorCode } from '@bedside/shared/call';
import { ApiError, type ApiErrorCode } from '../api';
import type { MessageId, T } from '../i18n/i18n';

type Code = ApiErrorCode | CallErrorCode;
type Wording = { fallback: MessageId; codes: Partial<Record<Code, MessageId>> };

/** Any operation, when it has no wording of its own for the code. */
const COMMON: Partial<Record<Code, MessageId>> = {
  unavailable: 'apiError.unavailable',
  internal: 'apiError.internal',
  'bad-response': 'apiError.badResponse',
  'rate-limited': 'apiError.rateLimited',
  forbidden: 'apiError.forbidden',
  'client-outdated': 'apiError.outdated',
  unauthorized: 'apiError.expired',
};

const GUEST_CODES = {
  // 409 is both "full" and "over"; guests.ts tells them apart before asking here.
  conflict: 'guests.error.closed',
  'room-closed': 'guests.error.closed',
  'bad-request': 'guests.error.name',
  forbidden: 'guests.error.forbidden',
  'not-found': 'guests.error.notFound',
  unavailable: 'guests.error.unavailable',
} satisfies Partial<Record<Code, MessageId>>;

// The codes each operation's routes answer with: services/signaling/src/http/*Routes.ts, and the
// socket's join ack and the call engine (packages/shared/src/call/errors.ts) for `visit.join`.
const OPERATIONS = {
  /** The version check and restoring the stored session, before any screen. */
  start: {
    fallback: 'notice.unexpected',
    // No /api/version there, or not the API's answer: most likely not a Bedside server.
    codes: { 'not-found': 'notice.unexpected', 'bad-response': 'notice.unexpected' },
  },
  signIn: {
    fallback: 'signIn.error.unknown',
    codes: {
      unauthorized: 'signIn.error.wrong',
      'not-found': 'signIn.error.wrong',
      'rate-limited': 'signIn.error.rateLimited',
      forbidden: 'signIn.error.forbidden',
      'client-outdated': 'signIn.error.outdated',
    },
  },
  'appointments.load': { fallback: 'appointments.error.load', codes: {} },
  /** The link is fetched by creating the visit again, which answers with the existing one. */
  'appointments.link': {
    fallback: 'appointments.error.link',
    codes: { conflict: 'appointments.error.linkTaken' },
  },
  'appointments.cancel': {
    fallback: 'appointments.error.cancel',
    codes: { conflict: 'appointments.error.cancelEnded', 'not-found': 'appointments.error.gone' },
  },
  'visit.create': {
    fallback: 'newVisit.error.failed',
    codes: { conflict: 'newVisit.error.taken', 'bad-request': 'newVisit.error.form' },
  },
  'visit.join': {
    fallback: 'visit.error.join',
    codes: {
      'room-closed': 'visit.error.closed',
      forbidden: 'visit.error.forbidden',
      'not-found': 'visit.error.notFound',
      unavailable: 'visit.error.unavailable',
      timeout: 'visit.error.unavailable',
      'media-denied': 'visit.error.mediaDenied',
      'media-missing': 'visit.error.mediaMissing',
      'media-in-use': 'visit.error.mediaInUse',
      'media-insecure': 'visit.error.mediaFailed',
      'media-failed': 'visit.error.mediaFailed',
    },
  },
  'guests.list': { fallback: 'guests.error.load', codes: GUEST_CODES },
  /** Inviting, removing, or a new link. */
  'guests.change': { fallback: 'guests.error.failed', codes: GUEST_CODES },
  'report.load': {
    fallback: 'mgr.error.load',
    codes: {
      unauthorized: 'mgr.error.expired',
      forbidden: 'mgr.error.forbidden',
      'bad-request': 'mgr.error.request',
    },
  },
} satisfies Record<string, Wording>;

export type ApiOperation = keyof typeof OPERATIONS;

/**
 * The code of an `ApiError`, or of an error body or `CallError` (`{ code }`); null for anything
 * else (a bug, not a failure the service reported).
 */
function codeOf(error: unknown): Code | null {
  if (error instanceof ApiError) return error.code;
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code as Code;
  }
  return null;
}

export function apiErrorText(t: T, operation: ApiOperation, error: unknown): string {
  const wording: Wording = OPERATIONS[operation];
  const code = codeOf(error);
  if (code === null) return t(wording.fallback);
  return t(wording.codes[code] ?? COMMON[code] ?? wording.fallback);
}

/** What to log for a failure: its code, or the kind of error; never its message. */
export function errorCode(error: unknown): string {
  return codeOf(error) ?? (error instanceof Error ? error.name : typeof error);
}
