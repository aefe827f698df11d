// Files during the visit and the doctor's local recording, in real Chromium (Debian's, fake
// camera and microphone), measured in one run beside baselines measured in the same run:
//
//  • File transfer throughput over loopback: our FileChannel (offer/accept, 16 KB chunks under
//    bufferedAmountLowThreshold back-pressure, SHA-256 and content check before the file is
//    offered for saving, the sender told) beside a bare RTCDataChannel sending the same bytes
//    with the same chunk size and water marks. Two RTCPeerConnections in one page, joined
//    directly, so the figure is the channel's and ours. Alternating, BENCH_FILE_RUNS times each.
//  • Recording CPU cost in the doctor's page: the browser's CPU time (all its processes, from
//    the DevTools protocol's SystemInfo.getProcessInfo) over BENCH_RECORD_SECONDS with two
//    camera tiles on screen, without and with the app's VisitRecorder (canvas grid + WebAudio
//    mix → MediaRecorder WebM, written to a sink that counts bytes). Phases alternate so other
//    load on the shared machine falls on both alike.
//
//   npm run bench -- files
//   BENCH_FILE_MB=20  BENCH_FILE_RUNS=3  BENCH_RECORD_SECONDS=10  BENCH_RECORD_ROUNDS=2
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { CHROMIUM_PATH, chromiumArgs } from '../playwright.config.ts';
import { chromiumAvailable } from './harness/browser.ts';

const FILE_MB = Number(process.env.BENCH_FILE_MB ?? 20);
const FILE_RUNS = Number(process.env.BENCH_FILE_RUNS ?? 3);
const RECORD_SECONDS = Number(process.env.BENCH_RECORD_SECONDS ?? 10);
const RECORD_ROUNDS = Number(process.env.BENCH_RECORD_ROUNDS ?? 2);
// localhost is a secure context (crypto.subtle, getUserMedia); the page is served by routing.
const ORIGIN = 'http://localhost:9';

type FilesBench = {
  bare(bytes: number): Promise<{ ms: number }>;
  fileChannel(bytes: number): Promise<{ ms: number; verifiedMs: number; progressEvents: number }>;
  showVisit(): Promise<void>;
  startRecording(): void;
  stopRecording(): Promise<{ bytes: number }>;
  endVisit(): void;
};
declare const filesBench: FilesBench;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openPage(browser: Browser): Promise<Page> {
  const entry = fileURLToPath(new URL('./harness/filesPage.ts', import.meta.url));
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    write: false,
    logLevel: 'silent',
  });
  const script = out.outputFiles[0]!.text;
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.route(`${ORIGIN}/**`, (route) =>
    new URL(route.request().url()).pathname.endsWith('.js')
      ? route.fulfill({ status: 200, contentType: 'text/javascript', body: script })
      : route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<!doctype html><meta charset="utf-8"><title>files bench</title><script src="/files.js"></script>',
        }),
  );
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => 'filesBench' in window);
  return page;
}

async function throughput(page: Page) {
  const bytes = FILE_MB * 1024 * 1024;
  const bare: number[] = [];
  const ours: number[] = [];
  const verified: number[] = [];
  let progress = 0;
  // One warm-up of each, not counted (first SCTP association, JIT).
  await page.evaluate((n) => filesBench.bare(n), 1024 * 1024);
  await page.evaluate((n) => filesBench.fileChannel(n), 1024 * 1024);
  for (let i = 0; i < FILE_RUNS; i++) {
    bare.push((await page.evaluate((n) => filesBench.bare(n), bytes)).ms);
    const r = await page.evaluate((n) => filesBench.fileChannel(n), bytes);
    ours.push(r.ms);
    verified.push(r.verifiedMs);
    progress = r.progressEvents;
  }
  const mbps = (ms: number) => (FILE_MB / (ms / 1000)).toFixed(1);
  console.log(`\nFile transfer over loopback, ${FILE_MB} MB, median of ${FILE_RUNS}:`);
  console.log(`  bare RTCDataChannel (same chunks and water marks)  ${mbps(median(bare))} MB/s`);
  console.log(
    `  FileChannel, accept → receiver verified (SHA-256)   ${mbps(median(verified))} MB/s`,
  );
  console.log(`  FileChannel, accept → sender told complete          ${mbps(median(ours))} MB/s`);
  console.log(`  (${progress} progress updates on the sender per transfer)`);
  console.log(
    `  runs (ms): bare ${bare.map((x) => x.toFixed(0)).join(', ')}; ours ${ours.map((x) => x.toFixed(0)).join(', ')}`,
  );
}

/** CPU seconds used by all of the browser's processes so far. */
async function browserCpu(cdp: CDPSession): Promise<number> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: Array<{ type: string; cpuTime: number }>;
  };
  return processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
}

async function recordingCpu(browser: Browser, page: Page) {
  const cdp = await browser.newBrowserCDPSession();
  await page.evaluate(() => filesBench.showVisit());
  await sleep(2000); // cameras settle
  const idle: number[] = [];
  const rec: number[] = [];
  let bytes = 0;
  const phase = async () => {
    const c0 = await browserCpu(cdp);
    const t0 = performance.now();
    await sleep(RECORD_SECONDS * 1000);
    const c1 = await browserCpu(cdp);
    return (c1 - c0) / ((performance.now() - t0) / 1000);
  };
  for (let i = 0; i < RECORD_ROUNDS; i++) {
    idle.push(await phase());
    await page.evaluate(() => filesBench.startRecording());
    rec.push(await phase());
    bytes = (await page.evaluate(() => filesBench.stopRecording())).bytes;
  }
  await page.evaluate(() => filesBench.endVisit());
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  console.log(
    `\nRecording CPU in the doctor's page (two 640×480 camera tiles, ${RECORD_SECONDS} s phases, median of ${RECORD_ROUNDS}; 100% = one core):`,
  );
  console.log(`  visit on screen, not recording   ${pct(median(idle))} CPU`);
  console.log(`  visit on screen, recording       ${pct(median(rec))} CPU`);
  console.log(`  recording costs                  ${pct(median(rec) - median(idle))} of a core`);
  console.log(
    `  (last recording: ${(bytes / 1024 / 1024).toFixed(2)} MB WebM for ${RECORD_SECONDS} s; phases idle ${idle.map(pct).join(', ')}, recording ${rec.map(pct).join(', ')})`,
  );
}

async function main() {
  if (!chromiumAvailable()) {
    console.log(`skipped: Chromium not found at ${CHROMIUM_PATH} (scripts/install-test-deps.sh)`);
    return;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs });
  try {
    const page = await openPage(browser);
    await throughput(page);
    await recordingCpu(browser, page);
  } finally {
    await browser.close();
  }
}

await main();
