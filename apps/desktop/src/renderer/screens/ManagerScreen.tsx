// DOM: the clinic manager's home: the call-duration report (apps/desktop/src/renderer/manager).
import { Suspense, lazy } from 'react';
import type { BedsideBridge } from '@bedside/shared';
import type { Session } from '../appState';
import { useT } from '../i18n/i18n';
import { AppHeader } from '../ui/AppHeader';

// Loaded on demand: doctors never download the report code.
const ManagerView = lazy(async () => ({
  default: (await import('../manager/ManagerView')).ManagerView,
}));

export function ManagerScreen(props: {
  bridge: BedsideBridge;
  serverUrl: string;
  session: Session;
  onSignOut: () => void;
}) {
  const t = useT();
  return (
    <>
      <AppHeader user={props.session.user} onSignOut={props.onSignOut} />
      <Suspense
        fallback={
          <p className="page muted" role="status">
            {t('manager.loading')}
          </p>
        }
      >
        <ManagerView
          serverUrl={props.serverUrl}
          token={props.session.token}
          bridge={props.bridge}
        />
      </Suspense>
    </>
  );
}
