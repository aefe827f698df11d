// DOM: renews the access token shortly before it expires, while the user is signed in.
import { useEffect, useRef } from 'react';
import { ApiError, type ApiClient } from '../api';
import type { Session } from '../appState';
import { createLogger } from '../logger';
import { fromLogin, refreshDelay } from '../session';

const log = createLogger('token-refresh');
const RETRY_MS = 30_000;

export function useTokenRefresh(
  api: ApiClient | null,
  session: Session | null,
  onRefreshed: (session: Session) => void,
  onExpired: () => void,
): void {
  const callbacks = useRef({ onRefreshed, onExpired });
  useEffect(() => {
    callbacks.current = { onRefreshed, onExpired };
  }, [onRefreshed, onExpired]);
  // Services without a refresh route answer 404 once; after that, stop asking.
  const unsupported = useRef(false);

  const expiresAt = session?.expiresAt ?? null;
  useEffect(() => {
    if (!api || expiresAt === null || unsupported.current) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    const run = async () => {
      try {
        const fresh = fromLogin(await api.refresh());
        if (!cancelled) callbacks.current.onRefreshed(fresh);
      } catch (error) {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 404) {
          unsupported.current = true;
          return;
        }
        if (error instanceof ApiError && error.code === 'unauthorized') {
          callbacks.current.onExpired();
          return;
        }
        log.warn('refresh-failed', { error });
        if (Date.parse(expiresAt) > Date.now()) timer = setTimeout(run, RETRY_MS);
        else callbacks.current.onExpired();
      }
    };
    const delay = refreshDelay(expiresAt, Date.now());
    if (delay !== null) timer = setTimeout(run, delay);
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, expiresAt]);
}
