// End-to-end: "Tap to turn on sound" in a real browser. Safari refuses unmuted autoplay until a
// tap; Safari cannot run here, but Chromium with `--autoplay-policy=user-gesture-required`
// refuses `play()` of an unmuted MediaStream <video> the same way (NotAllowedError; checked:
// `document-user-activation-required` lets it play once the page had the Join click, so it
// would not show the prompt). The patient runs in their own Chromium with that flag; the doctor
// in the suite's browser.
//
// User activation: Playwright's evaluate and locator checks run with CDP's `userGesture`, and a
// gesture lets `play()` succeed for a few seconds after it (transient activation, 5 s in
// Chromium). So the patient's page is left untouched from the Join click until the doctor's
// media has arrived, and the tap itself is a real click (page.click); state is only read.
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_PATH, chromiumArgs } from '../../../playwright.config.ts';
import {
  PHONE,
  createMeeting,
  expect,
  expectRising,
  joinFromLink,
  frameStats,
  openDoctorPage,
  requirePatientWebBuild,
  test,
  trackPeerConnections,
} from '../../../e2e/support/index.ts';

requirePatientWebBuild();

// Chromium's transient user activation lasts 5 s (kActivationLifespan); a little more.
const ACTIVATION_LIFESPAN_MS = 6_000;

interface VideoState {
  muted: boolean;
  paused: boolean;
}

/** The doctor's <video> as the patient's page has it (read only: no play() here). */
async function doctorVideo(page: Page): Promise<VideoState | null> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('video[data-remote]');
    return v ? { muted: v.muted, paused: v.paused } : null;
  });
}

/** Frames the doctor's <video> has shown on the patient's page. */
async function doctorFrames(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      document.querySelector<HTMLVideoElement>('video[data-remote]')?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0,
  );
}

test('sound refused until a tap: the doctor plays muted, "Tap to turn on sound" unmutes', async ({
  doctorContext,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token, {
    patientName: 'Tap Case',
  });
  const gestureArgs = [
    ...chromiumArgs.filter((a) => !a.startsWith('--autoplay-policy=')),
    '--autoplay-policy=user-gesture-required',
  ];
  const patientBrowser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: gestureArgs,
  });
  try {
    const patientContext = await patientBrowser.newContext({
      ...PHONE,
      permissions: ['camera', 'microphone'],
    });
    const page = await patientContext.newPage();
    const doc = await openDoctorPage(doctorContext, service, doctor, roomId);

    await trackPeerConnections(page);
    await joinFromLink(page, patientJoinUrl, 'Tess Tap');

    // Let the Join click's (and the checks') activation run out, so the doctor's video has to
    // start without one, as on a phone that reloaded the page.
    await new Promise((resolve) => setTimeout(resolve, ACTIVATION_LIFESPAN_MS));
    await doc.admitByName('Tess Tap');
    // Watched from the doctor's side only: the patient's page must not get a gesture yet.
    await expectRising(
      async () => (await frameStats(doc.page)).peers.framesDecoded,
      "doctor's inbound video frames (patient's camera)",
    );

    const tap = page.getByRole('button', { name: 'Tap to turn on sound' });
    await expect(tap).toBeVisible();
    // Refused with sound, so playing muted: the doctor's picture moves before the tap.
    expect(await doctorVideo(page)).toEqual({ muted: true, paused: false });
    await expectRising(() => doctorFrames(page), "the doctor's picture, muted, before the tap");

    await tap.click();
    await expect(tap).toHaveCount(0);
    await expect.poll(() => doctorVideo(page)).toEqual({ muted: false, paused: false });
    await expectRising(
      async () => (await frameStats(page)).peers.audioPacketsReceived,
      "patient's inbound audio packets after the tap",
    );
  } finally {
    await patientBrowser.close();
  }
});
