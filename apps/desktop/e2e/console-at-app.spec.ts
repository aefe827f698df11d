// End-to-end: the whole product from the service's own origin, as `npm start` gives it — the
// built service (scripts/start.mjs --no-build, what `npm run serve` runs) serves the clinician
// console at /app and the patient page at /join/…, and nothing else is involved. The doctor signs
// in at /app, creates a visit, the patient joins from the link on a phone-sized screen, video and
// audio flow both ways, and the manager exports the visit as CSV.
//
// Needs `npm run build` (the service's dist/, apps/patient-web/dist, apps/desktop/dist-web).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  collectCspViolations,
  createVisit,
  endVisit,
  DEMO_USERS,
  expect,
  expectRising,
  frameStats,
  PATIENT_WEB_DIST,
  PHONE,
  provideService,
  REPO_ROOT,
  SERVICE_DIST,
  signIn,
  startTestService,
  test as base,
  trackPeerConnections,
} from '../../../e2e/support/index.ts';
import type { Page } from '@playwright/test';

const CONSOLE_DIST = path.join(REPO_ROOT, 'apps/desktop/dist-web');

const test = base.extend({
  // The built service, started the way a production start runs it (no rebuild, no tsx).
  service: [
    async ({ serviceEnv }, use) =>
      provideService(await startTestService(serviceEnv, { built: true }), use),
    { scope: 'worker', timeout: 90_000 },
  ],
});

test.skip(
  ![SERVICE_DIST, path.join(PATIENT_WEB_DIST, 'index.html'), path.join(CONSOLE_DIST, 'index.html')]
    .map((f) => existsSync(f))
    .every(Boolean),
  'the built product is missing: run `npm run build` first',
);

/**
 * The browser's notification prompt, answered "Allow" by the doctor. Headless Chromium cannot
 * show the prompt and reports every origin as `denied`, so this thin stand-in starts at
 * `default` (never asked) as a real profile does, grants on `requestPermission`, and records
 * what the page asked and showed; the notifications themselves are the browser's own.
 */
async function notificationPrompt(
  page: Page,
): Promise<() => Promise<{ asks: number; shown: string[] }>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __bedsideNotify: { asks: number; shown: string[] } };
    const seen = { asks: 0, shown: [] as string[] };
    w.__bedsideNotify = seen;
    let state: NotificationPermission = 'default';
    const Native = window.Notification;
    class Prompted extends Native {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        seen.shown.push(options?.body ?? '');
      }
      static override get permission(): NotificationPermission {
        return state;
      }
      static override requestPermission(): Promise<NotificationPermission> {
        seen.asks += 1;
        state = 'granted';
        return Promise.resolve(state);
      }
    }
    window.Notification = Prompted;
  });
  return () =>
    page.evaluate(
      () =>
        (window as unknown as { __bedsideNotify: { asks: number; shown: string[] } })
          .__bedsideNotify,
    );
}

