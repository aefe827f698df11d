// End-to-end: background blur on the doctor's side, in the real doctor renderer (the desktop
// renderer's browser build, apps/desktop/dist-web, as in doctor.spec.ts), as the patient page
// receives it. Chromium's fake camera plays the blur scene (e2e/support/blurScene.ts: a person
// in front of a busy background) for both sides; the pixels are measured on the patient's side.
//
// What is shown:
// - the doctor turns blur on in the call: the background pixels the patient decodes differ
//   from the unblurred frame while the doctor's own stay close (against the codec's noise;
//   measured with the test-only 1 fps floor, as in patient-blur.spec.ts: when this shared
//   2-core machine is heavily loaded it blurs fewer than 15 frames a second, and the real
//   guard would turn blur off mid-measurement);
// - toggling never stops the doctor's outgoing video, and no offer/answer happens;
// - every blur file (the lazy chunk, MediaPipe's script, wasm and model) comes from the
//   renderer's own origin, nothing comes from anywhere but that origin and the service, and no
//   CSP violation is reported.
//
// CSP: Electron sends the renderer's policy as a response header (buildCsp in
// src/main/security/csp.ts: default-src 'none', worker-src 'self', …) on top of the <meta> policy
// in index.html; the plain browser build has only the <meta> one. Here the static site sends
// the Electron header too, so both policies are enforced, as in the app. The header is the one
// for a first run (no server configured yet: connect-src allows any https and loopback origin)
// because the service's port is only known after the site is up; the renderer's own second
// policy (csp.ts in the renderer) narrows connect-src to the service once it knows it.
import type { Page } from '@playwright/test';
import { chromiumArgs } from '../../../playwright.config.ts';
import { ffmpegAvailable, writeSceneY4m } from '../../../e2e/support/blurScene.ts';
import {
  appUrl,
  BLUR_FILES,
  codecNoise,
  collectCspViolations,
  countRenegotiations,
  createVisit,
  DEMO_USERS,
  desktopTest as test,
  expect,
  expectBlurredBackground,
  expectRising,
  frameStats,
  isBlurRequest,
  MIN_FPS_OVERRIDE_KEY,
  mostBlurred,
  renegotiations,
  requireDesktopWebBuild,
  requirePatientWebBuild,
  signIn,
  trackPeerConnections,
} from '../../../e2e/support/index.ts';
import { buildCsp } from '../src/main/security/csp.ts';

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
  webHeaders: { 'Content-Security-Policy': buildCsp(null) },
});
requireDesktopWebBuild();
requirePatientWebBuild();

/** The doctor's camera on the patient page (the stage's main video). */
const DOCTOR_ON_PATIENT = 'section.stage video.stage-main';

const blurButton = (page: Page) => page.getByRole('button', { name: 'Blur background' });

test("the doctor's blur: same-origin, CSP-clean, blurs the background the patient sees, never stops the video", async ({
  page,
  browser,
  web,
  service,
}) => {
  // Two pages encoding and decoding video, one of them segmenting, on two cores.
  test.setTimeout(300_000);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const doctorCsp = await collectCspViolations(page);
  await trackPeerConnections(page);
  await page.goto(appUrl(web, service));
  await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
  const { link } = await createVisit(page, 'Bo Blur');
  await page.getByRole('button', { name: 'Open visit with Bo Blur' }).click();
  await expect(page.getByText('You are in the visit room')).toBeVisible();
  // Lazy: nothing of the blur is fetched before it is asked for.
  expect(requests.filter(isBlurRequest)).toEqual([]);

  const patientContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  try {
    const patient = await patientContext.newPage();
    await trackPeerConnections(patient);
    await patient.goto(link);
    await patient.getByLabel('Your name').fill('Bo Blur');
    await patient.getByRole('button', { name: 'Join visit' }).click();
    const card = page.getByRole('listitem').filter({ hasText: 'Bo Blur' });
    await card.getByRole('button', { name: 'Admit' }).click();
    await expect(page.getByRole('heading', { name: 'Bo Blur' })).toBeFocused();

    const patientIn = async () => (await frameStats(patient)).peers.framesDecoded;
    const doctorOut = async () => (await frameStats(page)).peers.framesEncoded;
    await expectRising(patientIn, "patient's inbound video (the doctor's camera)");
    // From here on, no offer/answer round: every blur toggle must be a replaceTrack.
    await countRenegotiations(page);

    // The unblurred reference, and the codec's frame-to-frame noise.
    await expect(blurButton(page)).toHaveAttribute('aria-pressed', 'false');
    const noise = await codecNoise(patient, DOCTOR_ON_PATIENT);

    // Blur on in the call, with the test-only 1 fps floor (see the top of this file).
    await page.evaluate((key) => sessionStorage.setItem(key, '1'), MIN_FPS_OVERRIDE_KEY);
    await blurButton(page).click();
    await expect(blurButton(page)).toHaveAttribute('aria-pressed', 'true');
    await expect(blurButton(page)).toHaveAttribute('data-blur', 'on', { timeout: 60_000 });
    const receivedAtBlurOn = await patientIn();
    const sentAtBlurOn = await doctorOut();
    const best = await mostBlurred(patient, DOCTOR_ON_PATIENT, 10_000);
    await expect(blurButton(page)).toHaveAttribute('data-blur', 'on');
    expectBlurredBackground("doctor's camera at the patient", noise, best);
    expect(await patientIn()).toBeGreaterThan(receivedAtBlurOn);
    expect(await doctorOut()).toBeGreaterThan(sentAtBlurOn);

    // Off, on, off: the doctor's video goes on all along.
    await blurButton(page).click();
    await expect(blurButton(page)).toHaveAttribute('aria-pressed', 'false');
    await expectRising(patientIn, "patient's inbound video after blur off", { minDelta: 10 });
    await blurButton(page).click();
    await expect(blurButton(page)).toHaveAttribute('data-blur', 'on', { timeout: 60_000 });
    await expectRising(patientIn, "patient's inbound video with blur on again", { minDelta: 10 });
    await blurButton(page).click();
    await expectRising(patientIn, "patient's inbound video after the second toggle", {
      minDelta: 10,
    });
    await expectRising(doctorOut, "doctor's outbound video after the second toggle", {
      minDelta: 10,
    });
    expect(await renegotiations(page)).toEqual({ negotiationNeeded: 0, offers: 0, peers: 1 });

    // Every blur file came from the renderer's own origin; nothing from anywhere but that
    // origin and the service.
    const loaded = requests.filter(isBlurRequest);
    for (const file of BLUR_FILES)
      expect(
        loaded.some((u) => file.test(u)),
        String(file),
      ).toBe(true);
    expect(loaded.filter((u) => new URL(u).origin !== web.origin)).toEqual([]);
    const allowed = new Set([web.origin, new URL(service.url).origin]);
    expect(requests.filter((u) => /^https?:/.test(u) && !allowed.has(new URL(u).origin))).toEqual(
      [],
    );
    expect(await doctorCsp(), 'CSP violations in the doctor renderer').toEqual([]);
  } finally {
    await patientContext.close();
  }
});
