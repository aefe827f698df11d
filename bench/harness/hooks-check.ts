// Node: runs the React hook checks (hooks.ts) in real Chromium. No service needed: the page's
// origin is served entirely by request interception.
import { chromiumAvailable, launchHarness } from './browser.ts';

export const missing = (): string | null =>
  chromiumAvailable() ? null : 'Chromium not found at /usr/bin/chromium (set CHROMIUM_PATH)';

export async function runHookChecks() {
  const harness = await launchHarness('http://127.0.0.1:9');
  try {
    const page = await harness.open();
    const call = (fn: string) =>
      page.evaluate(
        (f) => (window as unknown as Record<string, Record<string, () => unknown>>).bench![f]!(),
        fn,
      );
    return {
      strictMode: (await call('strictModeEngine')) as {
        sockets: number;
        engines: number;
        localTracks: number;
        stateAfterUnmount: string;
      },
      preview: (await call('previewAndLevel')) as {
        tracks: number;
        maxLevel: number;
        cameras: number;
        microphones: number;
        liveAfterUnmount: number;
      },
    };
  } finally {
    await harness.close();
  }
}
