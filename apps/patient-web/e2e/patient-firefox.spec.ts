// End-to-end: the patient page in Debian's Firefox ESR, the doctor on the real doctor app in
// Chromium (the desktop renderer's browser build, served from its own origin as doctor.spec.ts
// does: sign in, create the visit, admit from the waiting room, chat panel, End visit).
// Playwright's Firefox is a patched build (a download), so Firefox is driven over WebDriver
// BiDi by puppeteer-core with the system binary. Firefox here has no H264: the call must settle
// on VP8. Fake media and loopback ICE come from prefs. Firefox is also where the bundle's CSP
// violation ("blocked a JavaScript eval") and the wrong "The doctor is back." at the first
// admission were seen: both are checked here.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import {
  DEMO_USERS,
  MIN_FPS_OVERRIDE_KEY,
  admitFromWaitingRoom,
  endVisit,
  type VirtualDisplay,
  appUrl,
  createVisit,
  desktopTest as test,
  expect,
  expectRising,
  frameStats,
  getMeeting,
  requireDesktopWebBuild,
  requirePatientWebBuild,
  signIn,
  startXvfb,
  trackPeerConnections,
} from '../../../e2e/support/index.ts';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

test.skip(
  !existsSync(FIREFOX),
  `${FIREFOX} is missing: install Debian's firefox-esr (scripts/install-test-deps.sh) or set FIREFOX_PATH`,
);
requirePatientWebBuild();
requireDesktopWebBuild();

/**
 * Headed on `display` when there is one: headless Firefox has no WebGL, so no background blur
 * (MediaPipe needs a GL context); on Xvfb it gets WebGL from Mesa's llvmpipe.
 */
async function launchFirefox(profile: string, display: VirtualDisplay | null): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: display === null,
    ...(display ? { env: { ...process.env, DISPLAY: display.display } } : {}),
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

/** What the page recorded: CSP violations (the standard event) and what its live region said. */
interface PageRecord {
  csp: Array<{ directive: string; blocked: string }>;
  said: string[];
}

/** Installed before the page's own scripts, like e2e/support/csp.ts does for Chromium. */
function recordPage(): void {
  const record: PageRecord = { csp: [], said: [] };
  (window as unknown as { __record: PageRecord }).__record = record;
  document.addEventListener('securitypolicyviolation', (e) => {
    let blocked = e.blockedURI;
    try {
      blocked = new URL(blocked).origin;
    } catch {
      // A keyword such as "eval" or "inline", not a URL.
    }
    record.csp.push({ directive: e.effectiveDirective, blocked });
  });
  const watch = () => {
    const region = document.querySelector('[aria-live]');
    if (!region) return false;
    new MutationObserver(() => {
      const text = region.textContent?.trim();
      if (text) record.said.push(text);
    }).observe(region, { childList: true, characterData: true, subtree: true });
    return true;
  };
  new MutationObserver((_m, observer) => {
    if (watch()) observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
}

const pageRecord = (page: Page): Promise<PageRecord> =>
  page.evaluate(() => (window as unknown as { __record: PageRecord }).__record);

/** The video codec of the patient's inbound video, from getStats (`video/VP8`, …). */
async function firefoxInboundCodec(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    for (const pc of (window as unknown as { __peers?: RTCPeerConnection[] }).__peers ?? []) {
      const stats = await pc.getStats();
      const codecs = new Map<string, string>();
      let codecId: string | undefined;
      stats.forEach(
        (r: { type: string; id: string; kind?: string; codecId?: string; mimeType?: string }) => {
          if (r.type === 'codec' && r.mimeType) codecs.set(r.id, r.mimeType);
          if (r.type === 'inbound-rtp' && r.kind === 'video') codecId = r.codecId;
        },
      );
      if (codecId && codecs.has(codecId)) return codecs.get(codecId)!;
    }
    return null;
  });
}

