// End-to-end (Node driving real Chromium): the hooks under React StrictMode with real
// getUserMedia (fake devices) and WebAudio. The browser side is bench/harness/hooks.ts.
import { describe, expect, it } from 'vitest';

interface HookChecks {
  missing(): string | null;
  runHookChecks(): Promise<{
    strictMode: {
      sockets: number;
      engines: number;
      localTracks: number;
      stateAfterUnmount: string;
    };
    preview: {
      tracks: number;
      maxLevel: number;
      cameras: number;
      microphones: number;
      liveAfterUnmount: number;
    };
  }>;
}

const path = new URL('../../../../bench/harness/hooks-check.ts', import.meta.url).pathname;
const checks = (await import(/* @vite-ignore */ path)) as HookChecks;
const why = checks.missing();
if (why) console.warn(`hooks.e2e skipped: ${why}`);

describe.skipIf(why !== null)('React hooks in Chromium', () => {
  it('StrictMode gets one engine (one socket, camera kept); unmount leaves the call; preview, level and devices work', async () => {
    const { strictMode, preview } = await checks.runHookChecks();
    expect(strictMode).toEqual({
      sockets: 1,
      engines: 1,
      localTracks: 2,
      stateAfterUnmount: 'ended',
    });
    expect(preview.tracks).toBe(2);
    expect(preview.maxLevel).toBeGreaterThan(0); // Chromium's fake microphone beeps
    expect(preview.cameras).toBeGreaterThan(0);
    expect(preview.microphones).toBeGreaterThan(0);
    expect(preview.liveAfterUnmount).toBe(0);
  }, 60_000);
});
