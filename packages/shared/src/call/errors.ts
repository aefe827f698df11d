// Pure: errors the call engine raises. Each carries a `code` (the wire's error codes plus a few
// local ones) and the `cause` it wraps.
import type { ErrorBody, ErrorCode } from '../contracts/index.js';

export type CallErrorCode =
  | ErrorCode
  | 'invalid-state'
  | 'not-supported'
  | 'media-denied'
  | 'media-missing'
  | 'media-in-use'
  | 'media-insecure'
  | 'media-failed'
  | 'timeout';

export class CallError extends Error {
  override readonly name = 'CallError';
  readonly code: CallErrorCode;

  constructor(code: CallErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** Wraps a socket ack's / REST error body. */
  static fromBody(body: ErrorBody): CallError {
    return new CallError(body.code, body.message);
  }
}

/** Why camera or microphone could not be opened, as a UI wants to explain it. */
export type MediaErrorKind = 'denied' | 'missing' | 'in-use' | 'insecure' | 'unknown';

/**
 * Maps a `getUserMedia` / `getDisplayMedia` rejection (a DOMException) to a kind.
 * OverconstrainedError means the preferred device is gone, which for a user is "missing".
 */
export function mediaErrorKind(err: unknown): MediaErrorKind {
  const name =
    typeof err === 'object' && err !== null && 'name' in err
      ? String((err as { name: unknown }).name)
      : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError': // pre-standard Chrome
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    case 'SecurityError':
      return 'insecure';
    default:
      return 'unknown';
  }
}

const MEDIA_CODE: Record<MediaErrorKind, CallErrorCode> = {
  denied: 'media-denied',
  missing: 'media-missing',
  'in-use': 'media-in-use',
  insecure: 'media-insecure',
  unknown: 'media-failed',
};

export const mediaCallError = (err: unknown): CallError =>
  new CallError(MEDIA_CODE[mediaErrorKind(err)], 'could not open media devices', { cause: err });
