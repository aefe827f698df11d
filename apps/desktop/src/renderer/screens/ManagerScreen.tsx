// DOM: the clinic manager's home: the call-duration report (apps/desktop/src/renderer/manager).
import { Suspense, lazy, type ComponentType } from 'react';
import type { BedsideBridge } from '@bedside/shared';
import type { Session } from '../appState';
import { AppHeader } from '../ui/AppHeader';
import { useFocusOnMount } from '../ui/useFocusOnMount';

type ManagerViewProps = { serverUrl: string; token: string; bridge: BedsideBridge };

// Loaded on demand: doctors never download the report code. The glob resolves to nothing
// when the report view is not part of the build, and the placeholder shows instead.
const modules = import.meta.glob<{ ManagerView: ComponentType<ManagerViewProps> }>(
  '../manager/ManagerView.tsx',
);
const loader = modules['../manager/ManagerView.tsx'];
const ManagerView = loader ? lazy(async () => ({ default: (await loader()).ManagerView })) : null;

export function ManagerScreen(props: {
  bridge: BedsideBridge;
  serverUrl: string;
  session: Session;
  onSignOut: () => void;
}) {
  return (
    <>
      <AppHeader user={props.session.user} onSignOut={props.onSignOut} />
      {ManagerView ? (
        <Suspense fallback={<p className="page muted">Loading the report…</p>}>
          <ManagerView
            serverUrl={props.serverUrl}
            token={props.session.token}
            bridge={props.bridge}
          />
        </Suspense>
      ) : (
        <Placeholder />
      )}
    </>
  );
}

function Placeholder() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="page narrow">
      <h1 ref={heading} tabIndex={-1}>
        Call-duration report
      </h1>
      <p className="muted">The report view is not included in this build.</p>
    </main>
  );
}
