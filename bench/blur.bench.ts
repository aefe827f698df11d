// Background blur on this machine, in real Chromium on the fake camera (the e2e scene: a person
// in front of a busy background, 640×480 at 30 fps): frames per second and CPU per frame of the
// blur pipeline, beside the unblurred pipeline measured in the same run — the same frame path
// (insertable streams or canvas) copying each frame unchanged (`effect: 'none'`), so the
// difference is what segmentation and compositing cost.
//
// CPU per frame is the CPU time of every Chromium process this benchmark started (renderer, GPU
// process running SwiftShader, utility) over the measured span, from /proc, divided by the
// frames the pipeline produced. The machine is shared: load average is printed beside it.
//
//   npm run bench -- blur              (needs /usr/bin/chromium and ffmpeg)
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { CHROMIUM_PATH, chromiumArgs } from '../playwright.config.ts';
import { ffmpegAvailable, writeSceneY4m } from '../e2e/support/blurScene.ts';
import { mediapipePackage } from '../scripts/vite/mediapipeAssets.ts';
import type { BlurBenchApi } from './harness/blurPage.ts';
import { chromiumAvailable } from './harness/browser.ts';

const WARMUP_MS = Number(process.env.BENCH_BLUR_WARMUP_MS ?? 3000);
const MEASURE_MS = Number(process.env.BENCH_BLUR_MS ?? 8000);
// A loopback origin is a secure context (getUserMedia); nothing listens there, every request
// is answered by route interception.
const ORIGIN = 'http://127.0.0.1:9/';
const CLK_TCK = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

declare global {
  interface Window {
    blurBench: BlurBenchApi;
  }
}

/** CPU time (ms) of every process descending from this one: the browser we launched. */
function childrenCpuMs(): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid ... utime(14) stime(15).
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(rest[1]));
      cpu.set(Number(name), ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK);
    } catch {
      // the process ended while we read
    }
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    let p: number | undefined = parent.get(pid);
    while (p !== undefined && p > 1 && p !== process.pid) p = parent.get(p);
    if (p === process.pid) total += ms;
  }
  return total;
}

interface Row {
  label: string;
  fps: number;
  frameMs: number | null;
  cpuMsPerFrame: number;
  cpuCores: number;
}

async function phase(
  page: Page,
  pipeline: 'insertable-streams' | 'canvas',
  effect: 'none' | 'blur',
  assetBase: string,
  segmentEvery?: number,
): Promise<Row> {
  await page.evaluate(
    (a) => window.blurBench.start(a.pipeline, a.effect, a.assetBase, a.segmentEvery),
    { pipeline, effect, assetBase, segmentEvery },
  );
  await page.waitForTimeout(WARMUP_MS);
  const f0 = await page.evaluate(() => window.blurBench.frames());
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  await page.waitForTimeout(MEASURE_MS);
  const f1 = await page.evaluate(() => window.blurBench.frames());
  const c1 = childrenCpuMs();
  const t1 = performance.now();
  const stats = await page.evaluate(() => window.blurBench.stats());
  await page.evaluate(() => window.blurBench.stop());
  const frames = f1 - f0;
  if (frames <= 0) throw new Error(`${pipeline}/${effect}: no frames came out of the pipeline`);
  return {
    label: `${pipeline}, ${
      effect === 'none'
        ? 'unblurred (copy)'
        : segmentEvery === 1
          ? 'blur, mask every frame'
          : 'blur, mask every 2nd'
    }`,
    fps: (frames * 1000) / (t1 - t0),
    frameMs: stats?.frameMs ?? null,
    cpuMsPerFrame: (c1 - c0) / frames,
    cpuCores: (c1 - c0) / (t1 - t0),
  };
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.log(`skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
    return;
  }
  if (!ffmpegAvailable()) {
    console.log(
      'skipped: ffmpeg is missing (it draws the fake camera picture): apt-get install ffmpeg',
    );
    return;
  }
  const scene = writeSceneY4m();
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./harness/blurPage.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const mp = mediapipePackage();
  const assetBase = `${ORIGIN}mediapipe/`;

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...chromiumArgs, `--use-file-for-fake-video-capture=${scene}`],
  });
  try {
    const context = await browser.newContext({ permissions: ['camera'] });
    await context.route(`${ORIGIN}**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/blur.js')
        return route.fulfill({ contentType: 'text/javascript', body: script });
      if (url.pathname.startsWith('/mediapipe/')) {
        const name = url.pathname.slice('/mediapipe/'.length);
        if (!mp.files.includes(name)) return route.fulfill({ status: 404 });
        const type = name.endsWith('.wasm')
          ? 'application/wasm'
          : name.endsWith('.js')
            ? 'text/javascript'
            : 'application/octet-stream';
        return route.fulfill({ contentType: type, body: readFileSync(path.join(mp.dir, name)) });
      }
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><title>blur bench</title><script src="/blur.js"></script>',
      });
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await page.goto(ORIGIN);
    await page.waitForFunction(() => 'blurBench' in window);
    const kinds = await page.evaluate(() => window.blurBench.pipelines());

    const rows: Row[] = [];
    // Per frame path: the unblurred copy, blur segmenting every frame, and blur as shipped (a
    // new mask every second frame, DEFAULT_SEGMENT_EVERY).
    for (const kind of kinds) {
      rows.push(await phase(page, kind, 'none', assetBase));
      rows.push(await phase(page, kind, 'blur', assetBase, 1));
      rows.push(await phase(page, kind, 'blur', assetBase));
    }

    const [l1, l5] = os.loadavg();
    console.log(
      `fake camera 640×480 at 30 fps; ${os.cpus().length} cores, load average ${l1!.toFixed(1)} / ${l5!.toFixed(1)} (1 / 5 min); ` +
        `warm-up ${WARMUP_MS / 1000} s, measured ${MEASURE_MS / 1000} s each`,
    );
    console.log(
      'pipeline                                          fps   ms/frame (in→out)   CPU ms/frame   CPU cores',
    );
    for (const r of rows)
      console.log(
        `${r.label.padEnd(47)} ${r.fps.toFixed(1).padStart(5)}   ${(r.frameMs === null ? '—' : r.frameMs.toFixed(1)).padStart(8)}            ${r.cpuMsPerFrame.toFixed(1).padStart(8)}      ${r.cpuCores.toFixed(2).padStart(6)}`,
      );
    const blurRows = rows.filter((r) => r.label.endsWith('every 2nd'));
    const best = Math.max(...blurRows.map((r) => r.fps));
    console.log(
      `\nblur guard: needs ≥ 15 fps; best blur pipeline (as shipped) here ${best.toFixed(1)} fps → ${best >= 15 ? 'keeps blur on' : 'blur turns itself off on this machine'}`,
    );
  } finally {
    await browser.close();
  }
}

await main();
