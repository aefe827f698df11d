// Pure: what the doctor's app asks `getDisplayMedia` for when a share starts.
import type { ScreenShareOptions } from '@bedside/shared/call';

/**
 * Ask for the computer's sound on Windows only: there main's picker can answer it with
 * Electron's `audio: 'loopback'` (Windows-only, Streams.audio docs) when the doctor ticks the
 * box. Elsewhere nothing could answer it, so the request stays as it always was.
 */
export const screenShareOptions = (platform: string): ScreenShareOptions =>
  platform === 'win32' ? { systemAudio: true } : {};
