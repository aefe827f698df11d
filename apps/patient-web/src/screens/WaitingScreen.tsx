// DOM: the waiting room. Calm and plain: the patient knows they are in the right place, sees
// themselves (so they can fix the framing), and can leave.
import { Page } from '../ui/Page.tsx';
import { VideoView } from '../ui/VideoView.tsx';

interface Props {
  stream: MediaStream | null;
  reconnecting: boolean;
  onLeave: () => void;
}

export function WaitingScreen({ stream, reconnecting, onLeave }: Props) {
  return (
    <Page title="Waiting for the doctor">
      <p role="status">
        <span className="pulse" aria-hidden="true" />
        The doctor will let you in soon.
      </p>
      <p className="muted">
        Please keep this page open. You will see the doctor as soon as they let you in.
      </p>
      {reconnecting && (
        <p className="notice" role="alert">
          Connection lost. Reconnecting…
        </p>
      )}
      <div className="waiting-self">
        <VideoView stream={stream} label="Your camera" self />
      </div>
      <button type="button" className="btn btn-secondary btn-block" onClick={onLeave}>
        Leave waiting room
      </button>
    </Page>
  );
}
