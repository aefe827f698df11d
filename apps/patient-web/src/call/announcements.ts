// Pure: what the live region says when the patient's screen changes.
import type { MessageId } from '../i18n/i18n.ts';
import type { Screen } from '../screens/screen.ts';

/**
 * What changed, as a message id (null: nothing worth saying). `doctorSeen`: the doctor's media has been
 * in this call before. Admission shows the call screen a moment before the doctor's peer
 * arrives, so their first arrival is not a return: "The doctor let you in" already said it.
 */
export function describeChange(from: Screen, to: Screen, doctorSeen: boolean): MessageId | null {
  if (from.kind === to.kind) {
    if (
      from.kind === 'in-call' &&
      to.kind === 'in-call' &&
      from.doctorPresent !== to.doctorPresent
    ) {
      if (!to.doctorPresent) return 'announce.away';
      return doctorSeen ? 'announce.back' : null;
    }
    return null;
  }
  switch (to.kind) {
    case 'waiting':
      return from.kind === 'reconnecting' ? 'announce.reconnectedWaiting' : null;
    case 'in-call':
      return from.kind === 'reconnecting' ? 'announce.reconnected' : 'announce.admitted';
    case 'reconnecting':
      return 'announce.lost';
    default:
      return null;
  }
}
