// DOM: the doctor's day: today's visits, a form for a new one, and the patient link.
import { useCallback, useEffect, useState } from 'react';
import type { BedsideBridge, Meeting, MeetingStatus } from '@bedside/shared';
import { ApiError, type ApiClient } from '../api';
import type { OpenVisit, Session } from '../appState';
import { formatTime, todayRange } from '../ui/format';
import { createLogger } from '../logger';
import { apiErrorText, errorCode, type ApiOperation } from '../ui/apiError';
import { AppHeader } from '../ui/AppHeader';
import { ErrorText } from '../ui/ErrorText';
import { Modal } from '../ui/Modal';
import { useFocusOnMount } from '../ui/useFocusOnMount';
import { NewVisitForm } from './NewVisitForm';
import { PatientLink } from './PatientLink';
import { joinUrlWithLanguage, t, useT, type MessageId } from '../i18n/i18n';

const log = createLogger('appointments');
const REFRESH_MS = 30_000;

type ListState =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'loaded'; items: Meeting[] };

const statusId = (s: MeetingStatus) => `appointments.status.${s}` satisfies MessageId;

export const patientLabel = (m: Meeting): string =>
  m.patientName ?? t('appointments.patientFallback', { id: m.patientId });
const canOpen = (m: Meeting) => m.status === 'scheduled' || m.status === 'active';

