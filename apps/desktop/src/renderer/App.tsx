// DOM: the renderer's root. Boots (settings, server version, stored session), then renders the
// one screen that the current `AppState` calls for.
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  DEFAULT_SETTINGS,
  compareVersions,
  type AppInfo,
  type BedsideBridge,
  type Settings,
} from '@bedside/shared';
import { createApi, type ApiClient } from './api';
import {
  EXPIRED_NOTICE,
  LOCKED_NOTICE,
  homeFor,
  idleNotice,
  type AppContext,
  type AppState,
  type Session,
} from './appState';
import { getBridge } from './bridge/getBridge';
import { ScreenPicker } from './capture/ScreenPicker';
import { lockConnectSrc } from './csp';
import { useIdleSignOut } from './hooks/useIdleSignOut';
import { useTokenRefresh } from './hooks/useTokenRefresh';
import { t } from './i18n/i18n';
import { createLogger } from './logger';
import { AppointmentsScreen } from './screens/AppointmentsScreen';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { LoadingScreen } from './screens/LoadingScreen';
import { ManagerScreen } from './screens/ManagerScreen';
import { OutdatedScreen } from './screens/OutdatedScreen';
import { SignInScreen } from './screens/SignInScreen';
import { SummaryScreen } from './screens/SummaryScreen';
import { UnreachableScreen } from './screens/UnreachableScreen';
import { VisitScreen } from './screens/VisitScreen';
import { TokenHolder, restoreSession } from './session';
import { apiErrorText, errorCode } from './ui/apiError';

const log = createLogger('app');

const FALLBACK_INFO: AppInfo = {
  version: __BEDSIDE_VERSION__,
  platform: 'unknown',
  secureStorage: false,
};

async function loadContext(bridge: BedsideBridge): Promise<AppContext> {
  const [info, settings] = await Promise.all([bridge.app.getInfo(), bridge.settings.get()]);
  if (!info.ok) log.warn('app-info-failed', { code: info.error.code });
  if (!settings.ok) log.warn('settings-failed', { code: settings.error.code });
  return {
    info: info.ok ? info.data : FALLBACK_INFO,
    settings: settings.ok ? settings.data : DEFAULT_SETTINGS,
  };
}

/** The outdated state when the service needs a newer app than this one, else null. */
async function checkVersion(api: ApiClient, info: AppInfo): Promise<AppState | null> {
  const version = await api.version();
  return compareVersions(info.version, version.minDesktopVersion) < 0
    ? { kind: 'outdated', minVersion: version.minDesktopVersion, currentVersion: info.version }
    : null;
}

/** Where a configured app goes: outdated, unreachable, or on to the stored session. */
async function resolveStart(
  api: ApiClient,
  bridge: BedsideBridge,
  info: AppInfo,
): Promise<AppState> {
  try {
    const outdated = await checkVersion(api, info);
    if (outdated) return outdated;
    const stored = await bridge.session.getToken();
    const token = stored.ok ? stored.data : null;
    if (token === null) return { kind: 'signed-out', notice: null };
    const session = await restoreSession(
      createApi(api.serverUrl, () => token),
      token,
    );
    if (session === null) {
      await bridge.session.setToken(null);
      return { kind: 'signed-out', notice: EXPIRED_NOTICE };
    }
    if (session.token !== token) await bridge.session.setToken(session.token);
    return homeFor(session);
  } catch (error) {
    log.warn('start-failed', { code: errorCode(error) });
    const message = apiErrorText(t, 'start', error);
    return { kind: 'unreachable', serverUrl: api.serverUrl, message };
  }
}

const sessionOf = (s: AppState): Session | null =>
  s.kind === 'appointments' || s.kind === 'in-call' || s.kind === 'summary' || s.kind === 'manager'
    ? s.session
    : null;

