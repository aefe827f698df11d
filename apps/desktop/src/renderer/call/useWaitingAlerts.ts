// DOM: tells the doctor a patient has arrived: a chime, an announcement for screen readers,
// and the app-level badge / OS notification (through the bridge; it works while sharing a
// screen or with Bedside in the background).
import { useEffect, useRef } from 'react';
import type { BedsideBridge, WaitingPatient } from '@bedside/shared';
import { playChime } from './chime';
import { NO_WAITING_ALERT, nextWaitingAlert } from './waitingAlerts';

/** `announce('')` withdraws the announcement once nobody it named is waiting. */
export function useWaitingAlerts(
  waiting: readonly WaitingPatient[],
  bridge: BedsideBridge,
  announce: (text: string) => void,
): void {
  const alerts = useRef(NO_WAITING_ALERT);
  const lastCount = useRef(0);
  const announceRef = useRef(announce);
  useEffect(() => {
    announceRef.current = announce;
  }, [announce]);

  useEffect(() => {
    const step = nextWaitingAlert(alerts.current, waiting);
    alerts.current = step.state;
    if (step.chime) playChime();
    if (step.announce !== null) announceRef.current(step.announce);
    if (waiting.length !== lastCount.current) {
      lastCount.current = waiting.length;
      void bridge.notify.patientWaiting(waiting.length);
    }
  }, [waiting, bridge]);

  // Leaving the visit clears the badge.
  useEffect(
    () => () => {
      void bridge.notify.patientWaiting(0);
    },
    [bridge],
  );
}
