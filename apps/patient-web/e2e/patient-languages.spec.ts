// End-to-end: the main patient flow in every language the page speaks, the language set by the
// doctor in the join link (`?lang=`, outside the token's fragment), Arabic laid out right to
// left; and the call on phones from 320×568 to 430×932 in both orientations, with screenshots
// kept as test artifacts.
import { messages as ar } from '../src/i18n/compiled/ar.ts';
import { messages as en } from '../src/i18n/compiled/en.ts';
import { messages as es } from '../src/i18n/compiled/es.ts';
import {
  createMeeting,
  expect,
  expectNoAxeViolations,
  expectRising,
  frameStats,
  openDoctorPage,
  PHONE,
  requirePatientWebBuild,
  test,
  trackPeerConnections,
} from '../../../e2e/support/index.ts';

test.use({ ...PHONE });
requirePatientWebBuild();

// Plain messages only (compiled as a single text run).
const text = (catalog: Record<string, unknown>, id: string): string => {
  const m = catalog[id];
  if (Array.isArray(m) && m.length === 1 && typeof m[0] === 'string') return m[0];
  throw new Error(`${id} is not a plain message`);
};

// The smallest phone in use, two common ones (390×844 held in landscape is the case:
// cover would show only a middle band of a portrait camera), and the largest.
const PHONES = [
  { width: 320, height: 568 },
  { width: 568, height: 320 },
  { width: 375, height: 667 },
  { width: 667, height: 375 },
  { width: 390, height: 844 },
  { width: 844, height: 390 },
  { width: 430, height: 932 },
  { width: 932, height: 430 },
];

for (const [lang, catalog, dir] of [
  ['en', en, 'ltr'],
  ['es', es, 'ltr'],
  ['ar', ar, 'rtl'],
] as const) {
  test(`the visit in ${lang}: check, waiting room, call, end${lang === 'ar' ? ', phones in both orientations' : ''}`, async ({
    doctorContext,
    page,
    service,
    doctor,
  }, testInfo) => {
    const t = (id: string) => text(catalog, id);
    const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token);
    const doc = await openDoctorPage(doctorContext, service, doctor, roomId);
    await trackPeerConnections(page);
    const [base, fragment] = patientJoinUrl.split('#');
    await page.goto(`${base}?lang=${lang}#${fragment}`);

    await expect(page.getByRole('heading', { name: t('precheck.title') })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.locator('html')).toHaveAttribute('dir', dir);
    // The language travels outside the token: the fragment left the address bar, ?lang stayed.
    expect(new URL(page.url()).searchParams.get('lang')).toBe(lang);
    expect(page.url()).not.toContain('token=');
    await expectNoAxeViolations(page, `the pre-call check (${lang})`);

    await page.getByLabel(t('precheck.name')).fill('Lina Idioma');
    await page.getByRole('button', { name: t('precheck.join') }).click();
    await expect(page.getByRole('heading', { name: t('waiting.title') })).toBeVisible();
    await expectNoAxeViolations(page, `the waiting room (${lang})`);

    let socketId: string | undefined;
    await expect
      .poll(async () => {
        socketId = (await doc.view())?.waiting.find((w) => w.userName === 'Lina Idioma')?.socketId;
        return socketId !== undefined;
      })
      .toBe(true);
    await doc.admit(socketId!);
    await expect(page.getByRole('button', { name: t('call.leave') })).toBeVisible();
    await expectRising(
      async () => (await frameStats(page)).peers.framesDecoded,
      `patient's inbound video (${lang})`,
    );
    await expectNoAxeViolations(page, `the call (${lang})`);
    await page.getByRole('button', { name: /^Open chat|^Abrir chat|^فتح الدردشة/ }).click();
    await expectNoAxeViolations(page, `the call with the chat open (${lang})`);
    await page.getByRole('button', { name: t('chat.close') }).click();

    if (lang === 'ar') {
      // Right to left: the self-view sits in the left corner.
      const pip = await page.locator('.pip').first().boundingBox();
      expect(pip!.x).toBeLessThan(page.viewportSize()!.width / 2);
      for (const size of PHONES) {
        await page.setViewportSize(size);
        const remote = page.locator('video.stage-main[data-fit]');
        // The whole face: cover only when it would crop little (ui/videoFit.ts), else contain.
        await expect
          .poll(() =>
            remote.evaluate((v: HTMLVideoElement) => {
              const videoRatio = v.videoWidth / v.videoHeight;
              const boxRatio = v.clientWidth / v.clientHeight;
              const crop = 1 - Math.min(videoRatio, boxRatio) / Math.max(videoRatio, boxRatio);
              return v.dataset.fit === (crop <= 0.2 ? 'cover' : 'contain');
            }),
          )
          .toBe(true);
        // The self-view takes the camera's shape (Chromium's fake camera is landscape).
        const self = await page.locator('.pip').first().boundingBox();
        expect(self!.width).toBeGreaterThan(self!.height);
        // Controls stay on screen.
        await expect(page.getByRole('button', { name: t('call.leave') })).toBeInViewport();
        await page.screenshot({
          path: testInfo.outputPath(`call-${size.width}x${size.height}-${lang}.png`),
        });
      }
    }

    await doc.endCall();
    await expect(page.getByRole('heading', { name: t('screen.ended.title') })).toBeVisible();
    await expectNoAxeViolations(page, `the ended screen (${lang})`);
  });
}
