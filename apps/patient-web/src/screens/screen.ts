// DOM, pure: what the patient sees, as one discriminated union, and the rules that map the
// link check and the call engine's state onto it.
import type { CallState } from '@bedside/shared/call';
import type { MessageId } from '../i18n/i18n.ts';

/** The error screen's text, a catalog id so it reads in the patient's language. */
export type ErrorMessageId = Extract<MessageId, `screen.error.${string}`>;

export type EndedBy = 'doctor' | 'you' | 'abandoned';

export type Screen =
  /** Before the service has judged the link (a moment, normally). */
  | { kind: 'checking-link' }
  | { kind: 'invalid-link' }
  | { kind: 'expired' }
  | { kind: 'cancelled' }
  /** The visit already took place; the link has served its purpose. */
  | { kind: 'visit-over' }
  /** A guest the doctor removed: told so in the call, and by a link that no longer opens. */
  | { kind: 'removed' }
  | { kind: 'precheck' }
  | { kind: 'joining' }
  | { kind: 'waiting' }
  | { kind: 'in-call'; doctorPresent: boolean }
  /** Shown over the screen the patient was on. */
  | { kind: 'reconnecting'; over: 'waiting' | 'in-call'; attempt: number }
  | { kind: 'ended'; by: EndedBy; durationSeconds: number | null }
  | { kind: 'error'; message: ErrorMessageId; retry: boolean };

export type LinkProblem = Extract<
  Screen,
  { kind: 'invalid-link' | 'expired' | 'cancelled' | 'visit-over' | 'removed' | 'error' }
>;

/**
 * What a refusal from the service means to the patient. `expiredByClock` breaks the tie for
 * `unauthorized`: the service refuses expired and forged tokens alike.
 */
export function screenForRefusal(
  code: string,
  message: string,
  expiredByClock: boolean,
): LinkProblem {
  switch (code) {
    case 'unauthorized':
      return expiredByClock || /expire/i.test(message)
        ? { kind: 'expired' }
        : { kind: 'invalid-link' };
    case 'forbidden':
      // The service's words for a guest's revoked link (removed by the doctor).
      return /removed/i.test(message) ? { kind: 'removed' } : { kind: 'invalid-link' };
    case 'not-found':
    case 'bad-request':
      return { kind: 'invalid-link' };
    case 'room-closed':
      return /complete|ended|finished/i.test(message)
        ? { kind: 'visit-over' }
        : { kind: 'cancelled' };
    case 'client-outdated':
      return {
        kind: 'error',
        message: 'screen.error.outdated',
        retry: true,
      };
    case 'rate-limited':
      return {
        kind: 'error',
        message: 'screen.error.rateLimited',
        retry: true,
      };
    default:
      return {
        kind: 'error',
        message: 'screen.error.unavailable',
        retry: true,
      };
  }
}

/** The engine's state, seen by the patient. A reconnect overlays the last settled screen. */
export function screenForCall(
  state: CallState,
  settled: 'waiting' | 'in-call',
  expiredByClock: boolean,
): Screen {
  switch (state.kind) {
    case 'idle':
    case 'joining':
      return { kind: 'joining' };
    case 'waiting':
      return { kind: 'waiting' };
    case 'connected':
      return { kind: 'in-call', doctorPresent: state.peer !== null };
    case 'reconnecting':
      return { kind: 'reconnecting', over: settled, attempt: state.attempt };
    case 'ended':
      switch (state.reason) {
        case 'removed':
          return { kind: 'removed' };
        case 'ended-by-doctor':
          return { kind: 'ended', by: 'doctor', durationSeconds: state.duration ?? null };
        case 'left':
          return { kind: 'ended', by: 'you', durationSeconds: state.duration ?? null };
        case 'abandoned':
          return { kind: 'ended', by: 'abandoned', durationSeconds: state.duration ?? null };
        case 'cancelled':
          return { kind: 'cancelled' };
        case 'error':
          if (state.error)
            return screenForRefusal(state.error.code, state.error.message, expiredByClock);
          return { kind: 'error', message: 'screen.error.lost', retry: true };
      }
  }
}

/** "12 minutes 5 seconds", for the ended screen. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (h > 0) return [part(h, 'hour'), m > 0 ? part(m, 'minute') : ''].filter(Boolean).join(' ');
  if (m > 0)
    return [part(m, 'minute'), sec > 0 ? part(sec, 'second') : ''].filter(Boolean).join(' ');
  return part(sec, 'second');
}
