// The active speaker's level source in real Chromium (fake microphone, two connections in one
// page over loopback): what `RTCRtpReceiver.getSynchronizationSources()` reports as
// `audioLevel` every 250 ms (the engine's SPEAKER_POLL_MS), beside the getStats levels the 2 s
// quality sample holds (inbound-rtp at the receiver, media-source at the sender), and what a
// call of each costs on the page's thread. Twice: Chromium's own fake microphone (a 20 ms beep
// twice a second, silence between) and a steady 440 Hz tone at -12 dBFS from a WAV file
// (peak 0.25, RMS 0.177), which shows which scale each level is on. Beside them, our own
// level as the engine now reads it at each poll: the Web Audio meter (call/localLevel.ts) on
// the sending side's track, to show it is on the receiver's SSRC scale.
//
//   npm run bench -- speaker-level     (needs /usr/bin/chromium)
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { CHROMIUM_PATH, chromiumArgs } from '../playwright.config.ts';
import { chromiumAvailable } from './harness/browser.ts';
import type * as LevelModule from '../packages/shared/src/call/localLevel.ts';
import type { LocalLevelMeter } from '../packages/shared/src/call/localLevel.ts';

const ORIGIN = 'http://127.0.0.1:9/';
const SAMPLES = 24; // 6 s at 250 ms

interface Result {
  ssrc: number[];
  /** The engine's local meter on the sent track, read at the same moments (null: suspended). */
  meter: Array<number | null>;
  inbound: number[];
  mediaSource: number[];
  /** Max and share above 0.02 of getSynchronizationSources read every 5 ms for 1.5 s. */
  denseMax: number;
  denseAbove: number;
  syncCallUs: number;
  getStatsMs: number;
  headerExtension: boolean;
}

