// End-to-end: background blur on the patient's side, as the doctor receives it. Chromium's
// fake camera plays a still picture of a person in front of a busy background (ffmpeg-drawn,
// e2e/support/blurScene.ts), so "background" and "foreground" are known pixel regions.
//
// What is shown:
// - the blur chunk and MediaPipe's files load only when blur is turned on, every one of them
//   from the service's own origin, and the strict CSP reports nothing;
// - with blur on, the background pixels the doctor decodes differ from the unblurred frame
//   while the person's stay close (against the frame-to-frame noise of the codec);
// - toggling never stops the outgoing video: the doctor's framesDecoded keeps rising and the
//   received track stays the same live track (replaceTrack, no renegotiation);
// - a device that cannot blur 15 frames a second (this 2-core machine, software WebGL) turns
//   blur off by itself and says so; the video goes on.
import type { Page } from '@playwright/test';
import { chromiumArgs } from '../../../playwright.config.ts';
import {
  ffmpegAvailable,
  regionMap,
  SCENE,
  writeSceneY4m,
} from '../../../e2e/support/blurScene.ts';
import {
  collectCspViolations,
  createMeeting,
  expect,
  expectRising,
  frameStats,
  openDoctorPage,
  requirePatientWebBuild,
  test,
  trackPeerConnections,
} from '../../../e2e/support/index.ts';

const haveFfmpeg = ffmpegAvailable();
const scene = haveFfmpeg ? writeSceneY4m() : '';
test.skip(
  !haveFfmpeg,
  'ffmpeg is missing (it draws the fake camera picture): apt-get install ffmpeg',
);
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...chromiumArgs, `--use-file-for-fake-video-capture=${scene}`],
  },
});
requirePatientWebBuild();

const STEP = 4;
const REMOTE = 'Patient video';

interface Diff {
  fg: number;
  bg: number;
  fgPixels: number;
  bgPixels: number;
}

/** Keeps the doctor's current picture of the patient under `name`, scaled to the scene size. */
async function grab(doc: Page, name: string): Promise<void> {
  await doc.evaluate(
    ({ name, label, w, h }) => {
      const v = document.querySelector<HTMLVideoElement>(`video[aria-label="${label}"]`);
      if (!v || v.videoWidth === 0) throw new Error('no picture of the patient yet');
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const ctx = c.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(v, 0, 0, w, h);
      const g = globalThis as unknown as { __frames?: Record<string, Uint8ClampedArray> };
      g.__frames ??= {};
      g.__frames[name] = ctx.getImageData(0, 0, w, h).data;
    },
    { name, label: REMOTE, w: SCENE.width, h: SCENE.height },
  );
}

/** Mean absolute difference per colour channel (0–255) of two kept frames, per region. */
function diff(doc: Page, a: string, b: string, map: string): Promise<Diff> {
  return doc.evaluate(
    ({ a, b, map, step, w }) => {
      const g = globalThis as unknown as { __frames: Record<string, Uint8ClampedArray> };
      const fa = g.__frames[a]!;
      const fb = g.__frames[b]!;
      const sum = { f: 0, b: 0 };
      const n = { f: 0, b: 0 };
      const cols = w / step;
      for (let i = 0; i < map.length; i++) {
        const r = map[i] as 'f' | 'b' | '.';
        if (r === '.') continue;
        const x = (i % cols) * step;
        const y = Math.floor(i / cols) * step;
        const p = (y * w + x) * 4;
        sum[r] +=
          Math.abs(fa[p]! - fb[p]!) +
          Math.abs(fa[p + 1]! - fb[p + 1]!) +
          Math.abs(fa[p + 2]! - fb[p + 2]!);
        n[r] += 3;
      }
      return { fg: sum.f / n.f, bg: sum.b / n.b, fgPixels: n.f / 3, bgPixels: n.b / 3 };
    },
    { a, b, map, step: STEP, w: SCENE.width },
  );
}

const blurStatus = (page: Page) => page.getByTestId('blur-status').first();