export function App() {
  const bridge = useMemo(() => getBridge(), []);
  const [context, setContext] = useState<AppContext | null>(null);
  const [state, setState] = useState<AppState>({ kind: 'loading' });
  const [announcement, setAnnouncement] = useState('');

  const session = sessionOf(state);
  const [tokens] = useState(() => new TokenHolder());
  useEffect(() => {
    tokens.set(session?.token ?? null);
  }, [session, tokens]);

  const serverUrl = context?.settings.serverUrl ?? null;
  const api = useMemo(
    () => (serverUrl ? createApi(serverUrl, () => tokens.get()) : null),
    [serverUrl, tokens],
  );

  const start = useCallback(
    async (ctx: AppContext) => {
      setContext(ctx);
      if (ctx.settings.serverUrl === null) {
        setState({ kind: 'first-run' });
        return;
      }
      lockConnectSrc(ctx.settings.serverUrl);
      setState({ kind: 'loading' });
      setState(
        await resolveStart(
          createApi(ctx.settings.serverUrl, () => null),
          bridge,
          ctx.info,
        ),
      );
    },
    [bridge],
  );

  useEffect(() => {
    void loadContext(bridge).then(start);
  }, [bridge, start]);

  const signIn = useCallback(
    async (next: Session) => {
      const saved = await bridge.session.setToken(next.token);
      if (!saved.ok) log.warn('token-save-failed', { code: saved.error.code });
      tokens.set(next.token);
      setState(homeFor(next));
    },
    [bridge, tokens],
  );

  const signOut = useCallback(
    async (notice: string | null) => {
      // Ends the session on the service too (a copied token stops working), unless it already
      // ended there. Best effort: signing out locally must work offline.
      if (api && tokens.get() !== null && notice !== EXPIRED_NOTICE) {
        await api
          .logout()
          .catch((error: unknown) => log.warn('logout-failed', { code: errorCode(error) }));
      }
      tokens.set(null);
      await bridge.session.setToken(null);
      await bridge.notify.patientWaiting(0);
      setState({ kind: 'signed-out', notice });
      if (notice) setAnnouncement(notice);
    },
    [api, bridge, tokens],
  );

  const showOutdated = useCallback(async () => {
    if (!api || !context) return;
    const outdated = await checkVersion(api, context.info).catch(() => null);
    // The socket refused this version even if /api/version did not name one: say so plainly.
    setState(
      outdated ?? {
        kind: 'outdated',
        minVersion: null,
        currentVersion: context.info.version,
      },
    );
  }, [api, context]);

  // Electron clears the session when the workstation locks or sleeps.
  useEffect(
    () =>
      bridge.session.onCleared?.(() => {
        if (tokens.get() !== null) void signOut(LOCKED_NOTICE);
      }),
    [bridge, signOut, tokens],
  );

  const onUnauthorized = useCallback(() => void signOut(EXPIRED_NOTICE), [signOut]);

  const idleMinutes = context?.settings.idleTimeoutMinutes ?? DEFAULT_SETTINGS.idleTimeoutMinutes;
  useIdleSignOut({
    minutes: session ? idleMinutes : null,
    paused: state.kind === 'in-call',
    onIdle: () => void signOut(idleNotice(idleMinutes)),
  });

  useTokenRefresh(
    api,
    session,
    (fresh) => {
      tokens.set(fresh.token);
      void bridge.session.setToken(fresh.token);
      setState((s) => (sessionOf(s) ? ({ ...s, session: fresh } as AppState) : s));
    },
    onUnauthorized,
  );

  const updateSettings = useCallback(
    async (patch: Partial<Settings>) => {
      const r = await bridge.settings.set(patch);
      if (r.ok) setContext((c) => (c ? { ...c, settings: r.data } : c));
      else log.warn('settings-save-failed', { code: r.error.code });
    },
    [bridge],
  );

  const changeServer = useCallback(async () => {
    await bridge.session.setToken(null);
    await bridge.settings.set({ serverUrl: null });
    // The CSP was narrowed to the old server; only a reload widens it again.
    window.location.reload();
  }, [bridge]);

  return (
    <>
      <div className="sr-only" role="status" aria-live="polite">
        {announcement}
      </div>
      {context && <ScreenPicker bridge={bridge} platform={context.info.platform} />}
      {renderScreen()}
    </>
  );

  function renderScreen() {
    if (state.kind === 'loading' || !context) return <LoadingScreen />;
    switch (state.kind) {
      case 'first-run':
        return (
          <FirstRunScreen
            bridge={bridge}
            onConfigured={(settings) => void start({ ...context, settings })}
          />
        );
      case 'unreachable':
        return (
          <UnreachableScreen
            serverUrl={state.serverUrl}
            message={state.message}
            canChangeServer={bridge.kind === 'electron'}
            onRetry={() => void start(context)}
            onChangeServer={() => void changeServer()}
          />
        );
      case 'outdated':
        return (
          <OutdatedScreen
            bridge={bridge}
            serverUrl={serverUrl}
            minVersion={state.minVersion}
            currentVersion={state.currentVersion}
          />
        );
      case 'signed-out':
        return api ? (
          <SignInScreen
            api={api}
            serverUrl={api.serverUrl}
            notice={state.notice}
            canChangeServer={bridge.kind === 'electron'}
            onSignedIn={(s) => void signIn(s)}
            onChangeServer={() => void changeServer()}
          />
        ) : (
          <LoadingScreen />
        );
      case 'appointments':
        return api ? (
          <AppointmentsScreen
            api={api}
            bridge={bridge}
            session={state.session}
            onOpenVisit={(visit) => setState({ kind: 'in-call', session: state.session, visit })}
            onSignOut={() => void signOut(null)}
            onUnauthorized={onUnauthorized}
          />
        ) : null;
      case 'in-call':
        return api ? (
          <VisitScreen
            api={api}
            bridge={bridge}
            context={context}
            session={state.session}
            visit={state.visit}
            onSettings={updateSettings}
            onEnded={(summary) => setState({ kind: 'summary', session: state.session, ...summary })}
            onLeave={() => setState({ kind: 'appointments', session: state.session })}
            onOutdated={() => void showOutdated()}
            onUnauthorized={onUnauthorized}
          />
        ) : null;
      case 'summary':
        return (
          <SummaryScreen
            meeting={state.meeting}
            reason={state.reason}
            duration={state.duration}
            user={state.session.user}
            onBack={() => setState({ kind: 'appointments', session: state.session })}
            onSignOut={() => void signOut(null)}
          />
        );
      case 'manager':
        return api ? (
          <ManagerScreen
            bridge={bridge}
            serverUrl={api.serverUrl}
            session={state.session}
            onSignOut={() => void signOut(null)}
          />
        ) : null;
    }
  }
}
