// End-to-end: the doctor's side of the desktop renderer, running in Chromium as a plain web app
// (the browser stand-in replaces Electron's preload bridge) against the real Bedside service.
//
// Needs `npm run build:web -w apps/desktop` (dist-web); the call test also needs the patient
// page build (`npm run build -w apps/patient-web`), which the service serves at /join/….
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import {
  collectCspViolations,
  createVisit,
  expectNoAxeViolations,
  DEMO_USERS,
  expectRising,
  frameStats,
  freePort,
  getMeeting,
  loginAs,
  PHONE,
  requirePatientWebBuild,
  signIn,
  startTestService,
  desktopTest,
  appUrl,
  requireDesktopWebBuild,
  expect,
  tokenFromJoinUrl,
  trackPeerConnections,
  type TestService,
} from '../../../e2e/support/index.ts';

// ---- fixtures: the site and its service (desktopWeb.ts), and the chime counter --------------

const test = desktopTest.extend<{ chimes: () => Promise<number> }>({
  // Counts the waiting-room chime by the oscillators the page starts (the app has no test hook).
  chimes: async ({ page }, use) => {
    await page.addInitScript(() => {
      const w = window as unknown as { __chimeOscillators: number };
      w.__chimeOscillators = 0;
      const original = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        w.__chimeOscillators += 1;
        return original.call(this);
      };
    });
    await use(() =>
      page.evaluate(() => (window as unknown as { __chimeOscillators: number }).__chimeOscillators),
    );
  },
});

requireDesktopWebBuild();

