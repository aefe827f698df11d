// End-to-end (Node driving real Chromium, root only): bad networks, made for real. The service
// listens on a bridge on the host, the doctor's and the patient's Chromium each run in their
// own network namespace (bench/harness/netns.ts); faults are nftables drops and tc token-bucket
// caps inside the patient's namespace. Asserts behaviour, and the deadlines only as
// generous "within" waits; the timing figures are in `npm run bench -- blackhole`.
// The Node-side machinery is in bench/harness/networks.ts (this package has no Node types).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Side {
  eval<T>(fn: string, arg?: unknown): Promise<T>;
}
interface NetworkCall {
  doctor: Side;
  patient: Side;
  connect(): Promise<void>;
  diagnostics(): Promise<string>;
  close(): Promise<void>;
}
interface Networks {
  missing(): string | null;
  startNetworkCall(): Promise<NetworkCall>;
  blackholeTrial(
    call: NetworkCall,
    holeMs?: number,
    withinMs?: number,
  ): Promise<{
    doctorFramesDuringHole: number;
    doctorBackMs: number | null;
    patientBackMs: number | null;
    levelDuringHole: string | null;
  }>;
  degradedRun(
    call: NetworkCall,
    capKbit?: number,
    floorKbit?: number,
  ): Promise<{
    before: { level: string | null; step: string | null; frameWidth: number; videoKbps: number };
    capped: {
      indicatorMs: number | null;
      level: string | null;
      step: string | null;
      frameWidth: number;
      videoKbps: number;
      audioWindows: number[];
    };
    floor: { suggestAudioOnly: boolean; step: string | null; audioWindows: number[] };
    lifted: { backToGoodMs: number | null; level: string | null; step: string | null };
  }>;
}

const harness = new URL('../../../../bench/harness/networks.ts', import.meta.url).pathname;
const nets = (await import(/* @vite-ignore */ harness)) as Networks;
const why = nets.missing();
if (why) console.warn(`networks.e2e skipped: ${why}`);

describe.skipIf(why !== null)('calls across bad networks (network namespaces)', () => {
  let call: NetworkCall | null = null;
  beforeAll(async () => {
    call = await nets.startNetworkCall();
    await call.connect();
  }, 120_000);
  // Namespaces, bridge, browsers and service go even when a test failed.
  afterAll(async () => {
    await call?.close();
  }, 60_000);

  it('a 5 s UDP blackhole on the patient: media back both ways within 5 s after it lifts', async () => {
    const r = await nets.blackholeTrial(call!, 5000, 10_000);
    if (r.doctorBackMs === null || r.patientBackMs === null) console.log(await call!.diagnostics());
    // The hole held: nothing decoded during its last 2 s, and the indicator saw it.
    expect(r.doctorFramesDuringHole).toBe(0);
    expect(r.levelDuringHole).toBe('lost');
    // Back both ways within the 5 s (waited for up to 10 s; the bench has the figures).
    expect(r.doctorBackMs).not.toBeNull();
    expect(r.patientBackMs).not.toBeNull();
    console.log(
      `blackhole: back after ${r.doctorBackMs} ms (doctor), ${r.patientBackMs} ms (patient)`,
    );
  }, 60_000);

  it('a 300 kbit/s cap: the indicator says so, video steps down, audio stays; audio-only offered below the floor; good again when lifted', async () => {
    const r = await nets.degradedRun(call!, 300, 100);
    console.log(`degraded: ${JSON.stringify(r)}`);
    expect(r.before).toMatchObject({ level: 'good', step: 'full' });
    // Within the 10 s (waited for up to 20 s).
    expect(r.capped.indicatorMs).not.toBeNull();
    expect(['fair', 'poor']).toContain(r.capped.level);
    expect(['reduced', 'low', 'floor']).toContain(r.capped.step);
    // Video stepped down: a smaller picture at a lower bitrate than before the cap.
    expect(r.capped.frameWidth).toBeLessThan(r.before.frameWidth);
    expect(r.capped.videoKbps).toBeLessThan(r.before.videoKbps);
    // Audio kept arriving at the doctor in every 2 s window, capped and below the floor.
    expect(r.capped.audioWindows.every((b) => b > 0)).toBe(true);
    expect(r.floor.audioWindows.every((b) => b > 0)).toBe(true);
    expect(r.floor).toMatchObject({ suggestAudioOnly: true, step: 'floor' });
    expect(r.lifted).toMatchObject({ level: 'good', step: 'full' });
    expect(r.lifted.backToGoodMs).not.toBeNull();
  }, 240_000);
});
