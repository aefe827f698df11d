// DOM: bringing a stored token back to a signed-in session, and keeping it fresh.
import type { LoginResponse } from '@bedside/shared';
import { ApiError, type ApiClient } from './api';
import type { Session } from './appState';

export const fromLogin = (r: LoginResponse): Session => ({
  token: r.token,
  expiresAt: r.expiresAt,
  user: r.user,
});

/**
 * A token stored by an earlier run says nothing about who it belongs to. Ask the service:
 * `POST /api/auth/refresh` (fresh token + user) or else `GET /api/auth/me`. Null when neither
 * accepts it; the caller then asks to sign in.
 */
export async function restoreSession(api: ApiClient, token: string): Promise<Session | null> {
  try {
    return fromLogin(await api.refresh());
  } catch (error) {
    if (!(error instanceof ApiError) || error.code === 'unavailable') throw error;
    if (error.status !== 404) return null;
  }
  try {
    return { token, expiresAt: null, user: await api.me() };
  } catch (error) {
    if (!(error instanceof ApiError) || error.code === 'unavailable') throw error;
    return null;
  }
}

/** Refresh this long before expiry: enough for a slow network, short enough to matter. */
export const REFRESH_LEAD_MS = 2 * 60_000;
const MIN_DELAY_MS = 5_000;

export function refreshDelay(expiresAt: string, now: number): number | null {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return null;
  return Math.max(MIN_DELAY_MS, at - REFRESH_LEAD_MS - now);
}

/** The current access token, read by the REST client at request time (not at render). */
export class TokenHolder {
  private token: string | null = null;
  get(): string | null {
    return this.token;
  }
  set(token: string | null): void {
    this.token = token;
  }
}