/** A patient in Node: real socket.io-client with the token from the link, no media. */
async function patientJoins(
  service: TestService,
  link: string,
  input: { roomId: string; patientId: string; userName: string },
): Promise<Socket> {
  const socket = io(service.url, {
    auth: { token: tokenFromJoinUrl(link), client: 'other' },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(10_000).emitWithAck('join-room', {
    roomId: input.roomId,
    userId: input.patientId,
    userType: 'patient',
    userName: input.userName,
    precheck: { camera: 'ok', microphone: 'denied', connection: 'good' },
  });
  expect(ack).toMatchObject({ ok: true, data: { status: 'waiting' } });
  return socket;
}

// ---- tests --------------------------------------------------------------------------------------

test.describe('doctor screens', () => {
  test('a wrong password shows a plain error and stays on sign-in', async ({
    page,
    web,
    service,
  }) => {
    await page.goto(appUrl(web, service));
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeFocused();
    await signIn(page, DEMO_USERS.doctor.email, 'not-the-password');
    await expect(page.getByRole('alert')).toHaveText('The email or password is not correct.');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(await page.evaluate(() => sessionStorage.getItem('bedside.session'))).toBeNull();
  });

  test('a malformed email is refused before anything is sent', async ({ page, web, service }) => {
    const logins: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/login')) logins.push(r.url());
    });
    await page.goto(appUrl(web, service));
    await signIn(page, 'not-an-email', 'whatever');
    await expect(page.getByRole('alert')).toHaveText('Enter a valid email address.');
    expect(logins).toEqual([]);
  });

  test('once the server is known, the renderer can reach nothing else (CSP connect-src)', async ({
    page,
    web,
    service,
  }) => {
    await page.goto(appUrl(web, service));
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    const blocked = await page.evaluate(
      () =>
        new Promise<string | null>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.blockedURI), {
            once: true,
          });
          fetch('http://127.0.0.1:9/elsewhere').catch(() => {});
          setTimeout(() => resolve(null), 5000);
        }),
    );
    expect(blocked).toContain('127.0.0.1:9');
    // …while the service itself stays reachable.
    const version = await page.evaluate(
      async (url) => (await fetch(`${url}/api/version`)).status,
      service.url,
    );
    expect(version).toBe(200);
  });

  test('a server that does not answer gets a plain screen with a retry', async ({ page, web }) => {
    const closed = await freePort();
    await page.goto(
      `${web.origin}/index.html?server=${encodeURIComponent(`http://127.0.0.1:${closed}`)}`,
    );
    await expect(
      page.getByRole('heading', { name: "Can't reach the Bedside server" }),
    ).toBeFocused();
    await expect(page.getByText('could not be reached')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  });

  test('a manager signs in to the call-duration report, not the doctor screens', async ({
    page,
    web,
    service,
  }) => {
    await page.goto(appUrl(web, service));
    await signIn(page, DEMO_USERS.manager.email, DEMO_USERS.manager.password);
    await expect(page.getByRole('heading', { name: 'Call durations' })).toBeVisible();
    await expect(page.getByRole('heading', { name: "Today's appointments" })).toHaveCount(0);

    // The browser stand-in's export: the CSV is fetched with the token and saved as a download.
    const exportButton = page.getByRole('button', { name: 'Export CSV' });
    await expect(exportButton).toBeEnabled();
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const file = await download.path();
    expect(readFileSync(file, 'utf8').split('\n')[0]).toContain('appointmentId');
  });

  test('the doctor signs in, sees today, creates a visit and gets the patient link', async ({
    page,
    context,
    web,
    service,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.origin });
    await page.goto(appUrl(web, service));
    await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    const heading = page.getByRole('heading', { name: "Today's appointments" });
    await expect(heading).toBeFocused();

    const { appointmentId, link } = await createVisit(page, 'Ada Lovelace');
    expect(link.startsWith(`${service.url}/join/room-${appointmentId}#token=`)).toBe(true);

    const row = page.getByRole('listitem').filter({ hasText: 'Ada Lovelace' });
    await expect(row).toContainText(`Appointment ${appointmentId}`);
    await expect(row).toContainText('Scheduled');

    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByText('Link copied.')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    // The session survives a reload (token kept by the bridge in this tab's sessionStorage, user
    // restored by /auth/refresh).
    await page.reload();
    await expect(heading).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Ada Lovelace' })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(await page.evaluate(() => sessionStorage.getItem('bedside.session'))).toBeNull();
  });

  test('after 15 idle minutes the doctor is signed out, with the reason', async ({
    page,
    web,
    service,
  }) => {
    // The page's clock runs normally but can jump; the service keeps real time.
    await page.clock.install();
    await page.goto(appUrl(web, service));
    await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    await expect(page.getByRole('heading', { name: "Today's appointments" })).toBeVisible();

    await page.clock.fastForward('14:00');
    await expect(page.getByRole('heading', { name: "Today's appointments" })).toBeVisible();
    await page.clock.fastForward('01:30');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(
      page
        .getByText('You were signed out after 15 minutes without activity', { exact: false })
        .first(),
    ).toBeVisible();
    expect(await page.evaluate(() => sessionStorage.getItem('bedside.session'))).toBeNull();
  });

  test('an active doctor stays signed in, and the token is renewed before it expires', async ({
    page,
    web,
    service,
  }) => {
    await page.clock.install();
    await page.goto(appUrl(web, service));
    await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    await expect(page.getByRole('heading', { name: "Today's appointments" })).toBeVisible();
    const first = await page.evaluate(() => sessionStorage.getItem('bedside.session'));
    // JWTs carry whole seconds: let one pass so the renewed token differs from the first.
    await new Promise((r) => setTimeout(r, 1100));

    const refreshed = page.waitForResponse(
      (r) => r.url().endsWith('/api/auth/refresh') && r.status() === 200,
    );
    // Sixty minutes of work, in ten-minute steps with some input in between.
    for (let i = 0; i < 6; i++) {
      await page.clock.fastForward('10:00');
      await page.mouse.move(100 + i * 10, 200);
    }
    const renewed = ((await (await refreshed).json()) as { token: string }).token;
    expect(renewed).not.toBe(first);
    await expect(page.getByRole('heading', { name: "Today's appointments" })).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => sessionStorage.getItem('bedside.session')))
      .toBe(renewed);
  });

  test('a waiting patient shows as a card with the pre-call check, a badge and a chime; Admit lets them in', async ({
    page,
    web,
    service,
    chimes,
  }) => {
    await page.goto(appUrl(web, service));
    await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    const { appointmentId, link } = await createVisit(page, 'Grace Hopper');
    await page.getByRole('button', { name: 'Open visit with Grace Hopper' }).click();
    await expect(page.getByRole('heading', { name: 'Visit with Grace Hopper' })).toBeFocused();
    await expect(page.getByText('You are in the visit room')).toBeVisible();
    await expect(page.getByTestId('waiting-count')).toHaveText(/^0/);
    const chimesBefore = await chimes();

    const { token } = await loginAs(service, 'doctor');
    const roomId = `room-${appointmentId}`;
    const meeting = await getMeeting(service, token, roomId);
    const patient = await patientJoins(service, link, {
      roomId,
      patientId: meeting.patientId,
      userName: 'Grace Hopper',
    });
    try {
      const card = page.getByRole('listitem').filter({ hasText: 'Grace Hopper' });
      await expect(card).toContainText('Waiting since');
      await expect(card).toContainText('Camera working');
      await expect(card).toContainText("Microphone blocked by the patient's browser");
      await expect(card).toContainText('Connection good');
      await expect(page.getByTestId('waiting-count')).toHaveText(/^1/);
      await expect(page).toHaveTitle('(1) Bedside');
      await expect(
        page.getByRole('status').filter({ hasText: 'Grace Hopper is in the waiting room.' }),
      ).toBeAttached();
      await expect.poll(chimes).toBeGreaterThan(chimesBefore);

      const admitted = new Promise((resolve) => patient.once('admitted', resolve));
      await card.getByRole('button', { name: 'Admit' }).click();
      await expect(admitted).resolves.toMatchObject({ roomId });
      // In the call now; nobody else waits, so no badge and a plain title.
      await expect(page.getByRole('heading', { name: 'Grace Hopper' })).toBeFocused();
      await expect(page.getByRole('button', { name: 'End visit' })).toBeVisible();
      await expect(page.getByTestId('waiting-count')).toHaveCount(0);
      await expect(page).toHaveTitle('Bedside');
    } finally {
      patient.disconnect();
    }
  });
});

