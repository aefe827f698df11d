// DOM + React: the pre-call check's camera + microphone preview.
import { useEffect, useState } from 'react';
import { type MediaErrorKind, mediaErrorKind } from '../call/errors.js';

export interface LocalPreview {
  /** What could be opened (possibly only the microphone or only the camera). */
  stream: MediaStream | null;
  /** Why something could not be opened; null when everything asked for is there. */
  error: MediaErrorKind | null;
}

const only = (c: MediaStreamConstraints, kind: 'audio' | 'video'): MediaStreamConstraints =>
  kind === 'audio'
    ? { audio: c.audio ?? false, video: false }
    : { audio: false, video: c.video ?? false };

/**
 * Opens what `constraints` ask for; when that fails for a device reason it tries the
 * microphone alone, then the camera alone, so the patient can still join with what works.
 */
export async function openPreview(
  mediaDevices: MediaDevices | null,
  constraints: MediaStreamConstraints,
): Promise<LocalPreview> {
  if (!mediaDevices || typeof mediaDevices.getUserMedia !== 'function')
    return { stream: null, error: 'insecure' }; // mediaDevices only exists on secure origins
  try {
    return { stream: await mediaDevices.getUserMedia(constraints), error: null };
  } catch (err) {
    const error = mediaErrorKind(err);
    if (error === 'denied' || error === 'insecure' || !constraints.audio || !constraints.video)
      return { stream: null, error };
    for (const kind of ['audio', 'video'] as const) {
      try {
        return { stream: await mediaDevices.getUserMedia(only(constraints, kind)), error };
      } catch {
        // try the other one
      }
    }
    return { stream: null, error };
  }
}

const IDLE: LocalPreview = { stream: null, error: null };

/**
 * Opens a preview for `constraints` (null: none) and stops its tracks when the constraints
 * change or the component unmounts. Hand a `stream.clone()` to the engine when joining.
 */
export function useLocalPreview(
  constraints: MediaStreamConstraints | null,
  mediaDevices?: MediaDevices | null,
): LocalPreview {
  const [result, setResult] = useState<{
    for: MediaStreamConstraints;
    preview: LocalPreview;
  } | null>(null);
  useEffect(() => {
    if (!constraints) return;
    const md =
      mediaDevices === undefined
        ? typeof navigator !== 'undefined'
          ? (navigator.mediaDevices ?? null)
          : null
        : mediaDevices;
    let alive = true;
    let opened: MediaStream | null = null;
    void openPreview(md, constraints).then((preview) => {
      if (!alive) {
        for (const t of preview.stream?.getTracks() ?? []) t.stop();
        return;
      }
      opened = preview.stream;
      setResult({ for: constraints, preview });
    });
    return () => {
      alive = false;
      for (const t of opened?.getTracks() ?? []) t.stop();
    };
  }, [constraints, mediaDevices]);
  // A result for older constraints is stale (its tracks are stopped): report "starting".
  return result && result.for === constraints ? result.preview : IDLE;
}