test('a whole visit from the service alone: doctor at /app, patient from the link, manager export', async ({
  browser,
  service,
}) => {
  // Three browser contexts, two of them encoding and decoding video, on two cores.
  test.setTimeout(300_000);

  // ---- the doctor: `/` leads to the console on the service's own origin --------------------
  const doctorContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const patientContext = await browser.newContext({
    ...PHONE,
    permissions: ['camera', 'microphone'],
  });
  const managerContext = await browser.newContext({ acceptDownloads: true });
  try {
    const doctor = await doctorContext.newPage();
    await trackPeerConnections(doctor);
    const doctorCsp = await collectCspViolations(doctor);
    const notifications = await notificationPrompt(doctor);
    await doctor.goto(`${service.url}/`);
    await expect(doctor).toHaveURL(`${service.url}/app/`);
    await expect(doctor.getByRole('heading', { name: 'Sign in' })).toBeVisible();

    // The console ships React's production build (the service runs with NODE_ENV=test here).
    const scripts = await doctor.evaluate(() =>
      [...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src),
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(new URL(src).origin).toBe(service.url);
      const code = await (await fetch(src)).text();
      expect(code, `${src} is React's development build`).not.toContain(
        'Each child in a list should have a unique',
      );
    }

    await signIn(doctor, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    await expect(doctor.getByRole('heading', { name: "Today's appointments" })).toBeVisible();
    // The token lives in this tab's sessionStorage, never in localStorage.
    const stored = await doctor.evaluate(() => ({
      session: sessionStorage.getItem('bedside.session'),
      local: Object.keys(localStorage).map((k) => localStorage.getItem(k) ?? ''),
    }));
    expect(stored.session).toMatch(/^ey/);
    expect(stored.local.some((v) => v.includes(stored.session!))).toBe(false);
    // Notifications are not asked for at sign-in…
    expect((await notifications()).asks).toBe(0);

    const { appointmentId, link } = await createVisit(doctor, 'Ana Example', 'app');
    // The link points at the service's own origin, the one the console came from.
    expect(link).toMatch(new RegExp(`^${service.url}/join/room-${appointmentId}#token=`));
    await doctor.getByRole('button', { name: 'Open visit with Ana Example' }).click();
    await expect(doctor.getByText('You are in the visit room')).toBeVisible();

    // ---- the patient: the link, on a phone -------------------------------------------------
    const patient = await patientContext.newPage();
    await trackPeerConnections(patient);
    const patientCsp = await collectCspViolations(patient);
    await patient.goto(link);
    await patient.getByLabel('Your name').fill('Ana Example');
    await patient.getByRole('button', { name: 'Join visit' }).click();

    const card = doctor.getByRole('listitem').filter({ hasText: 'Ana Example' });
    await expect(card.getByRole('button', { name: 'Admit' })).toBeVisible();
    // …but when the first patient waits; allowed, the waiting patient is announced (no name).
    await expect.poll(async () => (await notifications()).asks).toBe(1);
    await expect.poll(async () => (await notifications()).shown).toEqual(['A patient is waiting.']);
    await card.getByRole('button', { name: 'Admit' }).click();

    // Media both ways.
    await expect(doctor.getByRole('heading', { name: 'Ana Example' })).toBeFocused();
    await expectRising(
      async () => (await frameStats(doctor)).peers.framesDecoded,
      'doctor framesDecoded (patient video)',
    );
    await expectRising(
      async () => (await frameStats(doctor)).peers.audioPacketsReceived,
      'doctor audio packets received',
    );
    await expectRising(
      async () => (await frameStats(patient)).peers.framesDecoded,
      'patient framesDecoded (doctor video)',
    );
    await expectRising(
      async () => (await frameStats(patient)).peers.audioPacketsReceived,
      'patient audio packets received',
    );

    // Screen share through the browser's own getDisplayMedia picker (Chromium's fake UI picks
    // a screen without asking under the suite's flags); no Bedside picker appears.
    await doctor.getByRole('button', { name: 'Share screen' }).click();
    await expect(doctor.getByText('You are sharing your screen')).toBeVisible();
    await expect(doctor.getByRole('dialog')).toHaveCount(0);
    await doctor.getByRole('button', { name: 'Stop sharing' }).click();
    await expect(doctor.getByRole('button', { name: 'Share screen' })).toBeVisible();

    await endVisit(doctor);
    await expect(patient.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
    expect((await notifications()).asks).toBe(1);
    expect(await doctorCsp(), 'CSP violations in the console').toEqual([]);
    expect(await patientCsp(), 'CSP violations on the patient page').toEqual([]);

    // ---- the manager: the same console, the report, a CSV download -------------------------
    const manager = await managerContext.newPage();
    const managerCsp = await collectCspViolations(manager);
    await manager.goto(`${service.url}/app/`);
    await signIn(manager, DEMO_USERS.manager.email, DEMO_USERS.manager.password);
    await expect(manager.getByRole('heading', { name: 'Call durations' })).toBeVisible();
    const downloadPromise = manager.waitForEvent('download');
    await manager.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloadPromise;
    const file = await download.path();
    const [header, ...records] = parse(readFileSync(file, 'utf8'), { bom: true }) as string[][];
    expect(header).toContain('appointmentId');
    const col = (name: string) => header!.indexOf(name);
    const row = records.find((r) => r[col('appointmentId')] === appointmentId);
    expect(row, 'the visit is in the export').toBeDefined();
    expect(row![col('status')]).toBe('completed');
    expect(Number(row![col('durationSeconds')])).toBeGreaterThan(0);
    expect(await managerCsp(), 'CSP violations in the manager view').toEqual([]);
  } finally {
    await doctorContext.close();
    await patientContext.close();
    await managerContext.close();
  }
});
