// End-to-end: the patient join page as the service serves it (production build), in Chromium
// with a phone-sized touch screen and fake camera/microphone, against the real service. The
// doctor is a Socket.io client in the test (Node), as the desktop app would connect.
import type { WaitingPatient } from '@bedside/shared';
import type { Page } from '@playwright/test';
import { CHROMIUM_PATH, chromiumArgs } from '../../../playwright.config.ts';
import {
  PHONE,
  cancelMeeting,
  connectDoctor,
  createMeeting,
  doctorJoins,
  expect,
  expectRising,
  getMeeting,
  nextEvent,
  requirePatientWebBuild,
  resignToken,
  test,
  tokenFromJoinUrl,
  trackPeerConnections,
  videoFrames,
  type DoctorSocket,
} from '../../../e2e/support/index.ts';

test.use({ ...PHONE });
requirePatientWebBuild();

const sockets: DoctorSocket[] = [];
test.afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });

test('a cancelled link says so and never reaches the waiting room', async ({
  page,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token, {
    patientName: 'Cancelled Case',
  });
  // The doctor is in the room first, so any patient who reached the waiting room would show up.
  const doc = await connectDoctor(service, doctor.token);
  sockets.push(doc);
  const lists: WaitingPatient[][] = [];
  doc.on('waiting-room', (list) => lists.push(list));
  await doctorJoins(doc, roomId, doctor.user);
  await cancelMeeting(service, doctor.token, roomId);

  await page.goto(patientJoinUrl);
  await expect(heading(page, 'This link was cancelled')).toBeVisible();
  // The token left the address bar as soon as the page read it.
  expect(page.url()).not.toContain('token=');
  await expect(page.getByRole('button', { name: 'Join visit' })).toHaveCount(0);
  await expect(heading(page, 'Waiting for the doctor')).toHaveCount(0);

  // A reload (token now only in sessionStorage) lands on the same screen.
  await page.reload();
  await expect(heading(page, 'This link was cancelled')).toBeVisible();

  expect(lists.flat()).toEqual([]);
  const meeting = await getMeeting(service, doctor.token, roomId);
  expect(meeting.status).toBe('cancelled');
  expect(meeting.participants.filter((p) => p.userType === 'patient')).toEqual([]);
});

test('a tampered or misdirected link shows the invalid-link screen', async ({
  page,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token);
  const token = tokenFromJoinUrl(patientJoinUrl);
  const [head, payload, sig] = token.split('.') as [string, string, string];
  // Change one signature character in the middle (the last one may only carry padding bits).
  const i = Math.floor(sig.length / 2);
  const tampered = `${head}.${payload}.${sig.slice(0, i)}${sig[i] === 'A' ? 'B' : 'A'}${sig.slice(i + 1)}`;

  await page.goto(`${service.url}/join/${roomId}#token=${tampered}`);
  await expect(heading(page, 'This link is not valid')).toBeVisible();
  expect(page.url()).not.toContain('token=');

  // A genuine token opened under another visit's address.
  const other = await createMeeting(service, doctor.token);
  await page.goto(`${service.url}/join/${other.roomId}#token=${token}`);
  await expect(heading(page, 'This link is not valid')).toBeVisible();

  // No token at all.
  await page.goto(`${service.url}/join/${roomId}`);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await expect(heading(page, 'This link is not valid')).toBeVisible();
});

test('an expired token shows the expired screen', async ({ page, service, doctor }) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token);
  const expired = await resignToken(service, tokenFromJoinUrl(patientJoinUrl), {
    exp: Math.floor(Date.now() / 1000) - 3600,
  });
  await page.goto(`${service.url}/join/${roomId}#token=${expired}`);
  await expect(heading(page, 'This link has expired')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Join visit' })).toHaveCount(0);
});

test('a garbage token shows the invalid-link screen', async ({ page, service, doctor }) => {
  const { roomId } = await createMeeting(service, doctor.token);
  await page.goto(`${service.url}/join/${roomId}#token=not.a.jwt`);
  await expect(heading(page, 'This link is not valid')).toBeVisible();
  await page.goto(`${service.url}/join/${roomId}#token=%00%01garbage`);
  await expect(heading(page, 'This link is not valid')).toBeVisible();
});

