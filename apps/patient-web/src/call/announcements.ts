// Pure: what the live region says when the patient's screen changes.
import type { Screen } from '../screens/screen.ts';

/**
 * What changed, in words (null: nothing worth saying). `doctorSeen`: the doctor's media has been
 * in this call before. Admission shows the call screen a moment before the doctor's peer
 * arrives, so their first arrival is not a return: "The doctor let you in." already said it.
 */
export function describeChange(from: Screen, to: Screen, doctorSeen: boolean): string | null {
  if (from.kind === to.kind) {
    if (
      from.kind === 'in-call' &&
      to.kind === 'in-call' &&
      from.doctorPresent !== to.doctorPresent
    ) {
      if (!to.doctorPresent) return 'The doctor has stepped away.';
      return doctorSeen ? 'The doctor is back.' : null;
    }
    return null;
  }
  switch (to.kind) {
    case 'waiting':
      return from.kind === 'reconnecting' ? 'Reconnected. Still waiting for the doctor.' : null;
    case 'in-call':
      return from.kind === 'reconnecting' ? 'Reconnected.' : 'The doctor let you in.';
    case 'reconnecting':
      return 'Connection lost. Reconnecting.';
    default:
      return null;
  }
}
