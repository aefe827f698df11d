// DOM: the configured server did not answer.
import { useT } from '../i18n/i18n';
import { CenteredPage } from '../ui/Brand';
import { useFocusOnMount } from '../ui/useFocusOnMount';

export function UnreachableScreen(props: {
  serverUrl: string;
  message: string;
  canChangeServer: boolean;
  onRetry: () => void;
  onChangeServer: () => void;
}) {
  const t = useT();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <CenteredPage>
      <h1 ref={heading} tabIndex={-1}>
        {t('unreachable.title')}
      </h1>
      <p>{props.message}</p>
      <p className="muted small">{t('server.line', { host: props.serverUrl })}</p>
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={props.onRetry}>
          {t('unreachable.retry')}
        </button>
        {props.canChangeServer && (
          <button type="button" className="btn" onClick={props.onChangeServer}>
            {t('server.change')}
          </button>
        )}
      </div>
    </CenteredPage>
  );
}
