// DOM: shown while the app reads its settings and checks the server.
import { CenteredPage } from '../ui/Brand';

export function LoadingScreen() {
  return (
    <CenteredPage>
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> Starting Bedside…
      </p>
    </CenteredPage>
  );
}
