// Node (Playwright worker) + page: what background blur does to the picture the other side
// decodes, measured on the fake camera's scene (blurScene.ts: known foreground and background
// regions). Shared by the patient's and the doctor's blur end-to-end tests.
//
//   await grabFrame(receiver, selector, 'plain1');   // keep the receiver's current picture
//   const noise = await diffFrames(receiver, 'plain1', 'plain2');
//   const best = await mostBlurred(receiver, selector, 'plain1', 10_000);
//   expectBlurredBackground(noise, best);
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';
import { regionMap, SCENE } from './blurScene.ts';

/** Every STEP-th pixel of every STEP-th row is compared. */
const STEP = 4;

/** The blur's test-only frame-rate floor (MIN_FPS_OVERRIDE_KEY in packages/shared/src/blur). */
export const MIN_FPS_OVERRIDE_KEY = 'bedside:blur-min-fps';

/** The files blur loads: its lazy chunk, then MediaPipe's script, wasm loader, wasm and model. */
export const BLUR_FILES = [
  /\/assets\/blur-[\w-]+\.js$/,
  /\/selfie_segmentation\.js$/,
  /_wasm_bin\.js$/,
  /_wasm_bin\.wasm$/,
  /\.tflite$/,
  /\.binarypb$/,
];

/** Whether a request URL is one of blur's files (the lazy chunk or anything of MediaPipe's). */
export const isBlurRequest = (url: string): boolean =>
  /\/assets\/(blur-[\w-]+\.js|mediapipe\/)/.test(url);

export interface FrameDiff {
  /** Mean |Δ| per colour channel (0–255). */
  fg: number;
  bg: number;
  /** Mean signed Δ per channel (R, G, B): a uniform change of tone. */
  fgShift: number[];
  /** Mean |Δ| per channel once the region's tone shift is taken out: changed detail. */
  fgDetail: number;
  bgDetail: number;
  fgPixels: number;
  bgPixels: number;
}

/** Keeps the picture of the `<video>` matching `selector` under `name`, at the scene's size. */
export async function grabFrame(page: Page, selector: string, name: string): Promise<void> {
  await page.evaluate(
    ({ name, selector, w, h }) => {
      const v = document.querySelector<HTMLVideoElement>(selector);
      if (!v || v.videoWidth === 0) throw new Error(`no picture in ${selector} yet`);
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const ctx = c.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(v, 0, 0, w, h);
      const g = globalThis as unknown as { __frames?: Record<string, Uint8ClampedArray> };
      g.__frames ??= {};
      g.__frames[name] = ctx.getImageData(0, 0, w, h).data;
    },
    { name, selector, w: SCENE.width, h: SCENE.height },
  );
}

/** How two kept frames differ, per region (foreground, background). */
export function diffFrames(page: Page, a: string, b: string): Promise<FrameDiff> {
  return page.evaluate(
    ({ a, b, map, step, w }) => {
      const g = globalThis as unknown as { __frames: Record<string, Uint8ClampedArray> };
      const fa = g.__frames[a]!;
      const fb = g.__frames[b]!;
      const cols = w / step;
      const at: Record<'f' | 'b', number[]> = { f: [], b: [] };
      for (let i = 0; i < map.length; i++) {
        const r = map[i] as 'f' | 'b' | '.';
        if (r === '.') continue;
        at[r].push((Math.floor(i / cols) * step * w + (i % cols) * step) * 4);
      }
      const region = (px: number[]) => {
        const shift = [0, 1, 2].map(
          (c) => px.reduce((sum, p) => sum + fb[p + c]! - fa[p + c]!, 0) / px.length,
        );
        let abs = 0;
        let detail = 0;
        for (const p of px)
          for (let c = 0; c < 3; c++) {
            const d = fb[p + c]! - fa[p + c]!;
            abs += Math.abs(d);
            detail += Math.abs(d - shift[c]!);
          }
        return { abs: abs / (3 * px.length), detail: detail / (3 * px.length), shift };
      };
      const f = region(at.f);
      const bg = region(at.b);
      return {
        fg: f.abs,
        bg: bg.abs,
        fgShift: f.shift,
        fgDetail: f.detail,
        bgDetail: bg.detail,
        fgPixels: at.f.length,
        bgPixels: at.b.length,
      };
    },
    { a, b, map: regionMap(STEP), step: STEP, w: SCENE.width },
  );
}

