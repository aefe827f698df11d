// DOM: people waiting to be admitted, one card each, with their part in the visit (patient,
// interpreter, …). An invited guest can be removed from here too (which revokes their link).
import { useEffect, useState } from 'react';
import type { WaitingPatient } from '@bedside/shared';
import { roleLabel } from '../guests/guests';
import { useT } from '../i18n/i18n';
import { formatTime, formatWaitingFor } from '../ui/format';
import { UserIcon } from '../ui/icons';
import { PrecheckList } from './PrecheckList';

export function WaitingRoomPanel(props: {
  waiting: readonly WaitingPatient[];
  admitting: string | null;
  onAdmit: (socketId: string) => void;
  /** Guests only (by guestId, their userId); patients have no removal. */
  onRemoveGuest?: (guestId: string) => void;
  /** The guestId being removed, if any. */
  removing?: string | null;
  compact?: boolean;
}) {
  const t = useT();
  const now = useNow(15_000);
  return (
    <section className="waiting-room" aria-labelledby="waiting-title">
      <h2 id="waiting-title">
        {t('waitingRoom.title')}{' '}
        <span className="count-badge" data-testid="waiting-count">
          {props.waiting.length}
          <span className="sr-only">
            {t('waitingRoom.patients', { count: props.waiting.length })}
          </span>
        </span>
      </h2>
      {props.waiting.length === 0 ? (
        <p className="muted">{t('waitingRoom.empty')}</p>
      ) : (
        <ul className="waiting-list">
          {props.waiting.map((w) => (
            <li key={w.socketId} className="card waiting-card">
              <div className="waiting-head">
                <span className="avatar" aria-hidden="true">
                  <UserIcon />
                </span>
                <span>
                  <span className="waiting-name">{w.userName}</span>
                  <span className="role-tag" data-testid="waiting-role">
                    {roleLabel(w.role)}
                  </span>
                  <span className="muted small">
                    {t('waitingRoom.since', {
                      time: formatTime(w.waitingSince),
                      duration: formatWaitingFor(w.waitingSince, now),
                    })}
                  </span>
                </span>
              </div>
              {!props.compact && <PrecheckList precheck={w.precheck} />}
              <button
                type="button"
                className="btn btn-primary"
                disabled={props.admitting !== null}
                onClick={() => props.onAdmit(w.socketId)}
                aria-label={t('waitingRoom.admitNamed', { name: w.userName })}
              >
                {props.admitting === w.socketId
                  ? t('waitingRoom.admitting')
                  : t('waitingRoom.admit')}
              </button>
              {w.userType === 'guest' && props.onRemoveGuest && (
                <button
                  type="button"
                  className="btn btn-small btn-danger-outline"
                  disabled={props.removing != null}
                  onClick={() => props.onRemoveGuest?.(w.userId)}
                  aria-label={t('waiting.removeNamed', { name: w.userName })}
                >
                  {props.removing === w.userId ? t('guests.removing') : t('guests.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
