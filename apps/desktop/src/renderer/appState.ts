// Pure: the renderer's top-level state machine. One screen per state; no boolean soup.
import type { AppInfo, Meeting, Settings, User } from '@bedside/shared';
import type { CallEndReason } from '@bedside/shared/call';
import { t } from './i18n/i18n';

export interface Session {
  token: string;
  /** ISO-8601, when the service said; drives the refresh timer. */
  expiresAt: string | null;
  user: User;
}

/** A visit the doctor opened: the meeting, and its patient link when this app created it. */
export interface OpenVisit {
  meeting: Meeting;
  patientJoinUrl: string | null;
}

export type AppState =
  | { kind: 'loading' }
  /** Electron, no server configured yet. */
  | { kind: 'first-run' }
  | { kind: 'unreachable'; serverUrl: string; message: string }
  /** `minVersion` null: the socket refused this build without /api/version naming one. */
  | { kind: 'outdated'; minVersion: string | null; currentVersion: string }
  /** `notice` explains why (idle timeout, expired session); null on a plain start. */
  | { kind: 'signed-out'; notice: string | null }
  | { kind: 'appointments'; session: Session }
  | { kind: 'in-call'; session: Session; visit: OpenVisit }
  | {
      kind: 'summary';
      session: Session;
      meeting: Meeting;
      reason: CallEndReason;
      /** Seconds; null when the call never started. */
      duration: number | null;
    }
  | { kind: 'manager'; session: Session };

export type AppStateKind = AppState['kind'];

/** What every screen gets from the boot sequence. */
export interface AppContext {
  info: AppInfo;
  settings: Settings;
}

export function homeFor(session: Session): AppState {
  return session.user.role === 'manager'
    ? { kind: 'manager', session }
    : { kind: 'appointments', session };
}

export const idleNotice = (minutes: number): string => t('notice.idle', { minutes });

// English only and bundled, so the messages are there when this module loads.
export const EXPIRED_NOTICE = t('notice.expired');

export const LOCKED_NOTICE = t('notice.locked');
