// End-to-end (Node driving real Chromium): a relay-only call through a real coturn, with the
// TURN credentials the real service hands out (TURN REST scheme, coturn `use-auth-secret`).
// The Node-side machinery lives in bench/harness/turn.ts (this package's tsconfig has no Node
// types), loaded by path at run time.
import { describe, expect, it } from 'vitest';

interface TurnCheck {
  missing(): string | null;
  runTurnCheck(): Promise<{
    iceServers: Array<{ urls: string | string[]; username: boolean; credential: boolean }>;
    relayCandidates: { valid: number; tampered: number };
    patient: { connected: boolean; relay: boolean; framesBefore: number; framesAfter: number };
    doctor: { connected: boolean; relay: boolean; framesBefore: number; framesAfter: number };
  }>;
}

const harness = new URL('../../../../bench/harness/turn.ts', import.meta.url).pathname;
const check = (await import(/* @vite-ignore */ harness)) as TurnCheck;
const why = check.missing();
if (why) console.warn(`turn.e2e skipped: ${why}`);

describe.skipIf(why !== null)('relay-only call through coturn', () => {
  it('connects both ways through TURN with the service credentials, and not without', async () => {
    const r = await check.runTurnCheck();
    expect(r.iceServers).toEqual([
      {
        urls: [expect.stringMatching(/^turn:127\.0\.0\.1:\d+\?transport=udp$/)],
        username: true,
        credential: true,
      },
    ]);
    // coturn checks the HMAC: the service's credential gets a relay, a tampered one none.
    expect(r.relayCandidates.valid).toBeGreaterThan(0);
    expect(r.relayCandidates.tampered).toBe(0);
    for (const side of [r.patient, r.doctor]) {
      expect(side.connected).toBe(true);
      expect(side.relay).toBe(true);
      expect(side.framesAfter).toBeGreaterThan(side.framesBefore);
    }
  }, 120_000);
});