test.describe('video visit', () => {
  test('doctor admits the patient page: video both ways, chat, mute, screen share, end, summary', async ({
    page,
    browser,
    web,
    service,
  }) => {
    requirePatientWebBuild();
    // Two pages encoding and decoding video on two cores: every step is slow, none is stuck.
    test.setTimeout(300_000);
    await trackPeerConnections(page);
    const doctorCsp = await collectCspViolations(page);
    await page.goto(appUrl(web, service));
    await expect(page.getByLabel('Email')).toBeVisible();
    await expectNoAxeViolations(page, 'sign in');
    await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    const { link } = await createVisit(page, 'Ana Example');
    await expectNoAxeViolations(page, "today's appointments with a new visit's link");
    await page.getByRole('button', { name: 'Open visit with Ana Example' }).click();
    await expect(page.getByText('You are in the visit room')).toBeVisible();
    // The doctor's own preview runs before anyone arrives.
    await expectRising(
      async () =>
        (await frameStats(page)).videos.find((v) => v.label === 'Your camera')?.totalVideoFrames ??
        0,
      'doctor self view frames',
    );

    // The patient: the real patient page on a phone-sized screen, in its own browser context.
    const patientContext = await browser.newContext({
      ...PHONE,
      permissions: ['camera', 'microphone'],
    });
    const patient = await patientContext.newPage();
    try {
      await trackPeerConnections(patient);
      const patientCsp = await collectCspViolations(patient);
      await patient.goto(link);
      await patient.getByLabel('Your name').fill('Ana Example');
      await patient.getByRole('button', { name: 'Join visit' }).click();

      const card = page.getByRole('listitem').filter({ hasText: 'Ana Example' });
      await expect(card).toContainText('Camera working');
      await expect(card).toContainText('Microphone working');
      await expect(page.getByTestId('waiting-count')).toHaveText(/^1/);
      await card.getByRole('button', { name: 'Admit' }).click();

      // In the call: the patient's video arrives on the doctor's screen, and the other way round.
      await expect(page.getByRole('heading', { name: 'Ana Example' })).toBeFocused();
      await expectRising(
        async () =>
          (await frameStats(page)).videos.find((v) => v.label === "Ana Example's camera")
            ?.totalVideoFrames ?? 0,
        "patient's video on the doctor's screen",
      );
      await expectRising(
        async () => (await frameStats(page)).peers.framesDecoded,
        'doctor framesDecoded',
      );
      await expectRising(
        async () => (await frameStats(patient)).peers.framesDecoded,
        'patient framesDecoded',
      );
      await expect(page.getByTestId('quality')).toContainText(/Connection: (Good|Fair|Poor)/);
      await expectNoAxeViolations(page, "the doctor's call view");

      // Chat both ways.
      await page.getByRole('textbox', { name: 'Message' }).fill('Hello Ana, can you hear me?');
      await page.getByRole('button', { name: 'Send' }).click();
      await patient.getByRole('button', { name: /^Open chat/ }).click();
      await expect(patient.getByRole('log')).toContainText('Hello Ana, can you hear me?');
      await patient.getByRole('textbox', { name: 'Message' }).fill('Yes, clearly');
      await patient.getByRole('button', { name: 'Send' }).click();
      await expect(page.getByRole('log')).toContainText('Yes, clearly');

      // The patient's mute shows on the doctor's screen, in words.
      await patient.getByRole('button', { name: 'Close chat' }).click();
      await patient.getByRole('button', { name: 'Mute microphone' }).click();
      await expect(page.getByText("Ana Example's microphone is off")).toBeVisible();

      // The doctor's own controls.
      await page.getByRole('button', { name: 'Mute microphone' }).click();
      await expect(page.getByRole('button', { name: 'Unmute microphone' })).toBeVisible();
      await page.getByRole('button', { name: 'Turn camera off' }).click();
      await expect(page.getByRole('button', { name: 'Turn camera on' })).toBeVisible();
      await page.getByRole('button', { name: 'Turn camera on' }).click();

      // Screen share (Chromium's fake UI picks a screen without asking).
      await page.getByRole('button', { name: 'Share screen' }).click();
      await expect(page.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
      await expect(page.getByText('You are sharing your screen')).toBeVisible();
      await page.getByRole('button', { name: 'Stop sharing' }).click();
      await expect(page.getByRole('button', { name: 'Share screen' })).toBeVisible();

      // End the visit, with a confirmation.
      await page.getByRole('button', { name: 'End visit' }).click();
      const dialog = page.getByRole('dialog', { name: 'End the visit?' });
      await dialog.getByRole('button', { name: 'End visit' }).click();
      await expect(page.getByRole('heading', { name: 'Visit ended' })).toBeFocused();
      await expectNoAxeViolations(page, "the doctor's visit summary");
      await expect(page.getByTestId('visit-duration')).not.toHaveText('The call did not start');
      await expect(patient.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
      // Both apps run under strict CSPs (no 'unsafe-eval', no inline script): nothing was blocked.
      expect(await patientCsp(), 'CSP violations on the patient page').toEqual([]);

      await page.getByRole('button', { name: "Back to today's appointments" }).click();
      await expect(page.getByRole('listitem').filter({ hasText: 'Ana Example' })).toContainText(
        'Completed',
      );
      expect(await doctorCsp(), 'CSP violations in the doctor renderer').toEqual([]);
    } finally {
      await patientContext.close();
    }
  });
});

// Electron's binary cannot run here. Its preload is replaced by a thin stand-in with the same
// `BedsideBridge` shape (kind 'electron'), which records what the renderer asks of main and lets
// the test play main's part: a first run without a server, pick requests, a cleared session.
async function installElectronBridge(page: Page, version: string) {
  await page.addInitScript((appVersion: string) => {
    type Calls = [string, unknown][];
    const w = window as unknown as Record<string, unknown>;
    const calls: Calls = [];
    let settings: Record<string, unknown> = {
      serverUrl: null,
      preferredCameraId: null,
      preferredMicrophoneId: null,
      preferredSpeakerId: null,
      idleTimeoutMinutes: 15,
    };
    let token: string | null = null;
    let pick: ((r: unknown) => void) | null = null;
    let cleared: (() => void) | null = null;
    const ok = (data: unknown) => Promise.resolve({ ok: true, data });
    w.__calls = calls;
    w.__pick = (request: unknown) => pick?.(request);
    w.__clearSession = () => {
      token = null;
      cleared?.();
    };
    w.bedside = {
      kind: 'electron',
      app: {
        getInfo: () => ok({ version: appVersion, platform: 'linux', secureStorage: true }),
        openExternal: (url: string) => (calls.push(['openExternal', url]), ok(null)),
      },
      settings: {
        get: () => ok(settings),
        set: (patch: Record<string, unknown>) => {
          calls.push(['settings.set', patch]);
          settings = { ...settings, ...patch };
          return ok(settings);
        },
      },
      session: {
        getToken: () => ok(token),
        setToken: (t: string | null) => ((token = t), ok(null)),
        onCleared: (l: () => void) => ((cleared = l), () => (cleared = null)),
      },
      capture: {
        onPickRequest: (l: (r: unknown) => void) => ((pick = l), () => (pick = null)),
        choose: (answer: unknown) => (calls.push(['choose', answer]), ok(null)),
      },
      notify: {
        patientWaiting: (count: number) => (calls.push(['patientWaiting', count]), ok(null)),
      },
      reports: { exportCsv: () => ok({ path: null, bytes: 0 }) },
    };
  }, version);
}

const callsOf = async (page: Page, kind: string) =>
  (await page.evaluate(() => (window as unknown as { __calls: [string, unknown][] }).__calls))
    .filter(([k]) => k === kind)
    .map(([, v]) => v);

// A 1×1 PNG: thumbnails arrive as data: URLs from desktopCapturer.
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const pickRequest = (requestId: string, extra: Record<string, unknown> = {}) => ({
  requestId,
  audioAvailable: true,
  sources: [
    { id: 'screen:1:0', name: 'Entire screen 1', kind: 'screen', thumbnail: PIXEL, appIcon: null },
    { id: 'screen:2:0', name: 'Entire screen 2', kind: 'screen', thumbnail: PIXEL, appIcon: null },
    { id: 'window:11:0', name: 'Lab results', kind: 'window', thumbnail: PIXEL, appIcon: PIXEL },
    { id: 'window:12:0', name: 'X-ray viewer', kind: 'window', thumbnail: PIXEL, appIcon: PIXEL },
  ],
  ...extra,
});

test.describe('inside Electron (preload stand-in)', () => {
  const version = (
    JSON.parse(
      readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
    ) as {
      version: string;
    }
  ).version;

  test('first run asks for the server, then the screen picker answers main by keyboard and mouse', async ({
    page,
    web,
    service,
  }) => {
    await installElectronBridge(page, version);
    await page.goto(`${web.origin}/index.html`);

    await expect(page.getByRole('heading', { name: 'Welcome to Bedside' })).toBeFocused();
    await page.getByLabel('Server address').fill('visits dot clinic');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert')).toContainText('Enter the full address');
    await page.getByLabel('Server address').fill(`${service.url}/some/page`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeFocused();
    expect(await callsOf(page, 'settings.set')).toEqual([{ serverUrl: service.url }]);

    await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    await expect(page.getByRole('heading', { name: "Today's appointments" })).toBeVisible();

    // Keyboard: arrows move, Enter shares.
    const first = '0b6f1f64-1d7e-4c38-8d2b-3c6f3f5d9a01';
    await page.evaluate(
      (r) => (window as unknown as { __pick(r: unknown): void }).__pick(r),
      pickRequest(first),
    );
    const dialog = page.getByRole('dialog', { name: 'Choose what to share' });
    await expect(dialog).toBeVisible();
    const screens = dialog.getByRole('listbox', { name: 'Screens' });
    await expect(screens).toBeFocused();
    await expect(screens.getByRole('option', { selected: true })).toContainText('Entire screen 1');
    await page.keyboard.press('ArrowRight');
    await expect(screens.getByRole('option', { selected: true })).toContainText('Entire screen 2');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();

    // Mouse: the Windows tab, a window, the computer's sound, Share.
    const second = '0b6f1f64-1d7e-4c38-8d2b-3c6f3f5d9a02';
    await page.evaluate(
      (r) => (window as unknown as { __pick(r: unknown): void }).__pick(r),
      pickRequest(second),
    );
    await dialog.getByRole('tab', { name: /Windows/ }).click();
    await dialog.getByRole('option', { name: 'X-ray viewer' }).click();
    await dialog.getByLabel('Share computer sound').check();
    await dialog.getByRole('button', { name: 'Share' }).click();
    await expect(dialog).toBeHidden();

    // Escape cancels.
    const third = '0b6f1f64-1d7e-4c38-8d2b-3c6f3f5d9a03';
    await page.evaluate(
      (r) => (window as unknown as { __pick(r: unknown): void }).__pick(r),
      pickRequest(third),
    );
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // A missing OS permission: explained, and main is answered at once.
    const fourth = '0b6f1f64-1d7e-4c38-8d2b-3c6f3f5d9a04';
    await page.evaluate(
      (r) => (window as unknown as { __pick(r: unknown): void }).__pick(r),
      pickRequest(fourth, { sources: [], blocked: 'screen-permission' }),
    );
    await expect(page.getByRole('dialog', { name: 'Screen sharing is blocked' })).toBeVisible();
    await page.getByRole('button', { name: 'OK' }).click();

    expect(await callsOf(page, 'choose')).toEqual([
      { requestId: first, sourceId: 'screen:2:0', audio: false },
      { requestId: second, sourceId: 'window:12:0', audio: true },
      { requestId: third, sourceId: null, audio: false },
      { requestId: fourth, sourceId: null, audio: false },
    ]);
  });

  test('main clearing the session (screen locked) signs the doctor out with the reason', async ({
    page,
    web,
    service,
  }) => {
    await installElectronBridge(page, version);
    await page.goto(`${web.origin}/index.html`);
    await page.getByLabel('Server address').fill(service.url);
    await page.getByRole('button', { name: 'Continue' }).click();
    await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    await expect(page.getByRole('heading', { name: "Today's appointments" })).toBeVisible();
    await page.evaluate(() => (window as unknown as { __clearSession(): void }).__clearSession());
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(
      page.getByText('this computer was locked', { exact: false }).first(),
    ).toBeVisible();
  });
});

test.describe('outdated desktop app', () => {
  test('the app says plainly that it must be updated', async ({ page, web }) => {
    // Its own service: the minimum version is fixed at start.
    const strict = await startTestService({
      CORS_ORIGINS: web.origin,
      MIN_DESKTOP_VERSION: '99.0.0',
    });
    try {
      await page.goto(appUrl(web, strict));
      await expect(page.getByRole('heading', { name: 'Please update Bedside' })).toBeFocused();
      await expect(
        page.getByText(
          "This version of Bedside is too old for your clinic's server. Please update to 99.0.0 or later.",
        ),
      ).toBeVisible();
      await expect(page.getByRole('button', { name: 'Get the update' })).toBeVisible();
      await expect(page.getByLabel('Email')).toHaveCount(0);
    } finally {
      await strict.close();
    }
  });
});