test('background blur: lazy, same-origin, blurs the background the doctor sees, never stops the video', async ({
  browser,
  page,
  service,
  doctor,
}) => {
  test.setTimeout(240_000);
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token, {
    patientName: 'Blur Case',
  });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const cspViolations = await collectCspViolations(page);
  const doctorContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  try {
    const doc = await openDoctorPage(doctorContext, service, doctor, roomId);
    await trackPeerConnections(page);
    await page.goto(patientJoinUrl);
    await expect(
      page.getByRole('heading', { name: 'Check your camera and microphone' }),
    ).toBeVisible();
    const blurSwitch = page.getByRole('switch', { name: 'Blur my background' });
    await expect(blurSwitch).toBeVisible();
    // Lazy: nothing of the blur is fetched before it is asked for.
    const blurRequests = () =>
      requests.filter((u) => /\/assets\/(blur-[\w-]+\.js|mediapipe\/)/.test(u));
    expect(blurRequests()).toEqual([]);

    // Pre-call check: turning it on starts it (the preview shows the blurred picture).
    await blurSwitch.click();
    await expect(blurSwitch).toHaveAttribute('aria-checked', 'true');
    await expect(blurStatus(page)).toHaveAttribute('data-blur', /^(on|too-slow)$/, {
      timeout: 60_000,
    });

    await page.getByLabel('Your name').fill('Bea Blur');
    await page.getByRole('button', { name: 'Join visit' }).click();
    await expect(page.getByRole('heading', { name: 'Waiting for the doctor' })).toBeVisible();
    let waiting: { socketId: string } | undefined;
    await expect
      .poll(async () => {
        waiting = (await doc.view())?.waiting.find((w) => w.userName === 'Bea Blur');
        return waiting !== undefined;
      })
      .toBe(true);
    await doc.admit(waiting!.socketId);
    const blurButton = page.getByRole('button', { name: 'Blur my background' });
    await expect(blurButton).toBeVisible();
    const doctorIn = async () => (await frameStats(doc.page)).peers.framesDecoded;
    await expectRising(doctorIn, "doctor's inbound video (patient's camera)");
    const remoteTrack = () =>
      doc.page.evaluate((label) => {
        const v = document.querySelector<HTMLVideoElement>(`video[aria-label="${label}"]`);
        const t = (v?.srcObject as MediaStream | null)?.getVideoTracks()[0];
        return t ? { id: t.id, state: t.readyState } : null;
      }, REMOTE);
    const trackAtStart = await remoteTrack();
    expect(trackAtStart?.state).toBe('live');

    // The unblurred reference: blur off (it may already have turned itself off), two frames
    // half a second apart give the codec's own frame-to-frame noise.
    if ((await blurButton.getAttribute('aria-pressed')) === 'true') await blurButton.click();
    await expect(blurButton).toHaveAttribute('aria-pressed', 'false');
    await expectRising(doctorIn, "doctor's inbound video after blur off", { minDelta: 10 });
    await grab(doc.page, 'plain1');
    await page.waitForTimeout(500);
    await grab(doc.page, 'plain2');
    const map = regionMap(STEP);
    const noise = await diff(doc.page, 'plain1', 'plain2', map);
    expect(noise.fgPixels).toBeGreaterThan(1000);
    expect(noise.bgPixels).toBeGreaterThan(5000);

    // Blur on in the call: keep the most blurred picture the doctor gets while it is on.
    await blurButton.click();
    await expect(blurButton).toHaveAttribute('aria-pressed', 'true');
    await expect(blurStatus(page)).toHaveAttribute('data-blur', 'on', { timeout: 60_000 });
    const framesAtBlurOn = await doctorIn();
    let best: Diff | null = null;
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      await grab(doc.page, 'blurred');
      const d = await diff(doc.page, 'plain1', 'blurred', map);
      if (!best || d.bg > best.bg) best = d;
      if ((await blurStatus(page).getAttribute('data-blur')) !== 'on') break;
      await page.waitForTimeout(250);
    }
    console.log(
      `blur e2e: codec noise fg ${noise.fg.toFixed(1)} bg ${noise.bg.toFixed(1)}; ` +
        `blurred vs plain fg ${best!.fg.toFixed(1)} bg ${best!.bg.toFixed(1)} (mean |Δ| per channel, 0–255)`,
    );
    // The background changed far beyond the codec's noise; the person did not.
    expect(best!.bg).toBeGreaterThan(Math.max(12, 4 * noise.bg));
    expect(best!.fg).toBeLessThan(best!.bg / 3);
    expect(best!.fg).toBeLessThan(noise.fg + 10);
    expect(await doctorIn()).toBeGreaterThan(framesAtBlurOn);

    // On a device too slow for 15 fps it turns itself off, says so, and the video goes on.
    // (A fast machine keeps it on; then it is turned off by hand.)
    await expect(blurStatus(page)).toHaveAttribute('data-blur', /^(on|too-slow)$/);
    await page.waitForTimeout(6000);
    const verdict = await blurStatus(page).getAttribute('data-blur');
    console.log(`blur e2e: after 6 s the patient's blur is "${verdict}"`);
    if (verdict === 'too-slow') {
      await expect(page.getByRole('alert').filter({ hasText: 'too slow' })).toBeVisible();
      await expect(blurButton).toHaveAttribute('aria-pressed', 'false');
    } else {
      expect(verdict).toBe('on');
      await blurButton.click();
      await expect(blurButton).toHaveAttribute('aria-pressed', 'false');
    }
    await expectRising(doctorIn, "doctor's inbound video after blur went off", { minDelta: 10 });
    // On, off again: the video never stops.
    await blurButton.click();
    await expectRising(doctorIn, "doctor's inbound video while blur starts again", {
      minDelta: 10,
    });
    await blurButton.click();
    await expectRising(doctorIn, "doctor's inbound video after the second toggle", {
      minDelta: 10,
    });
    // Same received track all along: the sender's track was replaced in place.
    expect(await remoteTrack()).toEqual(trackAtStart);

    // Every blur file came from the service's own origin, and nothing from anywhere else.
    const origin = new URL(service.url).origin;
    const loaded = blurRequests();
    for (const file of [
      /\/assets\/blur-[\w-]+\.js$/,
      /\/selfie_segmentation\.js$/,
      /_wasm_bin\.js$/,
      /_wasm_bin\.wasm$/,
      /\.tflite$/,
      /\.binarypb$/,
    ])
      expect(
        loaded.some((u) => file.test(u)),
        String(file),
      ).toBe(true);
    const foreign = requests.filter((u) => /^https?:/.test(u) && new URL(u).origin !== origin);
    expect(foreign).toEqual([]);
    expect(await cspViolations()).toEqual([]);
  } finally {
    await doctorContext.close();
  }
});