/**
 * The codec's own frame-to-frame noise: two unblurred frames half a second apart. Kept as
 * `plain1` (the reference blurred frames are compared with) and `plain2`.
 */
export async function codecNoise(page: Page, selector: string): Promise<FrameDiff> {
  await grabFrame(page, selector, 'plain1');
  await page.waitForTimeout(500);
  await grabFrame(page, selector, 'plain2');
  const noise = await diffFrames(page, 'plain1', 'plain2');
  expect(noise.fgPixels).toBeGreaterThan(1000);
  expect(noise.bgPixels).toBeGreaterThan(5000);
  return noise;
}

/** For `ms`, the received frame whose background differs most from `plain1`. */
export async function mostBlurred(page: Page, selector: string, ms: number): Promise<FrameDiff> {
  let best: FrameDiff | null = null;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await grabFrame(page, selector, 'blurred');
    const d = await diffFrames(page, 'plain1', 'blurred');
    if (!best || d.bg > best.bg) best = d;
    await page.waitForTimeout(250);
  }
  return best!;
}

/**
 * The background changed far beyond the codec's noise, in its detail, not only its tone; the
 * person did not. A blurred frame is redrawn through a canvas (camera YUV → RGB → VideoFrame →
 * encoder's YUV), which lifts the whole picture's tone by a few levels (5–8 measured here, the
 * same on the face and the shirt); beyond that uniform shift the person's detail stays within a
 * few levels while the background's is gone.
 */
export function expectBlurredBackground(who: string, noise: FrameDiff, best: FrameDiff): void {
  const f1 = (n: number) => n.toFixed(1);
  console.log(
    `blur e2e (${who}): codec noise fg ${f1(noise.fg)} bg ${f1(noise.bg)}; blurred vs plain: ` +
      `fg ${f1(best.fg)} (tone shift ${best.fgShift.map(f1).join('/')}, detail ${f1(best.fgDetail)}), ` +
      `bg ${f1(best.bg)} (detail ${f1(best.bgDetail)}) (mean |Δ| per channel, 0–255)`,
  );
  expect(best.bg).toBeGreaterThan(Math.max(12, 4 * noise.bg));
  expect(best.bgDetail).toBeGreaterThan(30);
  for (const c of best.fgShift) expect(Math.abs(c)).toBeLessThan(12);
  expect(best.fgDetail).toBeLessThan(noise.fg + 15);
  expect(best.fgDetail).toBeLessThan(best.bgDetail / 5);
}

interface Renegotiations {
  negotiationNeeded: number;
  offers: number;
  peers: number;
}

/**
 * Counts, from now on, offer/answer rounds on the page's peer connections (needs
 * `trackPeerConnections(page)` before the page loaded). Read them with `renegotiations(page)`.
 */
export async function countRenegotiations(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __bedsideE2ePeers?: RTCPeerConnection[];
      __renegotiations?: Renegotiations;
    };
    const peers = (w.__bedsideE2ePeers ?? []).filter((pc) => pc.connectionState !== 'closed');
    const counts = { negotiationNeeded: 0, offers: 0, peers: peers.length };
    w.__renegotiations = counts;
    for (const pc of peers) {
      pc.addEventListener('negotiationneeded', () => counts.negotiationNeeded++);
      pc.addEventListener('signalingstatechange', () => {
        if (pc.signalingState === 'have-local-offer' || pc.signalingState === 'have-remote-offer')
          counts.offers++;
      });
    }
  });
}

/** Offer/answer rounds since `countRenegotiations`, and the peer connections still open. */
export function renegotiations(page: Page): Promise<Renegotiations> {
  return page.evaluate(() => {
    const w = window as unknown as {
      __bedsideE2ePeers?: RTCPeerConnection[];
      __renegotiations?: Renegotiations;
    };
    const open = (w.__bedsideE2ePeers ?? []).filter((pc) => pc.connectionState !== 'closed');
    return { ...w.__renegotiations!, peers: open.length };
  });
}