if (!chromiumAvailable()) {
  console.log(`skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
  process.exit(0);
}
/** The engine's meter module, bundled for the page as `BedsideLevel`. */
const meterScript = (
  await build({
    entryPoints: [
      fileURLToPath(new URL('../packages/shared/src/call/localLevel.ts', import.meta.url)),
    ],
    bundle: true,
    format: 'iife',
    globalName: 'BedsideLevel',
    platform: 'browser',
    target: 'chrome110',
    write: false,
    logLevel: 'silent',
  })
).outputFiles[0]!.text;
/** 16-bit mono PCM WAV: a sine of `amplitude` (0..1 of full scale) for `seconds`. */
function toneWav(file: string, amplitude: number, seconds: number): void {
  const rate = 48_000;
  const n = rate * seconds;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++)
    buf.writeInt16LE(
      Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * 440 * i) / rate)),
      44 + i * 2,
    );
  writeFileSync(file, buf);
}

async function measure(label: string, extraArgs: string[], raw: boolean): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...chromiumArgs, ...extraArgs],
  });
  try {
    const context = await browser.newContext({ permissions: ['microphone'] });
    const page = await context.newPage();
    await page.route('**/*', (r) =>
      r.fulfill({ contentType: 'text/html', body: '<!doctype html>' }),
    );
    // tsx (esbuild keepNames) wraps named functions in `__name(…)`, which the page lacks.
    await page.addInitScript('globalThis.__name = (f) => f');
    // Init scripts run in their own scope: the bundle's `var` is published by hand.
    await page.addInitScript(`${meterScript}\nglobalThis.BedsideLevel = BedsideLevel;`);
    await page.goto(ORIGIN);
    const r = await page.evaluate(
      async ([samples, raw]: [number, boolean]): Promise<Result> => {
        // raw: no noise suppression / AGC, which take a steady tone for noise and fade it out.
        const stream = await navigator.mediaDevices.getUserMedia({
          audio: { echoCancellation: !raw, noiseSuppression: !raw, autoGainControl: !raw },
        });
        const a = new RTCPeerConnection();
        const b = new RTCPeerConnection();
        a.onicecandidate = (e) => void b.addIceCandidate(e.candidate);
        b.onicecandidate = (e) => void a.addIceCandidate(e.candidate);
        a.addTrack(stream.getAudioTracks()[0]!, stream);
        const lib = (globalThis as unknown as { BedsideLevel: typeof LevelModule }).BedsideLevel;
        const meter: LocalLevelMeter = lib.defaultLevelMeterFactory()!();
        meter.attach(stream.getAudioTracks()[0]!);
        const got = new Promise<RTCRtpReceiver>((res) => (b.ontrack = (e) => res(e.receiver)));
        await a.setLocalDescription();
        await b.setRemoteDescription(a.localDescription!);
        await b.setLocalDescription();
        await a.setRemoteDescription(b.localDescription!);
        const rx = await got;
        // Something must play the track for the receiver to decode it (as the app's <video> does).
        const el = new Audio();
        el.srcObject = new MediaStream([rx.track]);
        void el.play();
        const sleep = (ms: number) => new Promise((s) => setTimeout(s, ms));
        await sleep(1500);
        const level = async (pc: RTCPeerConnection, type: string) => {
          let v = 0;
          (await pc.getStats()).forEach((s: { type: string; audioLevel?: number }) => {
            if (s.type === type && typeof s.audioLevel === 'number') v = Math.max(v, s.audioLevel);
          });
          return v;
        };
        const out: Result = {
          ssrc: [],
          meter: [],
          inbound: [],
          mediaSource: [],
          denseMax: 0,
          denseAbove: 0,
          syncCallUs: 0,
          getStatsMs: 0,
          headerExtension: /ssrc-audio-level/.test(b.currentRemoteDescription?.sdp ?? ''),
        };
        for (let i = 0; i < samples; i++) {
          out.ssrc.push(
            Math.max(0, ...rx.getSynchronizationSources().map((s) => s.audioLevel ?? 0)),
          );
          out.meter.push(meter.read());
          out.inbound.push(await level(b, 'inbound-rtp'));
          out.mediaSource.push(await level(a, 'media-source'));
          await sleep(250);
        }
        const end = performance.now() + 1500;
        let dense = 0;
        let denseN = 0;
        let denseAbove = 0;
        while (performance.now() < end) {
          const v = Math.max(0, ...rx.getSynchronizationSources().map((s) => s.audioLevel ?? 0));
          dense = Math.max(dense, v);
          denseN++;
          if (v > 0.02) denseAbove++;
          await sleep(5);
        }
        out.denseMax = dense;
        out.denseAbove = denseAbove / denseN;
        const t = performance.now();
        for (let i = 0; i < 1000; i++) rx.getSynchronizationSources();
        out.syncCallUs = ((performance.now() - t) / 1000) * 1000;
        // Chromium caches a stats report for 50 ms: each call is timed 60 ms after the last.
        let statsMs = 0;
        for (let i = 0; i < 10; i++) {
          await sleep(60);
          const t0 = performance.now();
          await b.getStats();
          statsMs += performance.now() - t0;
        }
        out.getStatsMs = statsMs / 10;
        meter.close();
        a.close();
        b.close();
        return out;
      },
      [SAMPLES, raw] as [number, boolean],
    );
    console.log(`--- ${label}`);
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(' ');
    const above = (xs: number[]) => xs.filter((x) => x > 0.02).length;
    console.log(`ssrc-audio-level header extension negotiated: ${r.headerExtension}`);
    console.log(`getSynchronizationSources audioLevel: ${fmt(r.ssrc)}`);
    const known = r.meter.filter((x): x is number => x !== null);
    console.log(
      `our meter (Web Audio, sender's track): ${known.length === r.meter.length ? fmt(known) : `${r.meter.length - known.length} of ${r.meter.length} reads null (context not running)`}`,
    );
    console.log(`getStats inbound-rtp audioLevel:     ${fmt(r.inbound)}`);
    console.log(`getStats media-source audioLevel:    ${fmt(r.mediaSource)}`);
    console.log(
      `polls above SPEAKING_LEVEL (0.02): ssrc ${above(r.ssrc)}/${SAMPLES}, inbound ${above(r.inbound)}/${SAMPLES}, media-source ${above(r.mediaSource)}/${SAMPLES}; max ${Math.max(...r.ssrc).toFixed(3)} / ${Math.max(...r.inbound).toFixed(3)} / ${Math.max(...r.mediaSource).toFixed(3)}`,
    );
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
    if (known.length)
      console.log(
        `median: our meter ${median(known).toFixed(3)}, ssrc ${median(r.ssrc).toFixed(3)}, media-source ${median(r.mediaSource).toFixed(3)}; meter / ssrc = ${(median(known) / Math.max(1e-9, median(r.ssrc))).toFixed(3)}, media-source / ssrc = ${(median(r.mediaSource) / Math.max(1e-9, median(r.ssrc))).toFixed(3)}`,
      );
    console.log(
      `getSynchronizationSources every 5 ms for 1.5 s: max ${r.denseMax.toFixed(3)}, ${(r.denseAbove * 100).toFixed(0)} % of reads above 0.02`,
    );
    console.log(
      `cost: getSynchronizationSources ${r.syncCallUs.toFixed(1)} µs per call (sync); getStats ${r.getStatsMs.toFixed(2)} ms per call (async); load ${os.loadavg()[0]!.toFixed(2)}`,
    );
  } finally {
    await browser.close();
  }
}

await measure("Chromium's fake microphone (beeps)", [], false);
const wav = path.join(os.tmpdir(), 'bedside-tone-12dbfs.wav');
toneWav(wav, 0.25, 20);
await measure(
  '440 Hz tone at -12 dBFS (peak 0.250, RMS 0.177), audio processing off',
  [`--use-file-for-fake-audio-capture=${wav}`],
  true,
);
