// DOM: the configured server did not answer.
import { CenteredPage } from '../ui/Brand';
import { useFocusOnMount } from '../ui/useFocusOnMount';

export function UnreachableScreen(props: {
  serverUrl: string;
  message: string;
  canChangeServer: boolean;
  onRetry: () => void;
  onChangeServer: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <CenteredPage>
      <h1 ref={heading} tabIndex={-1}>
        Can&apos;t reach the Bedside server
      </h1>
      <p>{props.message}</p>
      <p className="muted small">Server: {props.serverUrl}</p>
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={props.onRetry}>
          Try again
        </button>
        {props.canChangeServer && (
          <button type="button" className="btn" onClick={props.onChangeServer}>
            Change server
          </button>
        )}
      </div>
    </CenteredPage>
  );
}
