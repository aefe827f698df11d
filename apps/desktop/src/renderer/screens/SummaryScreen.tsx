// DOM: after a visit: how long it lasted, then back to the day's list.
import type { Meeting, User } from '@bedside/shared';
import type { CallEndReason } from '@bedside/shared/call';
import { useT, type MessageId } from '../i18n/i18n';
import { formatDuration, formatTime } from '../ui/format';
import { AppHeader } from '../ui/AppHeader';
import { useFocusOnMount } from '../ui/useFocusOnMount';

// Every reason has its sentence (`summary.reason.removed` too, though the doctor is never removed).
const reasonId = (reason: CallEndReason) => `summary.reason.${reason}` satisfies MessageId;

export function SummaryScreen(props: {
  meeting: Meeting;
  reason: CallEndReason;
  duration: number | null;
  user: User;
  onBack: () => void;
  onSignOut: () => void;
}) {
  const t = useT();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { meeting } = props;
  return (
    <>
      <AppHeader user={props.user} onSignOut={props.onSignOut} />
      <main className="page narrow">
        <section className="card summary" aria-labelledby="summary-title">
          <h1 id="summary-title" ref={heading} tabIndex={-1}>
            {t('summary.title')}
          </h1>
          <p>{t(reasonId(props.reason))}</p>
          <dl className="facts">
            <div>
              <dt>{t('summary.patient')}</dt>
              <dd>{meeting.patientName ?? meeting.patientId}</dd>
            </div>
            <div>
              <dt>{t('summary.appointment')}</dt>
              <dd>{meeting.appointmentId}</dd>
            </div>
            <div>
              <dt>{t('summary.scheduled')}</dt>
              <dd>{formatTime(meeting.scheduledTime)}</dd>
            </div>
            <div>
              <dt>{t('summary.duration')}</dt>
              <dd data-testid="visit-duration">
                {props.duration === null ? t('summary.notStarted') : formatDuration(props.duration)}
              </dd>
            </div>
          </dl>
          <button type="button" className="btn btn-primary" onClick={props.onBack}>
            {t('summary.back')}
          </button>
        </section>
      </main>
    </>
  );
}