test('pre-call check, waiting room with the check on the doctor’s card, admitted into the call', async ({
  page,
  service,
  doctor,
}) => {
  await trackPeerConnections(page);
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token, {
    patientName: 'Ana Example',
  });
  const doc = await connectDoctor(service, doctor.token);
  sockets.push(doc);
  await doctorJoins(doc, roomId, doctor.user);

  await page.goto(patientJoinUrl);
  await expect(heading(page, 'Check your camera and microphone')).toBeVisible();
  expect(page.url()).not.toContain('token=');

  // The preview shows live camera frames…
  await expectRising(() => videoFrames(page, 'Your camera preview'), 'camera preview frames');
  // …and the microphone meter moves with the fake microphone's beeps.
  const meter = page.getByRole('meter', { name: 'Microphone' });
  const levels = new Set<string>();
  await expect
    .poll(
      async () => {
        levels.add((await meter.getAttribute('aria-valuenow')) ?? '0');
        return [...levels].filter((v) => v !== '0').length;
      },
      { message: 'microphone meter never moved', intervals: [50] },
    )
    .toBeGreaterThanOrEqual(2);

  const checks = page.getByRole('list', { name: 'Check results' });
  await expect(checks).toContainText(/Camera\s*working/);
  await expect(checks).toContainText(/Microphone\s*working/);
  await expect(checks).not.toContainText('checking');

  // The name is required.
  const join = page.getByRole('button', { name: 'Join visit' });
  await join.click();
  await expect(page.getByText('Please enter your name')).toBeVisible();
  await expect(page.getByLabel('Your name')).toBeFocused();

  const waiting = nextEvent(doc, 'waiting-room', (list) => list.length > 0);
  await page.getByLabel('Your name').fill('Ana Example');
  await join.click();
  await expect(heading(page, 'Waiting for the doctor')).toBeVisible();
  await expect(page.getByText('The doctor will let you in soon')).toBeVisible();

  const [card] = await waiting;
  expect(card).toMatchObject({
    userName: 'Ana Example',
    precheck: { camera: 'ok', microphone: 'ok' },
  });
  expect(['good', 'fair', 'poor']).toContain(card!.precheck!.connection);
  // The self view keeps running in the waiting room (the precheck stream, handed over).
  await expectRising(() => videoFrames(page, 'Your camera'), 'waiting-room self view frames');

  const admitted = await doc
    .timeout(10_000)
    .emitWithAck('admit-patient', { roomId, socketId: card!.socketId });
  expect(admitted.ok).toBe(true);

  await expect(page.getByRole('button', { name: 'Leave visit' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Mute microphone' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn camera off' })).toBeVisible();
  // Controls are big enough to hit with a thumb.
  for (const name of ['Mute microphone', 'Turn camera off', 'Leave visit']) {
    const box = await page.getByRole('button', { name }).boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(44);
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }

  // Mute travels to the doctor as a media-state event.
  const muted = nextEvent(doc, 'media-state', (m) => m.audio === false);
  await page.getByRole('button', { name: 'Mute microphone' }).click();
  await expect(page.getByRole('button', { name: 'Unmute microphone' })).toBeVisible();
  await muted;

  // Chat both ways, through the service.
  doc.emit('chat-message', {
    roomId,
    message: 'Hello, can you hear me?',
    userName: doctor.user.displayName,
    userType: 'doctor',
  });
  await expect(page.getByRole('button', { name: 'Open chat, 1 unread' })).toBeVisible();
  await page.getByRole('button', { name: /^Open chat/ }).click();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log).toContainText('Hello, can you hear me?');
  const reply = nextEvent(doc, 'chat-message', (m) => m.userType === 'patient');
  await page.getByRole('textbox', { name: 'Message' }).fill('Yes, loud and clear');
  await page.getByRole('button', { name: 'Send' }).click();
  expect((await reply).message).toBe('Yes, loud and clear');
  await expect(log).toContainText('Yes, loud and clear');
  await page.getByRole('button', { name: 'Close chat' }).click();

  // The doctor ends the visit.
  const ended = await doc.timeout(10_000).emitWithAck('end-call', { roomId });
  expect(ended.ok).toBe(true);
  await expect(heading(page, 'The visit has ended')).toBeVisible();
  const meeting = await getMeeting(service, doctor.token, roomId);
  expect(meeting.status).toBe('completed');
});

