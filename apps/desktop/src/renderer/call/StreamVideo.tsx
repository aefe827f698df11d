// DOM: a <video> bound to a MediaStream.
import { useEffect, useRef } from 'react';

export function StreamVideo(props: {
  stream: MediaStream | null;
  /** Our own camera: muted (no echo) and mirrored, as people expect to see themselves. */
  self?: boolean;
  className?: string;
  label: string;
  /** Hands the element to the parent (speaker selection needs it). */
  onElement?: (element: HTMLVideoElement | null) => void;
  testId?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const { stream, onElement } = props;

  useEffect(() => {
    const el = ref.current;
    if (!el || el.srcObject === stream) return;
    el.srcObject = stream;
    // Autoplay can be refused before any user gesture; the element retries on the next one.
    if (stream) void el.play().catch(() => {});
  }, [stream]);

  useEffect(() => {
    if (!onElement) return;
    onElement(ref.current);
    return () => onElement(null);
  }, [onElement]);

  return (
    <video
      ref={ref}
      className={`${props.className ?? ''}${props.self ? ' mirrored' : ''}`}
      autoPlay
      playsInline
      muted={props.self === true}
      aria-label={props.label}
      data-testid={props.testId}
    />
  );
}