export function AppointmentsScreen(props: {
  api: ApiClient;
  bridge: BedsideBridge;
  session: Session;
  onOpenVisit: (visit: OpenVisit) => void;
  onSignOut: () => void;
  onUnauthorized: () => void;
}) {
  const t = useT();
  const { api, onUnauthorized } = props;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [list, setList] = useState<ListState>({ kind: 'loading' });
  const [link, setLink] = useState<{ meeting: Meeting; url: string } | null>(null);
  const [toCancel, setToCancel] = useState<Meeting | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const handle = useCallback(
    (error: unknown, operation: ApiOperation): string | null => {
      if (error instanceof ApiError && error.code === 'unauthorized') {
        onUnauthorized();
        return null;
      }
      log.warn('request-failed', { operation, code: errorCode(error) });
      return apiErrorText(t, operation, error);
    },
    [onUnauthorized, t],
  );

  const load = useCallback(async () => {
    const { from, to } = todayRange(new Date());
    try {
      const items: Meeting[] = [];
      // A doctor's day fits one page; keep reading if it does not.
      for (let page = 1; page <= 10; page++) {
        const r = await api.listMeetings({ from, to, page, limit: 200 });
        items.push(...r.items);
        if (items.length >= r.total || r.items.length === 0) break;
      }
      items.sort((a, b) => a.scheduledTime.localeCompare(b.scheduledTime));
      setList({ kind: 'loaded', items });
    } catch (error) {
      const message = handle(error, 'appointments.load');
      if (message) setList((l) => (l.kind === 'loaded' ? l : { kind: 'error', message }));
    }
  }, [api, handle]);

  useEffect(() => {
    // Initial load and a gentle poll, so "In progress" / "Completed" badges stay current.
    const first = setTimeout(() => void load(), 0);
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [load]);

  // Creating the same appointment again returns the existing meeting and its link.
  const showLink = async (m: Meeting) => {
    setActionError(null);
    try {
      const r = await api.createMeeting({
        appointmentId: m.appointmentId,
        scheduledTime: m.scheduledTime,
      });
      setLink({ meeting: r.meeting, url: r.patientJoinUrl });
    } catch (error) {
      setActionError(handle(error, 'appointments.link'));
    }
  };

  const cancel = async (m: Meeting) => {
    setToCancel(null);
    setActionError(null);
    try {
      await api.cancelMeeting(m.roomId);
      if (link?.meeting.roomId === m.roomId) setLink(null);
      await load();
    } catch (error) {
      setActionError(handle(error, 'appointments.cancel'));
    }
  };

  const open = (meeting: Meeting) =>
    props.onOpenVisit({
      meeting,
      patientJoinUrl: link?.meeting.roomId === meeting.roomId ? link.url : null,
    });

  const today = new Date().toLocaleDateString(t.locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });

  return (
    <>
      <AppHeader user={props.session.user} onSignOut={props.onSignOut} />
      <main className="page">
        <div className="page-title">
          <div>
            <h1 ref={heading} tabIndex={-1}>
              {t('appointments.title')}
            </h1>
            <p className="muted">{today}</p>
          </div>
          <button type="button" className="btn btn-quiet" onClick={() => void load()}>
            {t('appointments.refresh')}
          </button>
        </div>
        <div className="columns">
          <section className="card list-card" aria-labelledby="list-title">
            <h2 id="list-title" className="sr-only">
              {t('appointments.visits')}
            </h2>
            <ErrorText message={actionError} />
            <AppointmentList
              list={list}
              onOpen={open}
              onShowLink={(m) => void showLink(m)}
              onCancel={setToCancel}
            />
          </section>
          <aside className="side">
            {link && (
              <section className="card">
                <PatientLink
                  key={link.meeting.roomId}
                  bridge={props.bridge}
                  link={link.url}
                  patientLabel={patientLabel(link.meeting)}
                  when={new Date(link.meeting.scheduledTime).toLocaleString(t.locale, {
                    dateStyle: 'full',
                    timeStyle: 'short',
                  })}
                  onOpenVisit={canOpen(link.meeting) ? () => open(link.meeting) : undefined}
                />
              </section>
            )}
            <section className="card">
              <NewVisitForm
                api={api}
                onUnauthorized={onUnauthorized}
                onCreated={(created, language) => {
                  setLink({
                    meeting: created.meeting,
                    url: joinUrlWithLanguage(created.patientJoinUrl, language),
                  });
                  void load();
                }}
              />
            </section>
          </aside>
        </div>
      </main>
      {toCancel && (
        <Modal labelledBy="cancel-title" onCancel={() => setToCancel(null)}>
          <h2 id="cancel-title">{t('appointments.cancel.title')}</h2>
          <p>
            {t('appointments.cancel.body', {
              patient: patientLabel(toCancel),
              time: formatTime(toCancel.scheduledTime, t.locale),
            })}
          </p>
          <div className="dialog-actions">
            <span className="spacer" />
            <button type="button" className="btn" onClick={() => setToCancel(null)}>
              {t('appointments.cancel.keep')}
            </button>
            <button type="button" className="btn btn-danger" onClick={() => void cancel(toCancel)}>
              {t('appointments.cancel.confirm')}
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}

function AppointmentList(props: {
  list: ListState;
  onOpen: (m: Meeting) => void;
  onShowLink: (m: Meeting) => void;
  onCancel: (m: Meeting) => void;
}) {
  const t = useT();
  const { list } = props;
  if (list.kind === 'loading')
    return (
      <p className="muted" role="status">
        {t('appointments.loading')}
      </p>
    );
  if (list.kind === 'error') return <ErrorText message={list.message} />;
  if (list.items.length === 0)
    return (
      <div className="empty">
        <p>{t('appointments.empty')}</p>
        <p className="muted small">{t('appointments.emptyHint')}</p>
      </div>
    );
  return (
    <ul className="appointments" aria-label={t('appointments.list')}>
      {list.items.map((m) => (
        <li key={m.roomId} className="appointment">
          <span className="appt-time">{formatTime(m.scheduledTime)}</span>
          <span className="appt-main">
            <span className="appt-name">{patientLabel(m)}</span>
            <span className="muted small">
              {t('appointments.appointment', { id: m.appointmentId })}
            </span>
          </span>
          <span className={`badge badge-${m.status}`}>{t(statusId(m.status))}</span>
          <span className="appt-actions">
            {canOpen(m) && (
              <>
                <button
                  type="button"
                  className="btn btn-quiet"
                  onClick={() => props.onShowLink(m)}
                  aria-label={t('appointments.linkNamed', { patient: patientLabel(m) })}
                >
                  {t('appointments.link')}
                </button>
                <button
                  type="button"
                  className="btn btn-quiet"
                  onClick={() => props.onCancel(m)}
                  aria-label={t('appointments.cancelNamed', { patient: patientLabel(m) })}
                >
                  {t('appointments.cancelShort')}
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => props.onOpen(m)}
                  aria-label={t('appointments.openNamed', { patient: patientLabel(m) })}
                >
                  {t('appointments.open')}
                </button>
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