/** Remembers every RTCPeerConnection the page makes (installed before the page's scripts). */
function trackFirefoxPeers(): void {
  const Native = window.RTCPeerConnection;
  const peers: RTCPeerConnection[] = [];
  (window as unknown as { __peers: RTCPeerConnection[] }).__peers = peers;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      peers.push(this);
    }
  };
}

/** The pre-call screen in Firefox: name, Join, then the waiting screen's heading text. */
async function joinInFirefox(page: Page, link: string | null, name: string, waiting: string) {
  if (link !== null) await page.goto(link);
  await page.locator('input[name="name"]').fill(name);
  await page.locator('button[type="submit"]').click();
  await page.locator(`::-p-text(${waiting})`).wait();
}

test('Firefox ESR patient with the doctor app in Chromium: admitted, media both ways, chat, the doctor ends; then in Arabic', async ({
  page: doc,
  web,
  service,
  doctor,
}) => {
  test.setTimeout(240_000);
  const profile = mkdtempSync(path.join(tmpdir(), 'b15-firefox-'));
  const display = await startXvfb();
  if (!display)
    console.warn(
      '[firefox e2e] Xvfb is missing: Firefox runs headless, without WebGL, so blur is only checked to say it cannot run (install xvfb: scripts/install-test-deps.sh)',
    );
  const firefox = await launchFirefox(profile, display);
  try {
    // The doctor: the real renderer (its browser build), signed in, creating the visit.
    await trackPeerConnections(doc);
    await doc.goto(appUrl(web, service));
    await signIn(doc, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    const { appointmentId, link } = await createVisit(doc, 'Fiona Firefox', 'ff');
    const roomId = `room-${appointmentId}`;
    await doc.getByRole('button', { name: 'Open visit with Fiona Firefox' }).click();
    await expect(doc.getByText('You are in the visit room')).toBeVisible();

    const page = await firefox.newPage();
    // CSP errors Firefox writes to the console (the "blocked a JavaScript eval").
    const cspConsole: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (/Content[- ]Security[- ]Policy|blocked a JavaScript eval/i.test(text)) {
        cspConsole.push(text.slice(0, 200));
      }
    });
    await page.evaluateOnNewDocument(recordPage);
    await page.evaluateOnNewDocument(trackFirefoxPeers);
    await page.goto(link);
    // Background blur on the pre-call screen settles, never stuck at "Starting…". With WebGL
    // (Firefox on Xvfb) it runs on the canvas frame path Firefox takes (no insertable streams),
    // with the test-only 1 fps floor so a loaded machine does not turn it off; without WebGL
    // (headless) it must say this browser cannot blur, and turn the switch off.
    await page.evaluate((key) => sessionStorage.setItem(key, '1'), MIN_FPS_OVERRIDE_KEY);
    await page.locator('button[role="switch"]').click();
    const settled = await page.waitForFunction(
      (): string | false => {
        const kind = document
          .querySelector('[data-testid="blur-status"]')
          ?.getAttribute('data-blur');
        return kind && kind !== 'off' && kind !== 'starting' ? kind : false;
      },
      { timeout: 45_000 },
    );
    const blur = (await settled.jsonValue()) as string;
    const webGl = await page.evaluate(() =>
      ['webgl2', 'webgl'].some(
        (kind) => document.createElement('canvas').getContext(kind) !== null,
      ),
    );
    expect(blur).toBe(webGl ? 'on' : 'unsupported');
    // Blur on (where it runs) is carried into the call: the doctor's frames below are blurred.
    await joinInFirefox(page, null, 'Fiona Firefox', 'Waiting for the doctor');
    await admitFromWaitingRoom(doc, 'Fiona Firefox');
    await page.locator('button[aria-label="Leave visit"]').wait();

    await expectRising(() => firefoxFramesDecoded(page), "Firefox patient's inbound video");
    await expectRising(
      async () =>
        (await frameStats(doc)).videos.find((v) => v.label === "Fiona Firefox's camera")
          ?.totalVideoFrames ?? 0,
      "Firefox's camera on the doctor's screen",
    );
    await expectRising(
      async () => (await frameStats(doc)).peers.framesDecoded,
      "Chromium doctor's inbound video (Firefox's camera)",
    );
    if (webGl) {
      // In the call, blur still on; turned off there, the plain camera goes on flowing.
      const blurButton = 'button[aria-label="Blur my background"]';
      const pressed = (): Promise<string | null> =>
        page.$eval(blurButton, (b) => b.getAttribute('aria-pressed'));
      expect(await pressed()).toBe('true');
      await page.locator(blurButton).click();
      await expect.poll(pressed).toBe('false');
      await expectRising(
        async () => (await frameStats(doc)).peers.framesDecoded,
        "doctor's inbound video after the Firefox patient turned blur off",
      );
    }
    // No H264 in this Firefox: both sides offer VP8 too, and that is what was negotiated.
    expect((await firefoxInboundCodec(page))?.toLowerCase()).toBe('video/vp8');
    // The first admission is announced as such, never as the doctor coming back.
    await expect
      .poll(async () => (await pageRecord(page)).said)
      .toContain('The doctor let you in.');
    expect((await pageRecord(page)).said).not.toContain('The doctor is back.');

    // Chat both ways, through both apps' chat panels.
    await doc.getByRole('textbox', { name: 'Message' }).fill('Hello from the doctor');
    await doc.getByRole('button', { name: 'Send' }).click();
    await page.locator('button[aria-label^="Open chat"]').click();
    await page.locator('::-p-text(Hello from the doctor)').wait();
    await page.locator('#chat-input').fill('Hello from Firefox');
    await page.locator('.chat-form button[type="submit"]').click();
    await expect(doc.getByRole('log')).toContainText('Hello from Firefox');

    await endVisit(doc);
    await page.locator('::-p-text(The doctor has ended the visit)').wait();
    expect((await getMeeting(service, doctor.token, roomId)).status).toBe('completed');

    // No CSP violation through the whole visit (zod's eval probe is off: jitless).
    expect((await pageRecord(page)).csp, 'CSP violations in Firefox').toEqual([]);
    expect(cspConsole, 'CSP errors in the Firefox console').toEqual([]);
    // And the check can fail: an inline script, which script-src 'self' blocks, is reported.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'void 0';
      document.head.append(script);
    });
    await expect
      .poll(async () =>
        (await pageRecord(page)).csp.some((v) => v.directive.startsWith('script-src')),
      )
      .toBe(true);

    // A second visit in Arabic, in the same Firefox (no second launch): the doctor sets the
    // patient's language in the new-visit form, the link carries `?lang=ar`, the page follows it,
    // lays out right-to-left, and the call flows.
    await doc.getByRole('button', { name: "Back to today's appointments" }).click();
    const ar = await createVisit(doc, 'فاطمة', 'ffar', 'العربية');
    expect(new URL(ar.link).searchParams.get('lang')).toBe('ar');
    await doc.getByRole('button', { name: 'Open visit with فاطمة' }).click();
    await expect(doc.getByText('You are in the visit room')).toBeVisible();
    const arPage = await firefox.newPage();
    await arPage.evaluateOnNewDocument(trackFirefoxPeers);
    await arPage.goto(ar.link);
    await arPage.locator('::-p-text(تحقق من الكاميرا والميكروفون)').wait();
    expect(
      await arPage.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
    ).toEqual(['ar', 'rtl']);
    await joinInFirefox(arPage, null, 'فاطمة', 'في انتظار الطبيب');
    await admitFromWaitingRoom(doc, 'فاطمة');
    await arPage.locator('button[aria-label="مغادرة الزيارة"]').wait();
    await expectRising(() => firefoxFramesDecoded(arPage), 'Arabic Firefox page inbound video');
    await endVisit(doc);
    await arPage.locator('::-p-text(أنهى الطبيب الزيارة)').wait();
    expect(await arPage.evaluate(() => document.documentElement.dir)).toBe('rtl');
  } finally {
    await firefox.close();
    await display?.stop();
    rmSync(profile, { recursive: true, force: true });
  }
});
