// End-to-end: the patient's other screens in every language, each scanned by axe (WCAG 2.1 A
// and AA): the invalid, expired and cancelled links, the waiting room left, and the pre-call
// check with the camera blocked. The language comes from the browser here (no `?lang=`), and
// the picker on the page switches it, rewriting `?lang=` so a reload keeps it.
import type { Page } from '@playwright/test';
import { CHROMIUM_PATH, chromiumArgs } from '../../../playwright.config.ts';
import { messages as ar } from '../src/i18n/compiled/ar.ts';
import { messages as en } from '../src/i18n/compiled/en.ts';
import { messages as es } from '../src/i18n/compiled/es.ts';
import {
  cancelMeeting,
  createMeeting,
  expect,
  expectNoAxeViolations,
  PHONE,
  requirePatientWebBuild,
  resignToken,
  test,
  tokenFromJoinUrl,
} from '../../../e2e/support/index.ts';

test.use({ ...PHONE });
requirePatientWebBuild();

// Plain messages only (compiled as a single text run).
const text = (catalog: Record<string, unknown>, id: string): string => {
  const m = catalog[id];
  if (Array.isArray(m) && m.length === 1 && typeof m[0] === 'string') return m[0];
  throw new Error(`${id} is not a plain message`);
};

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });

const LANGUAGES = [
  { lang: 'en', locale: 'en-GB', catalog: en, dir: 'ltr', other: 'es', otherCatalog: es },
  { lang: 'es', locale: 'es-MX', catalog: es, dir: 'ltr', other: 'ar', otherCatalog: ar },
  { lang: 'ar', locale: 'ar-EG', catalog: ar, dir: 'rtl', other: 'en', otherCatalog: en },
] as const;

for (const { lang, locale, catalog, dir, other, otherCatalog } of LANGUAGES) {
  test.describe(`browser in ${locale}`, () => {
    test.use({ locale });
    const t = (id: string) => text(catalog, id);

    test(`link screens and the waiting room left, in ${lang}, with 0 axe violations; the picker switches to ${other}`, async ({
      page,
      service,
      doctor,
    }) => {
      const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token);

      await page.goto(`${service.url}/join/${roomId}#token=not.a.jwt`);
      await expect(heading(page, t('screen.invalid.title'))).toBeVisible();
      // The browser's language, matched on its base (es-MX → es).
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('html')).toHaveAttribute('dir', dir);
      await expectNoAxeViolations(page, `the invalid link (${lang})`);

      const expired = await resignToken(service, tokenFromJoinUrl(patientJoinUrl), {
        exp: Math.floor(Date.now() / 1000) - 3600,
      });
      // Only the fragment differs from the last address: leave first, or it would not reload.
      await page.goto('about:blank');
      await page.goto(`${service.url}/join/${roomId}#token=${expired}`);
      await expect(heading(page, t('screen.expired.title'))).toBeVisible();
      await expectNoAxeViolations(page, `the expired link (${lang})`);

      const cancelled = await createMeeting(service, doctor.token);
      await cancelMeeting(service, doctor.token, cancelled.roomId);
      await page.goto(cancelled.patientJoinUrl);
      await expect(heading(page, t('screen.cancelled.title'))).toBeVisible();
      await expectNoAxeViolations(page, `the cancelled link (${lang})`);

      await page.goto('about:blank');
      await page.goto(patientJoinUrl);
      await expect(heading(page, t('precheck.title'))).toBeVisible();
      await page.getByLabel(t('precheck.name')).fill('Sami Pantallas');
      await page.getByRole('button', { name: t('precheck.join') }).click();
      await expect(heading(page, t('waiting.title'))).toBeVisible();
      await page.getByRole('button', { name: t('waiting.leave') }).click();
      await expect(heading(page, t('screen.left.title'))).toBeVisible();
      await expectNoAxeViolations(page, `the waiting room left (${lang})`);

      // The patient switches language on the page: it loads, and ?lang= follows for a reload.
      await page.getByRole('button', { name: t('screen.left.rejoin') }).click();
      await expect(heading(page, t('precheck.title'))).toBeVisible();
      await page.getByLabel(t('language.label')).selectOption(other);
      await expect(heading(page, text(otherCatalog, 'precheck.title'))).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', other);
      expect(new URL(page.url()).searchParams.get('lang')).toBe(other);
      await page.reload();
      await expect(heading(page, text(otherCatalog, 'precheck.title'))).toBeVisible();
      await expectNoAxeViolations(page, `the pre-call check switched to ${other}`);
    });
  });
}

test('the pre-call check with camera and microphone blocked, in every language, with 0 axe violations', async ({
  playwright,
  service,
  doctor,
}) => {
  // The suite's browser auto-accepts media prompts (--use-fake-ui-for-media-stream); a blocked
  // camera needs a browser that asks, with the site's permission set to Block.
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: chromiumArgs.filter((a) => a !== '--use-fake-ui-for-media-stream'),
  });
  try {
    const context = await browser.newContext({ ...PHONE });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    // Permissions belong to a browser context; without its id CDP would set the default one's.
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    for (const name of ['camera', 'microphone']) {
      await cdp.send('Browser.setPermission', {
        permission: { name },
        setting: 'denied',
        origin: service.url,
        browserContextId: targetInfo.browserContextId,
      });
    }
    const { patientJoinUrl } = await createMeeting(service, doctor.token);
    const [base, fragment] = patientJoinUrl.split('#');
    for (const { lang, catalog } of LANGUAGES) {
      await page.goto(`${base}?lang=${lang}#${fragment}`);
      await expect(heading(page, text(catalog, 'precheck.title'))).toBeVisible();
      await expect(page.getByRole('alert')).toContainText(text(catalog, 'precheck.error.denied'));
      await expectNoAxeViolations(page, `the pre-call check, camera blocked (${lang})`);
    }
  } finally {
    await browser.close();
  }
});
