// DOM + React: the microphone level (0..1) of a stream's audio, for a mic meter.
import { useEffect, useState } from 'react';
import { rmsOf } from '../call/localLevel.js';

/** Level floor: -60 dBFS is silence for a meter; 0 dBFS is full scale. */
const FLOOR_DB = -60;

/** Pure: RMS of time-domain samples (−1..1) mapped to 0..1 on a dB scale. */
export function levelFromSamples(samples: ArrayLike<number>): number {
  // The same RMS the engine's active speaker measures our microphone with (call/localLevel.ts).
  const rms = rmsOf(samples);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
}

const FRAME_MS = 66; // ~15 updates per second is smooth enough for a meter.

export function useAudioLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  const track = stream?.getAudioTracks()[0] ?? null;
  useEffect(() => {
    const Ctx =
      typeof AudioContext === 'function'
        ? AudioContext
        : (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!track || !Ctx) return;
    let ctx: AudioContext;
    try {
      ctx = new Ctx();
    } catch {
      return;
    }
    // Analyse only the audio track (a fresh stream, so the caller's stream is untouched).
    const source = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    // Autoplay policy may start the context suspended until a user gesture.
    void ctx.resume().catch(() => {});
    let last = -1;
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      // Muted tracks (enabled = false) deliver silence, so the meter drops to 0 by itself.
      const v = Math.round(levelFromSamples(buf) * 50) / 50;
      if (v !== last) {
        last = v;
        setLevel(v);
      }
    }, FRAME_MS);
    return () => {
      clearInterval(timer);
      source.disconnect();
      void ctx.close().catch(() => {});
      setLevel(0);
    };
  }, [track]);
  return track ? level : 0;
}
