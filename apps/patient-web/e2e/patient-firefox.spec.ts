// End-to-end: the patient page in Debian's Firefox ESR, the doctor in Chromium (the call engine
// harness in e2e/support). Playwright's Firefox is a patched build (a download), so Firefox is
// driven over WebDriver BiDi by puppeteer-core with the system binary. Firefox here has no
// H264: the call must settle on VP8. Fake media and loopback ICE come from prefs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import {
  createMeeting,
  expect,
  expectRising,
  frameStats,
  getMeeting,
  openDoctorPage,
  requirePatientWebBuild,
  test,
} from '../../../e2e/support/index.ts';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

test.skip(
  !existsSync(FIREFOX),
  `${FIREFOX} is missing: install Debian's firefox-esr (scripts/install-test-deps.sh) or set FIREFOX_PATH`,
);
requirePatientWebBuild();

async function launchFirefox(profile: string): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      // Without it only default-route addresses are gathered (none on a loopback-only host).
      'media.navigator.permission.fake': true,
      'media.peerconnection.ice.loopback': true,
      'media.autoplay.default': 0,
    },
  });
}

/** Inbound video frames decoded on the patient's page (every peer connection it opened). */
async function firefoxFramesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const peers = (window as unknown as { __peers?: RTCPeerConnection[] }).__peers ?? [];
    let frames = 0;
    for (const pc of peers) {
      const stats = await pc.getStats();
      stats.forEach((r: { type: string; kind?: string; framesDecoded?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
      });
    }
    return frames;
  });
}

test('Firefox ESR patient: admitted, media both ways, chat, the doctor ends', async ({
  browser,
  service,
  doctor,
}) => {
  test.setTimeout(180_000);
  const profile = mkdtempSync(path.join(tmpdir(), 'b15-firefox-'));
  const firefox = await launchFirefox(profile);
  const doctorContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  try {
    const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token);
    const doc = await openDoctorPage(doctorContext, service, doctor, roomId);

    const page = await firefox.newPage();
    await page.evaluateOnNewDocument(() => {
      const Native = window.RTCPeerConnection;
      const peers: RTCPeerConnection[] = [];
      (window as unknown as { __peers: RTCPeerConnection[] }).__peers = peers;
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          peers.push(this);
        }
      };
    });
    await page.goto(patientJoinUrl);
    await page.locator('input[name="name"]').fill('Fiona Firefox');
    await page.locator('button[type="submit"]').click();
    await page.locator('::-p-text(Waiting for the doctor)').wait();

    let socketId: string | undefined;
    await expect
      .poll(async () => {
        socketId = (await doc.view())?.waiting.find(
          (w) => w.userName === 'Fiona Firefox',
        )?.socketId;
        return socketId !== undefined;
      })
      .toBe(true);
    await doc.admit(socketId!);
    await page.locator('button[aria-label="Leave visit"]').wait();

    await expectRising(() => firefoxFramesDecoded(page), "Firefox patient's inbound video");
    await expectRising(
      async () => (await frameStats(doc.page)).peers.framesDecoded,
      "Chromium doctor's inbound video (Firefox's camera)",
    );
    await expect.poll(async () => (await doc.view())?.peerName).toBe('Fiona Firefox');

    // Chat both ways.
    await doc.sendChat('Hello from the doctor');
    await page.locator('button[aria-label^="Open chat"]').click();
    await page.locator('::-p-text(Hello from the doctor)').wait();
    await page.locator('#chat-input').fill('Hello from Firefox');
    await page.locator('.chat-form button[type="submit"]').click();
    await expect.poll(async () => (await doc.view())?.chat ?? []).toContain('Hello from Firefox');

    await doc.endCall();
    await page.locator('::-p-text(The doctor has ended the visit)').wait();
    expect((await getMeeting(service, doctor.token, roomId)).status).toBe('completed');
  } finally {
    await doctorContext.close();
    await firefox.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