test('blocked camera and microphone: the check explains how to allow them on an iPhone, and the doctor’s card says they are blocked', async ({
  playwright,
  service,
  doctor,
}) => {
  // The suite's browser auto-accepts media prompts (--use-fake-ui-for-media-stream); a patient
  // who tapped "Don't Allow" needs a browser that asks, with the site's permission set to Block.
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: chromiumArgs.filter((a) => a !== '--use-fake-ui-for-media-stream'),
  });
  try {
    const context = await browser.newContext({
      ...PHONE,
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    });
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
    const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token);
    const doc = await connectDoctor(service, doctor.token);
    sockets.push(doc);
    await doctorJoins(doc, roomId, doctor.user);

    await page.goto(patientJoinUrl);
    await expect(heading(page, 'Check your camera and microphone')).toBeVisible();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Your browser is blocking the camera and microphone');
    await expect(alert).toContainText('Settings app, then Safari › Camera');
    await expect(alert.getByRole('button', { name: 'Try again' })).toBeVisible();
    const checks = page.getByRole('list', { name: 'Check results' });
    await expect(checks).toContainText(/Camera\s*blocked/);
    await expect(checks).toContainText(/Microphone\s*blocked/);

    // The patient can still join (to chat, or so the doctor can reach them another way).
    const waiting = nextEvent(doc, 'waiting-room', (list) => list.length > 0);
    await page.getByLabel('Your name').fill('Blocked Browser');
    await page.getByRole('button', { name: 'Join visit' }).click();
    await expect(heading(page, 'Waiting for the doctor')).toBeVisible();
    const [card] = await waiting;
    expect(card?.precheck).toMatchObject({ camera: 'denied', microphone: 'denied' });
  } finally {
    await browser.close();
  }
});

test('leaving the waiting room tells the doctor, and the patient can come back', async ({
  page,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token);
  const doc = await connectDoctor(service, doctor.token);
  sockets.push(doc);
  await doctorJoins(doc, roomId, doctor.user);

  await page.goto(patientJoinUrl);
  const arrived = nextEvent(doc, 'waiting-room', (list) => list.length === 1);
  await page.getByLabel('Your name').fill('Lea Leaving');
  await page.getByRole('button', { name: 'Join visit' }).click();
  await arrived;

  const gone = nextEvent(doc, 'waiting-room', (list) => list.length === 0);
  await page.getByRole('button', { name: 'Leave waiting room' }).click();
  await expect(heading(page, 'You left the visit')).toBeVisible();
  await gone;

  // Back through the check, with the name already filled in.
  const back = nextEvent(doc, 'waiting-room', (list) => list.length === 1);
  await page.getByRole('button', { name: 'Rejoin visit' }).click();
  await expect(heading(page, 'Check your camera and microphone')).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveValue('Lea Leaving');
  await page.getByRole('button', { name: 'Join visit' }).click();
  await expect(heading(page, 'Waiting for the doctor')).toBeVisible();
  expect((await back)[0]?.userName).toBe('Lea Leaving');
});

test('a dropped connection shows "reconnecting" over the waiting room and the call, then recovers', async ({
  page,
  context,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token);
  const doc = await connectDoctor(service, doctor.token);
  sockets.push(doc);
  await doctorJoins(doc, roomId, doctor.user);
  const live = page.locator('[aria-live="polite"][aria-atomic="true"]');

  await page.goto(patientJoinUrl);
  const first = nextEvent(doc, 'waiting-room', (list) => list.length === 1);
  await page.getByLabel('Your name').fill('Rico Reconnect');
  await page.getByRole('button', { name: 'Join visit' }).click();
  await first;
  // The page has the service's answer too (the broadcast can beat the join ack).
  await expect(heading(page, 'Waiting for the doctor')).toBeVisible();

  // In the waiting room.
  await context.setOffline(true);
  await expect(page.getByRole('alert')).toContainText('Connection lost. Reconnecting…');
  await expect(heading(page, 'Waiting for the doctor')).toBeVisible();
  await expect(live).toHaveText('Connection lost. Reconnecting.');
  const again = nextEvent(doc, 'waiting-room', (list) => list.length === 1);
  await context.setOffline(false);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(live).toHaveText('Reconnected. Still waiting for the doctor.');
  const [card] = await again;

  // In the call.
  const admitted = await doc.timeout(10_000).emitWithAck('admit-patient', {
    roomId,
    socketId: card!.socketId,
  });
  expect(admitted.ok).toBe(true);
  await expect(page.getByRole('button', { name: 'Leave visit' })).toBeVisible();
  await context.setOffline(true);
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Leave visit' })).toBeVisible();
  const back = nextEvent(doc, 'user-joined', (u) => u.userName === 'Rico Reconnect');
  await context.setOffline(false);
  await back;
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toHaveCount(0);
  await expect(live).toHaveText('Reconnected.');
});
