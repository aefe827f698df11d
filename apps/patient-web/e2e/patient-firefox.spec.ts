// End-to-end: the patient page in Debian's Firefox ESR, the doctor in Chromium (the call engine
// harness in e2e/support). Playwright's Firefox is a patched build (a download), so Firefox is
// driven over WebDriver BiDi by puppeteer-core with the system binary. Firefox here has no
// H264: the call must settle on VP8. Fake media and loopback ICE come from prefs. Firefox is
// also where the bundle's CSP violation ("blocked a JavaScript eval") and the wrong "The doctor
// is back." at the first admission were seen: both are checked here.
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

test('Firefox ESR patient: admitted, media both ways, chat, the doctor ends; then in Arabic', async ({
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
    // CSP errors Firefox writes to the console (the "blocked a JavaScript eval").
    const cspConsole: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (/Content[- ]Security[- ]Policy|blocked a JavaScript eval/i.test(text)) {
        cspConsole.push(text.slice(0, 200));
      }
    });
    await page.evaluateOnNewDocument(recordPage);
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
    // No H264 in this Firefox: both sides offer VP8 too, and that is what was negotiated.
    expect((await firefoxInboundCodec(page))?.toLowerCase()).toBe('video/vp8');
    // The first admission is announced as such, never as the doctor coming back.
    await expect
      .poll(async () => (await pageRecord(page)).said)
      .toContain('The doctor let you in.');
    expect((await pageRecord(page)).said).not.toContain('The doctor is back.');

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

    // The same visit in Arabic, in the same Firefox (no second launch): the page follows
    // `?lang=ar` from the join link, lays out right-to-left, and the call still flows.
    const ar = await createMeeting(service, doctor.token);
    const arDoc = await openDoctorPage(doctorContext, service, doctor, ar.roomId);
    const arPage = await firefox.newPage();
    const arUrl = new URL(ar.patientJoinUrl);
    arUrl.searchParams.set('lang', 'ar');
    await arPage.goto(arUrl.href);
    await arPage.locator('::-p-text(تحقق من الكاميرا والميكروفون)').wait();
    expect(
      await arPage.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
    ).toEqual(['ar', 'rtl']);
    await arPage.locator('input[name="name"]').fill('فاطمة');
    await arPage.locator('button[type="submit"]').click();
    await arPage.locator('::-p-text(في انتظار الطبيب)').wait();
    let arSocketId: string | undefined;
    await expect
      .poll(async () => {
        arSocketId = (await arDoc.view())?.waiting.find((w) => w.userName === 'فاطمة')?.socketId;
        return arSocketId !== undefined;
      })
      .toBe(true);
    await arDoc.admit(arSocketId!);
    await arPage.locator('button[aria-label="مغادرة الزيارة"]').wait();
    await arDoc.endCall();
    await arPage.locator('::-p-text(أنهى الطبيب الزيارة)').wait();
    expect(await arPage.evaluate(() => document.documentElement.dir)).toBe('rtl');
  } finally {
    await doctorContext.close();
    await firefox.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
