// DOM: one <video> showing a MediaStream. Self views are muted (no echo) and mirrored (people
// expect a mirror); remote views report when the browser blocks sound until a tap.
import { useEffect, useRef } from 'react';

interface Props {
  stream: MediaStream | null;
  /** Accessible name of the video, e.g. "Your camera". */
  label: string;
  self?: boolean;
  className?: string;
  /** Called when autoplay with sound was refused (iOS after a reload, for instance). */
  onPlayBlocked?: () => void;
}

export function VideoView({ stream, label, self = false, className, onPlayBlocked }: Props) {
  const ref = useRef<HTMLVideoElement | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) {
      el.play().catch((err: unknown) => {
        // AbortError: a newer srcObject replaced this one; nothing to tell the patient.
        if (err instanceof DOMException && err.name === 'NotAllowedError') onPlayBlocked?.();
      });
    }
  }, [stream, onPlayBlocked]);

  return (
    <video
      ref={ref}
      // Remote videos carry the doctor's sound: the call view finds them to pick a speaker.
      data-remote={self ? undefined : ''}
      className={[className, self ? 'mirrored' : ''].filter(Boolean).join(' ')}
      aria-label={label}
      autoPlay
      playsInline
      muted={self}
      // Self views carry no sound; remote video has its own controls bar.
      disablePictureInPicture={self}
    />
  );
}
