// DOM: after a visit: how long it lasted, then back to the day's list.
import type { Meeting, User } from '@bedside/shared';
import type { CallEndReason } from '@bedside/shared/call';
import { formatDuration, formatTime } from '../ui/format';
import { AppHeader } from '../ui/AppHeader';
import { useFocusOnMount } from '../ui/useFocusOnMount';

const REASON_TEXT: Record<CallEndReason, string> = {
  'ended-by-doctor': 'You ended the visit.',
  left: 'You left the visit. The patient can rejoin with the same link.',
  cancelled: 'The visit was cancelled.',
  abandoned: 'The visit ended because everyone had left.',
  // The doctor is never removed; kept so every reason has its sentence.
  removed: 'You were removed from the visit.',
  error: 'The visit ended because of a connection problem.',
};

export function SummaryScreen(props: {
  meeting: Meeting;
  reason: CallEndReason;
  duration: number | null;
  user: User;
  onBack: () => void;
  onSignOut: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { meeting } = props;
  return (
    <>
      <AppHeader user={props.user} onSignOut={props.onSignOut} />
      <main className="page narrow">
        <section className="card summary" aria-labelledby="summary-title">
          <h1 id="summary-title" ref={heading} tabIndex={-1}>
            Visit ended
          </h1>
          <p>{REASON_TEXT[props.reason]}</p>
          <dl className="facts">
            <div>
              <dt>Patient</dt>
              <dd>{meeting.patientName ?? meeting.patientId}</dd>
            </div>
            <div>
              <dt>Appointment</dt>
              <dd>{meeting.appointmentId}</dd>
            </div>
            <div>
              <dt>Scheduled</dt>
              <dd>{formatTime(meeting.scheduledTime)}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd data-testid="visit-duration">
                {props.duration === null
                  ? 'The call did not start'
                  : formatDuration(props.duration)}
              </dd>
            </div>
          </dl>
          <button type="button" className="btn btn-primary" onClick={props.onBack}>
            Back to today&apos;s appointments
          </button>
        </section>
      </main>
    </>
  );
}
