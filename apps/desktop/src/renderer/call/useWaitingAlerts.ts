// DOM: tells the doctor a patient has arrived: a chime, an announcement for screen readers,
// and the app-level badge / OS notification (through the bridge; it works while sharing a
// screen or with Bedside in the background).
import { useEffect, useRef } from 'react';
import type { BedsideBridge, WaitingPatient } from '@bedside/shared';
import { playChime } from './chime';

export function useWaitingAlerts(
  waiting: readonly WaitingPatient[],
  bridge: BedsideBridge,
  announce: (text: string) => void,
): void {
  const seen = useRef<Set<string>>(new Set());
  const lastCount = useRef(0);
  const announceRef = useRef(announce);
  useEffect(() => {
    announceRef.current = announce;
  }, [announce]);

  useEffect(() => {
    const arrivals = waiting.filter((w) => !seen.current.has(w.socketId));
    seen.current = new Set(waiting.map((w) => w.socketId));
    if (arrivals.length > 0) {
      playChime();
      announceRef.current(
        arrivals.length === 1
          ? `${arrivals[0]!.userName} is in the waiting room.`
          : `${arrivals.length} patients are in the waiting room.`,
      );
    }
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
