// DOM + React: background blur for a camera track — the pre-call preview, and in the call the
// track the engine sends (`engine.setVideoFilter`). The blur code and MediaPipe load only when
// blur is first turned on (dynamic import), never with the first screen.
import { useEffect, useRef, useState } from 'react';
import type { VideoFilter } from '../call/types.js';
import type { BackgroundBlur, BlurStatus, PipelineKind } from '../blur/index.js';

export type BlurState =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'on'; pipeline: PipelineKind; fps: number | null; frameMs: number | null }
  /** It turned itself off: this device could not blur `minFps` frames a second. */
  | { kind: 'too-slow'; fps: number | null; frameMs: number | null; minFps: number }
  | { kind: 'failed' }
  | { kind: 'unsupported' };

export interface BlurTarget {
  setVideoFilter(filter: VideoFilter | null): Promise<void>;
}

export interface UseBackgroundBlurConfig {
  /** What the person asked for. Turning it on again after `too-slow` is a fresh attempt. */
  enabled: boolean;
  /**
   * Blur turned itself off (`too-slow`, `failed`, `unsupported`): the owner sets `enabled` to
   * false so its toggle shows off. The state keeps saying why until blur is turned on again.
   */
  onGaveUp?: () => void;
  camera: MediaStreamTrack | null;
  /** Where the app serves MediaPipe's files (`__BEDSIDE_MEDIAPIPE_BASE__`). */
  assetBase: string;
  /** The call engine, when in a call; without it the blur only feeds `preview`. */
  engine?: BlurTarget | null;
}

export interface BackgroundBlurResult {
  state: BlurState;
  /** The blurred picture while blur is on, for the self-view; null otherwise. */
  preview: MediaStream | null;
}

const round = (n: number | undefined) => (n === undefined ? null : Math.round(n * 10) / 10);

export function useBackgroundBlur(config: UseBackgroundBlurConfig): BackgroundBlurResult {
  const { enabled, camera, assetBase, engine = null, onGaveUp } = config;
  const onGaveUpRef = useRef(onGaveUp);
  useEffect(() => {
    onGaveUpRef.current = onGaveUp;
  });
  // Changed only from the blur's callbacks; 'starting' is derived below.
  const [reported, setState] = useState<BlurState>({ kind: 'off' });
  const [preview, setPreview] = useState<MediaStream | null>(null);
  const blurRef = useRef<BackgroundBlur | null>(null);
  // Set when blur gave up by itself; cleared when the person turns it on again.
  const [gaveUp, setGaveUp] = useState(false);
  const [wasEnabled, setWasEnabled] = useState(enabled);
  if (enabled !== wasEnabled) {
    setWasEnabled(enabled);
    if (enabled) {
      setGaveUp(false);
      setState({ kind: 'off' });
    }
  }

  const active = enabled && !gaveUp && camera !== null;

  // Start (and stop) the blur itself.
  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let blur: BackgroundBlur | null = null;
    const giveUp = (next: BlurState) => {
      setGaveUp(true);
      setState(next);
      onGaveUpRef.current?.();
    };
    void import('../blur/index.js')
      .then(async (m) => {
        if (cancelled) return;
        if (!m.availablePipeline()) return giveUp({ kind: 'unsupported' });
        blur = await m.BackgroundBlur.create({
          assetBase,
          onStatus: (s: BlurStatus) => {
            if (cancelled) return;
            switch (s.kind) {
              case 'running':
                setState({
                  kind: 'on',
                  pipeline: s.pipeline,
                  fps: round(s.stats?.fps),
                  frameMs: round(s.stats?.frameMs),
                });
                return;
              case 'too-slow':
                return giveUp({
                  kind: 'too-slow',
                  fps: round(s.stats?.fps),
                  frameMs: round(s.stats?.frameMs),
                  minFps: s.minFps,
                });
              case 'failed':
                return giveUp({ kind: 'failed' });
              case 'stopped':
                return;
            }
          },
        });
        if (cancelled) {
          blur.stop();
          return;
        }
        blurRef.current = blur;
        setState({ kind: 'on', pipeline: blur.pipeline, fps: null, frameMs: null });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        // No WebGL (or no frame path): this browser cannot blur, which is not a failure.
        const unsupported = err instanceof Error && err.name === 'BlurUnavailableError';
        giveUp({ kind: unsupported ? 'unsupported' : 'failed' });
      });
    return () => {
      cancelled = true;
      const b = blur;
      blurRef.current = null;
      setPreview(null);
      setState((s) => (s.kind === 'on' ? { kind: 'off' } : s));
      if (!b) return;
      // The sender goes back to the plain camera before the blurred track ends, so the other
      // side never sees the video stop.
      if (engine) void engine.setVideoFilter(null).finally(() => b.stop());
      else b.stop();
    };
  }, [active, assetBase, engine]);

  const state: BlurState = active
    ? reported.kind === 'off'
      ? { kind: 'starting' }
      : reported
    : gaveUp
      ? reported
      : { kind: 'off' };

  // Feed the current camera through it (again after a device switch).
  const ready = state.kind === 'on';
  useEffect(() => {
    const blur = blurRef.current;
    if (!ready || !blur || !camera) return;
    const output = blur.apply(camera);
    setPreview((p) => (p?.getVideoTracks()[0] === output ? p : new MediaStream([output])));
    if (engine) void engine.setVideoFilter(blur);
  }, [ready, camera, engine]);

  return { state, preview };
}
