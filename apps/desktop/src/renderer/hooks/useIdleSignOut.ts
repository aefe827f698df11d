// DOM: signs the user out after the configured idle minutes, except during a call.
import { useEffect, useRef } from 'react';
import { IdleTimer } from './idleTimer';

export function useIdleSignOut(options: {
  /** null: nobody is signed in, nothing to time out. */
  minutes: number | null;
  paused: boolean;
  onIdle: () => void;
}): void {
  const { minutes, paused, onIdle } = options;
  const timer = useRef<IdleTimer | null>(null);
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (minutes === null) return;
    const t = new IdleTimer({
      target: window,
      timeoutMs: minutes * 60_000,
      onIdle: () => onIdleRef.current(),
    });
    timer.current = t;
    return () => {
      t.dispose();
      timer.current = null;
    };
  }, [minutes]);

  useEffect(() => {
    timer.current?.setPaused(paused);
  }, [paused, minutes]);
}
