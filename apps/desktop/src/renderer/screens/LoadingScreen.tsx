// DOM: shown while the app reads its settings and checks the server.
import { useT } from '../i18n/i18n';
import { CenteredPage } from '../ui/Brand';

export function LoadingScreen() {
  const t = useT();
  return (
    <CenteredPage>
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> {t('loading.starting')}
      </p>
    </CenteredPage>
  );
}
