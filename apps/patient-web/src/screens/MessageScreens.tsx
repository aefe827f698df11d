// DOM: the screens that end the patient's path: a link that cannot open the visit, a visit
// that is over, or an error with a way to try again.
import { useT, type T } from '../i18n/i18n.ts';
import { Page } from '../ui/Page.tsx';
import type { EndedBy, ErrorMessageId } from './screen.ts';

/** "12 minutes 5 seconds", "1 hour 5 minutes": ICU plurals, per language. */
export function durationText(t: T, seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const parts =
    hours > 0
      ? [t('duration.hours', { hours }), minutes > 0 ? t('duration.minutes', { minutes }) : '']
      : minutes > 0
        ? [
            t('duration.minutes', { minutes }),
            rest > 0 ? t('duration.seconds', { seconds: rest }) : '',
          ]
        : [t('duration.seconds', { seconds: rest })];
  return parts.filter(Boolean).join(' ');
}

export function Joining() {
  const t = useT();
  return (
    <Page title={t('screen.joining.title')}>
      <p className="muted" role="status">
        {t('screen.joining.body')}
      </p>
    </Page>
  );
}

export function CheckingLink() {
  const t = useT();
  return (
    <Page title={t('screen.checking.title')}>
      <p className="muted" role="status">
        {t('screen.checking.body')}
      </p>
    </Page>
  );
}

function LinkProblemScreen({
  which,
}: {
  which: 'invalid' | 'expired' | 'cancelled' | 'over' | 'removed';
}) {
  const t = useT();
  return (
    <Page title={t(`screen.${which}.title`)}>
      <p>{t(`screen.${which}.body`)}</p>
      <p className="muted">{t('screen.contact')}</p>
    </Page>
  );
}

export const InvalidLink = () => <LinkProblemScreen which="invalid" />;
export const ExpiredLink = () => <LinkProblemScreen which="expired" />;
export const CancelledLink = () => <LinkProblemScreen which="cancelled" />;
export const VisitOver = () => <LinkProblemScreen which="over" />;
/** A guest the doctor removed, in the call or opening the link again. */
export const Removed = () => <LinkProblemScreen which="removed" />;

export function Ended({
  by,
  durationSeconds,
  onRejoin,
}: {
  by: EndedBy;
  durationSeconds: number | null;
  onRejoin: (() => void) | null;
}) {
  const t = useT();
  const lasted =
    durationSeconds !== null ? (
      <p data-testid="visit-lasted">
        {t('screen.ended.lasted', { duration: durationText(t, durationSeconds) })}
      </p>
    ) : null;
  if (by === 'you') {
    return (
      <Page title={t('screen.left.title')}>
        {lasted}
        <p>{t('screen.left.body')}</p>
        {onRejoin && (
          <button type="button" className="btn btn-block" onClick={onRejoin}>
            {t('screen.left.rejoin')}
          </button>
        )}
      </Page>
    );
  }
  return (
    <Page title={t('screen.ended.title')}>
      {lasted}
      <p>{by === 'doctor' ? t('screen.ended.byDoctor') : t('screen.ended.abandoned')}</p>
      <p className="muted">{t('screen.ended.close')}</p>
    </Page>
  );
}

export function ErrorScreen({
  message,
  onRetry,
}: {
  message: ErrorMessageId;
  onRetry: (() => void) | null;
}) {
  const t = useT();
  return (
    <Page title={t('screen.error.title')}>
      <p>{t(message)}</p>
      {onRetry && (
        <button type="button" className="btn btn-block" onClick={onRetry}>
          {t('screen.error.retry')}
        </button>
      )}
    </Page>
  );
}
