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
// - with the real 15 fps floor, a device that cannot keep it turns blur off by itself and says
//   so; the video goes on. (This 2-core machine, software WebGL, blurs 19–26 fps when lightly
//   loaded and under 15 when heavily shared, so either verdict is accepted; a machine that
//   keeps blur on has it turned off by hand.)
import type { Page } from '@playwright/test';
import { chromiumArgs } from '../../../playwright.config.ts';
import { ffmpegAvailable, writeSceneY4m } from '../../../e2e/support/blurScene.ts';
import {
  BLUR_FILES,
  codecNoise,
  collectCspViolations,
  countRenegotiations,
  createMeeting,
  expect,
  expectBlurredBackground,
  expectRising,
  frameStats,
  isBlurRequest,
  MIN_FPS_OVERRIDE_KEY,
  mostBlurred,
  openDoctorPage,
  renegotiations,
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

const REMOTE = 'video[aria-label="Patient video"]';

const blurStatus = (page: Page) => page.getByTestId('blur-status').first();

test('background blur: lazy, same-origin, blurs the background the doctor sees, never stops the video', async ({
  doctorContext,
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
  const doc = await openDoctorPage(doctorContext, service, doctor, roomId);
  await trackPeerConnections(page);
  await page.goto(patientJoinUrl);
  await expect(
    page.getByRole('heading', { name: 'Check your camera and microphone' }),
  ).toBeVisible();
  const blurSwitch = page.getByRole('switch', { name: 'Blur my background' });
  await expect(blurSwitch).toBeVisible();
  // Lazy: nothing of the blur is fetched before it is asked for.
  const blurRequests = () => requests.filter(isBlurRequest);
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
  await doc.admitByName('Bea Blur');
  const blurButton = page.getByRole('button', { name: 'Blur my background' });
  await expect(blurButton).toBeVisible();
  const doctorIn = async () => (await frameStats(doc.page)).peers.framesDecoded;
  const patientOut = async () => (await frameStats(page)).peers.framesEncoded;
  await expectRising(doctorIn, "doctor's inbound video (patient's camera)");
  const remoteTrack = () =>
    doc.page.evaluate((selector) => {
      const v = document.querySelector<HTMLVideoElement>(selector);
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
  const noise = await codecNoise(doc.page, REMOTE);

  // Blur on in the call: keep the most blurred picture the doctor gets while it is on. When
  // this shared 2-core machine is heavily loaded it blurs fewer than 15 frames a second, and
  // the real guard would turn blur off about five seconds after it starts; so the pixels are
  // measured with the test-only floor of 1 fps (MIN_FPS_OVERRIDE_KEY), whatever the load, and
  // the real guard is shown below.
  await page.evaluate((key) => sessionStorage.setItem(key, '1'), MIN_FPS_OVERRIDE_KEY);
  await blurButton.click();
  await expect(blurButton).toHaveAttribute('aria-pressed', 'true');
  await expect(blurButton).toHaveAttribute('data-blur', 'on', { timeout: 60_000 });
  const framesAtBlurOn = await doctorIn();
  const sentAtBlurOn = await patientOut();
  const best = await mostBlurred(doc.page, REMOTE, 10_000);
  await expect(blurButton).toHaveAttribute('data-blur', 'on');
  expectBlurredBackground("patient's camera at the doctor", noise, best);
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
  for (const file of BLUR_FILES)
    expect(
      loaded.some((u) => file.test(u)),
      String(file),
    ).toBe(true);
  const foreign = requests.filter((u) => /^https?:/.test(u) && new URL(u).origin !== origin);
  expect(foreign).toEqual([]);
  expect(await cspViolations()).toEqual([]);
});
