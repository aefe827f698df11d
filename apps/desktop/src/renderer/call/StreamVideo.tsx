// DOM: a <video> bound to a MediaStream. Always muted: our own camera so we do not hear
// ourselves, everyone else's because their sound plays from PeerAudio, which a layout change
// does not remount.
import { useEffect, useRef } from 'react';

export function StreamVideo(props: {
  stream: MediaStream | null;
  /** Our own camera: mirrored, as people expect to see themselves. */
  self?: boolean;
  className?: string;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const { stream } = props;

  useEffect(() => {
    const el = ref.current;
    if (!el || el.srcObject === stream) return;
    el.srcObject = stream;
    // Autoplay can be refused before any user gesture; the element retries on the next one.
    if (stream) void el.play().catch(() => {});
  }, [stream]);

  return (
    <video
      ref={ref}
      className={`${props.className ?? ''}${props.self ? ' mirrored' : ''}`}
      autoPlay
      playsInline
      muted
      aria-label={props.label}
      data-testid={props.testId}
    />
  );
}
