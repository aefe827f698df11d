// End-to-end: background blur on the patient's side, as the doctor receives it. Chromium's
// fake camera plays a still picture of a person in front of a busy background (ffmpeg-drawn,
// e2e/support/blurScene.ts), so "background" and "foreground" are known pixel regions.
//
// What is shown:
// - the blur chunk and MediaPipe's files load only when blur is turned on, every one of them
//   from the service's own origin, and the strict CSP reports nothing;
// - with blur on, the background pixels the doctor decodes differ from the unblurred frame
//   while the person's stay close (against the frame-to-frame noise of the codec);
//   (measured with the test-only 1 fps floor, see below);
// - toggling never stops the outgoing video: the patient's framesEncoded and the doctor's
//   framesDecoded keep rising, the received track stays the same live track, and no
//   offer/answer happens (replaceTrack, no renegotiation);
// - with the real 15 fps floor, a device that cannot keep it (this loaded 2-core machine,
//   software WebGL) turns blur off by itself and says so; the video goes on.
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
// The blur's test-only frame-rate floor (MIN_FPS_OVERRIDE_KEY in packages/shared/src/blur).
const MIN_FPS_OVERRIDE_KEY = 'bedside:blur-min-fps';
const REMOTE = 'Patient video';

interface Diff {
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

/** How two kept frames differ, per region (foreground, background). */
function diff(doc: Page, a: string, b: string, map: string): Promise<Diff> {
  return doc.evaluate(
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
    { a, b, map, step: STEP, w: SCENE.width },
  );
}

const blurStatus = (page: Page) => page.getByTestId('blur-status').first();

/** Counts, from now on, offer/answer rounds on the page's peer connections. */
async function countRenegotiations(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __bedsideE2ePeers?: RTCPeerConnection[];
      __renegotiations?: { negotiationNeeded: number; offers: number; peers: number };
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

function renegotiations(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as {
      __bedsideE2ePeers?: RTCPeerConnection[];
      __renegotiations?: { negotiationNeeded: number; offers: number; peers: number };
    };
    const open = (w.__bedsideE2ePeers ?? []).filter((pc) => pc.connectionState !== 'closed');
    return { ...w.__renegotiations!, peers: open.length };
  });
}

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
    const patientOut = async () => (await frameStats(page)).peers.framesEncoded;
    await expectRising(doctorIn, "doctor's inbound video (patient's camera)");
    const remoteTrack = () =>
      doc.page.evaluate((label) => {
        const v = document.querySelector<HTMLVideoElement>(`video[aria-label="${label}"]`);
        const t = (v?.srcObject as MediaStream | null)?.getVideoTracks()[0];
        return t ? { id: t.id, state: t.readyState } : null;
      }, REMOTE);
    const trackAtStart = await remoteTrack();
    expect(trackAtStart?.state).toBe('live');
    // From here on, no offer/answer round: every blur toggle must be a replaceTrack.
    await countRenegotiations(page);

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

    // Blur on in the call: keep the most blurred picture the doctor gets while it is on. This
    // loaded 2-core machine blurs only a few frames a second, so the real 15 fps guard would
    // turn blur off about five seconds after it starts; the pixels are measured with the
    // test-only floor of 1 fps (MIN_FPS_OVERRIDE_KEY), and the real guard is shown below.
    await page.evaluate((key) => sessionStorage.setItem(key, '1'), MIN_FPS_OVERRIDE_KEY);
    await blurButton.click();
    await expect(blurButton).toHaveAttribute('aria-pressed', 'true');
    await expect(blurButton).toHaveAttribute('data-blur', 'on', { timeout: 60_000 });
    const framesAtBlurOn = await doctorIn();
    const sentAtBlurOn = await patientOut();
    let best: Diff | null = null;
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      await grab(doc.page, 'blurred');
      const d = await diff(doc.page, 'plain1', 'blurred', map);
      if (!best || d.bg > best.bg) best = d;
      await page.waitForTimeout(250);
    }
    await expect(blurButton).toHaveAttribute('data-blur', 'on');
    const f1 = (n: number) => n.toFixed(1);
    console.log(
      `blur e2e: codec noise fg ${f1(noise.fg)} bg ${f1(noise.bg)}; blurred vs plain: ` +
        `fg ${f1(best!.fg)} (tone shift ${best!.fgShift.map(f1).join('/')}, detail ${f1(best!.fgDetail)}), ` +
        `bg ${f1(best!.bg)} (detail ${f1(best!.bgDetail)}) (mean |Δ| per channel, 0–255)`,
    );
    // The background changed far beyond the codec's noise, in its detail, not only its tone.
    expect(best!.bg).toBeGreaterThan(Math.max(12, 4 * noise.bg));
    expect(best!.bgDetail).toBeGreaterThan(30);
    // The person did not: a blurred frame is redrawn through a canvas (camera YUV → RGB →
    // VideoFrame → encoder's YUV), which lifts the whole picture's tone by a few levels (5–8
    // measured here, the same on the face and the shirt); beyond that uniform shift the
    // person's detail stays within a few levels while the background's is gone.
    for (const c of best!.fgShift) expect(Math.abs(c)).toBeLessThan(12);
    expect(best!.fgDetail).toBeLessThan(noise.fg + 15);
    expect(best!.fgDetail).toBeLessThan(best!.bgDetail / 5);
    expect(await doctorIn()).toBeGreaterThan(framesAtBlurOn);
    expect(await patientOut()).toBeGreaterThan(sentAtBlurOn);

    // Off by hand: the plain camera goes out again without a pause.
    await blurButton.click();
    await expect(blurButton).toHaveAttribute('aria-pressed', 'false');
    await expectRising(doctorIn, "doctor's inbound video after blur off by hand", {
      minDelta: 10,
    });
    await expectRising(patientOut, "patient's outbound video after blur off by hand", {
      minDelta: 10,
    });

    // The real guard (15 fps): on a device too slow for it, blur turns itself off, says so,
    // and the video goes on. (A fast machine keeps it on; then it is turned off by hand.)
    await page.evaluate((key) => sessionStorage.removeItem(key), MIN_FPS_OVERRIDE_KEY);
    await blurButton.click();
    await expect(blurButton).toHaveAttribute('data-blur', /^(on|too-slow)$/, { timeout: 60_000 });
    // Warm-up (2 s) and one window (3 s) before the verdict; timers run late on a busy page.
    const verdict = await expect
      .poll(() => blurButton.getAttribute('data-blur'), { timeout: 20_000 })
      .toBe('too-slow')
      .then(
        () => 'too-slow',
        () => blurButton.getAttribute('data-blur'),
      );
    console.log(`blur e2e: with the real 15 fps floor the patient's blur is "${verdict}"`);
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
    await expectRising(patientOut, "patient's outbound video after the second toggle", {
      minDelta: 10,
    });
    // Same received track all along, and no offer/answer since the call started: the sender's
    // track was replaced in place.
    expect(await remoteTrack()).toEqual(trackAtStart);
    expect(await renegotiations(page)).toEqual({ negotiationNeeded: 0, offers: 0, peers: 1 });

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
