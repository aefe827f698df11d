// DOM: the screens that end the patient's path: a link that cannot open the visit, a visit
// that is over, or an error with a way to try again.
import { Page } from '../ui/Page.tsx';
import { formatDuration, type EndedBy } from './screen.ts';

const CONTACT = 'If you still need to see the doctor, contact the clinic for a new link.';

export const Joining = () => (
  <Page title="Joining your visit">
    <p className="muted" role="status">
      Connecting…
    </p>
  </Page>
);

export const CheckingLink = () => (
  <Page title="Opening your visit">
    <p className="muted" role="status">
      Checking your link…
    </p>
  </Page>
);

export const InvalidLink = () => (
  <Page title="This link is not valid">
    <p>
      The visit link is incomplete or has been changed. Open the link again exactly as the clinic
      sent it.
    </p>
    <p className="muted">{CONTACT}</p>
  </Page>
);

export const ExpiredLink = () => (
  <Page title="This link has expired">
    <p>Visit links only work for a limited time after the appointment.</p>
    <p className="muted">{CONTACT}</p>
  </Page>
);

export const CancelledLink = () => (
  <Page title="This link was cancelled">
    <p>The clinic cancelled this video visit, so the link no longer opens it.</p>
    <p className="muted">{CONTACT}</p>
  </Page>
);

export const VisitOver = () => (
  <Page title="The visit has ended">
    <p>This visit already took place, so the link no longer opens it.</p>
    <p className="muted">{CONTACT}</p>
  </Page>
);

export function Ended({
  by,
  durationSeconds,
  onRejoin,
}: {
  by: EndedBy;
  durationSeconds: number | null;
  onRejoin: (() => void) | null;
}) {
  const lasted =
    durationSeconds !== null ? <p>The visit lasted {formatDuration(durationSeconds)}.</p> : null;
  if (by === 'you') {
    return (
      <Page title="You left the visit">
        {lasted}
        <p>You can close this page. If you left by mistake, you can go back in.</p>
        {onRejoin && (
          <button type="button" className="btn btn-block" onClick={onRejoin}>
            Rejoin visit
          </button>
        )}
      </Page>
    );
  }
  return (
    <Page title="The visit has ended">
      {lasted}
      <p>
        {by === 'doctor'
          ? 'The doctor has ended the visit. Thank you.'
          : 'Everyone left, so the visit was closed.'}
      </p>
      <p className="muted">You can close this page now.</p>
    </Page>
  );
}

export function ErrorScreen({
  message,
  onRetry,
}: {
  message: string;
  onRetry: (() => void) | null;
}) {
  return (
    <Page title="Something went wrong">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="btn btn-block" onClick={onRetry}>
          Try again
        </button>
      )}
    </Page>
  );
}
