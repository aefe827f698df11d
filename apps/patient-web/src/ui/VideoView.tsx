// DOM: one <video> showing a MediaStream. Self views are muted (no echo) and mirrored (people
// expect a mirror); remote views report when the browser blocks sound until a tap.
import { useEffect, useRef, useState } from 'react';
import { needsTap, startPlayback } from './autoplay.ts';
import { videoFit } from './videoFit.ts';

interface Props {
  stream: MediaStream | null;
  /** Accessible name of the video, e.g. "Your camera". */
  label: string;
  self?: boolean;
  className?: string;
  /**
   * Called when autoplay with sound was refused (Safari without a tap): the video then plays
   * muted (autoplay.ts) until the patient taps "Tap to turn on sound".
   */
  onPlayBlocked?: () => void;
  /** Fill the box by cropping only when little is lost, else show the whole picture. */
  autoFit?: boolean;
  /** The picture's own size, whenever it changes (a phone rotated, a camera switched). */
  onVideoSize?: (size: { width: number; height: number }) => void;
}

export function VideoView({
  stream,
  label,
  self = false,
  className,
  onPlayBlocked,
  autoFit = false,
  onVideoSize,
}: Props) {
  const ref = useRef<HTMLVideoElement | null>(null);
  const [fit, setFit] = useState<'cover' | 'contain'>('contain');

  useEffect(() => {
    const el = ref.current;
    if (!el || (!autoFit && !onVideoSize)) return;
    const update = () => {
      const video = { width: el.videoWidth, height: el.videoHeight };
      onVideoSize?.(video);
      if (autoFit) setFit(videoFit(video, { width: el.clientWidth, height: el.clientHeight }));
    };
    // `resize` fires when the sender's picture changes shape (the doctor's or our camera).
    el.addEventListener('resize', update);
    el.addEventListener('loadedmetadata', update);
    const box = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    box?.observe(el);
    return () => {
      el.removeEventListener('resize', update);
      el.removeEventListener('loadedmetadata', update);
      box?.disconnect();
    };
  }, [autoFit, onVideoSize]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) {
      void startPlayback(el).then((outcome) => {
        if (needsTap(outcome)) onPlayBlocked?.();
      });
    }
  }, [stream, onPlayBlocked]);

  return (
    <video
      ref={ref}
      // Remote videos carry the doctor's sound: the call view finds them to pick a speaker.
      data-remote={self ? undefined : ''}
      className={[className, self ? 'mirrored' : '', autoFit ? `fit-${fit}` : '']
        .filter(Boolean)
        .join(' ')}
      data-fit={autoFit ? fit : undefined}
      aria-label={label}
      autoPlay
      playsInline
      muted={self}
      // Self views carry no sound; remote video has its own controls bar.
      disablePictureInPicture={self}
    />
  );
}
