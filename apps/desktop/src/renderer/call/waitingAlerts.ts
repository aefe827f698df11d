// Pure: what the doctor is told as the waiting room changes. Arrivals are recognised by userId,
// not socketId: socket ids change with every reconnect (and all of them after a service
// restart), which must not re-announce a patient the doctor already knows about. An
// announcement is withdrawn once none of the patients it named is waiting any more (admitted,
// or gone), so the live region never states what is no longer true.
import type { WaitingPatient } from '@bedside/shared';
import { roleLabel } from '../guests/guests';
import { t } from '../i18n/i18n';
import { waitingByRole } from './waitingSummary';

export interface WaitingAlertState {
  /** userIds waiting at the last update. */
  readonly waiting: ReadonlySet<string>;
  /** userIds the current announcement names; empty when nothing is announced. */
  readonly announced: readonly string[];
}

export const NO_WAITING_ALERT: WaitingAlertState = { waiting: new Set(), announced: [] };

export interface WaitingAlertStep {
  state: WaitingAlertState;
  /** New announcement text; '' withdraws the current one; null leaves it as it is. */
  announce: string | null;
  chime: boolean;
}

export function nextWaitingAlert(
  prev: WaitingAlertState,
  list: readonly WaitingPatient[],
): WaitingAlertStep {
  const waiting = new Set(list.map((w) => w.userId));
  const arrivals = list.filter(
    (w, i) => !prev.waiting.has(w.userId) && list.findIndex((x) => x.userId === w.userId) === i,
  );
  if (arrivals.length > 0) {
    return {
      state: { waiting, announced: arrivals.map((w) => w.userId) },
      announce: announcement(arrivals),
      chime: true,
    };
  }
  if (prev.announced.length > 0 && !prev.announced.some((id) => waiting.has(id))) {
    return { state: { waiting, announced: [] }, announce: '', chime: false };
  }
  return { state: { waiting, announced: prev.announced }, announce: null, chime: false };
}

/** A patient by name; a guest by name and part; several arrivals as a count per part. */
function announcement(arrivals: readonly WaitingPatient[]): string {
  if (arrivals.length > 1) return t('waiting.announce.many', { who: waitingByRole(arrivals) });
  const one = arrivals[0]!;
  return one.role === 'patient'
    ? t('waiting.announce.patient', { name: one.userName })
    : t('waiting.announce.guest', { name: one.userName, role: roleLabel(one.role) });
}
