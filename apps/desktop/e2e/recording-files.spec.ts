// End-to-end: recording with consent and files during the visit, in real Chromium — the
// doctor's renderer (browser stand-in for the preload bridge: downloads instead of save
// dialogs) and the real patient page, against the real service. Media and files go peer to
// peer; the service only carries consent and metadata.
//
// Needs `npm run build:web -w apps/desktop` and `npm run build -w apps/patient-web`, and
// Debian's ffmpeg for ffprobe (scripts/install-test-deps.sh).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { InviteGuestResponse } from '@bedside/shared';
import {
  DEMO_USERS,
  PHONE,
  connectDoctor,
  loginAs,
  nextEvent,
  tokenFromJoinUrl,
  type DoctorSocket,
  expect,
  requirePatientWebBuild,
  desktopTest,
  requireDesktopWebBuild,
  uniqueAppointmentId,
  type StaticSite,
  type TestService,
} from '../../../e2e/support/index.ts';

const MB = 1024 * 1024;

const test = desktopTest;

requireDesktopWebBuild();

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Deterministic bytes that start like a PNG / PDF, so the content check passes. */
function fileBytes(size: number, kind: 'png' | 'pdf', seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x & 0xff;
  }
  const head =
    kind === 'png'
      ? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
      : Buffer.from('%PDF-1.7\n');
  head.copy(b, 0);
  return b;
}

/** Records the file channels the page opens or receives (the app has no test hook). */
async function captureFileChannels(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __fileChannels: RTCDataChannel[] };
    w.__fileChannels = [];
    const Native = window.RTCPeerConnection;
    class Tracked extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        this.addEventListener('datachannel', (e) => w.__fileChannels.push(e.channel));
      }
      override createDataChannel(label: string, init?: RTCDataChannelInit) {
        const ch = super.createDataChannel(label, init);
        w.__fileChannels.push(ch);
        return ch;
      }
    }
    window.RTCPeerConnection = Tracked;
  });
}

const fileChannelOpen = (page: Page) =>
  page.waitForFunction(() =>
    (window as unknown as { __fileChannels: RTCDataChannel[] }).__fileChannels.some(
      (c) => c.label === 'bedside-files' && c.readyState === 'open',
    ),
  );

interface Visit {
  doctor: Page;
  patient: Page;
  /** The patient's join link (its path ends with the room id). */
  link: string;
  close(): Promise<void>;
}

async function startVisit(
  page: Page,
  browser: Browser,
  web: StaticSite,
  service: TestService,
  opts: { lang?: string } = {},
): Promise<Visit> {
  // Each test's visit gets its own patient, so earlier tests' cards never match.
  const name = `Ana ${uniqueAppointmentId('p').slice(-6)}`;
  await captureFileChannels(page);
  await page.goto(`${web.origin}/index.html?server=${encodeURIComponent(service.url)}`);
  await page.getByLabel('Email').fill(DEMO_USERS.doctor.email);
  await page.getByLabel('Password').fill(DEMO_USERS.doctor.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Appointment ID').fill(uniqueAppointmentId('rec'));
  await page.getByLabel('Patient name').fill(name);
  await page.getByRole('button', { name: 'Create visit' }).click();
  const linkInput = page.getByRole('textbox', { name: `Patient link for ${name}` });
  await expect(linkInput).toHaveValue(/#token=/);
  let link = await linkInput.inputValue();
  if (opts.lang) link = link.replace('#', `?lang=${opts.lang}#`);
  await page.getByRole('button', { name: `Open visit with ${name}` }).click();
  await expect(page.getByText('You are in the visit room')).toBeVisible();

  const context = await browser.newContext({ ...PHONE, permissions: ['camera', 'microphone'] });
  const patient = await context.newPage();
  await captureFileChannels(patient);
  await patient.goto(link);
  await patient.getByLabel(opts.lang === 'es' ? 'Su nombre' : 'Your name').fill(name);
  await patient
    .getByRole('button', { name: opts.lang === 'es' ? 'Entrar en la consulta' : 'Join visit' })
    .click();
  const card = page.getByRole('listitem').filter({ hasText: name });
  await card.getByRole('button', { name: 'Admit' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  // The file channel opens with the peer connection.
  await Promise.all([fileChannelOpen(page), fileChannelOpen(patient)]);
  return { doctor: page, patient, link, close: () => context.close() };
}

test.describe('files during the visit', () => {
  test('5 MB both ways with matching SHA-256, progress, a decline and a cancel', async ({
    page,
    browser,
    web,
    service,
  }) => {
    requirePatientWebBuild();
    test.setTimeout(300_000);
    const v = await startVisit(page, browser, web, service);
    try {
      const { doctor, patient } = v;
      await doctor.getByRole('button', { name: 'Files' }).click();
      await patient.getByRole('button', { name: 'Files' }).click();

      // Patient → doctor: a 5 MB photo.
      const photo = fileBytes(5 * MB, 'png', 1);
      await patient
        .getByTestId('file-input')
        .setInputFiles({ name: 'rash.png', mimeType: 'image/png', buffer: photo });
      await expect(patient.getByText('Waiting for an answer…')).toBeVisible();
      const fromPatient = doctor.getByRole('listitem').filter({ hasText: 'rash.png' });
      await fromPatient.getByRole('button', { name: 'Accept' }).click();
      await expect(fromPatient).toContainText('Received and checked', { timeout: 60_000 });
      await expect(patient.getByRole('listitem').filter({ hasText: 'rash.png' })).toContainText(
        'Delivered',
      );
      const saved = doctor.waitForEvent('download');
      await fromPatient.getByRole('button', { name: 'Save rash.png' }).click();
      const photoDownload = await saved;
      expect(photoDownload.suggestedFilename()).toBe('rash.png');
      expect(sha256(readFileSync((await photoDownload.path())!))).toBe(sha256(photo));

      // Doctor → patient: a 5 MB PDF of instructions.
      const pdf = fileBytes(5 * MB, 'pdf', 2);
      await doctor
        .getByTestId('file-input')
        .setInputFiles({ name: 'care-plan.pdf', mimeType: 'application/pdf', buffer: pdf });
      const atPatient = patient.getByRole('listitem').filter({ hasText: 'care-plan.pdf' });
      await expect(atPatient).toContainText('Dr. Demo wants to send you care-plan.pdf');
      await atPatient.getByRole('button', { name: 'Accept' }).click();
      await expect(atPatient).toContainText('Received and checked', { timeout: 60_000 });
      const pdfSaved = patient.waitForEvent('download');
      await atPatient.getByRole('link', { name: 'Save care-plan.pdf' }).click();
      expect(sha256(readFileSync((await (await pdfSaved).path())!))).toBe(sha256(pdf));

      // A decline.
      await patient.getByTestId('file-input').setInputFiles({
        name: 'note.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('I forgot to mention the cough.'),
      });
      const note = doctor.getByRole('listitem').filter({ hasText: 'note.txt' });
      await note.getByRole('button', { name: 'Decline' }).click();
      await expect(patient.getByRole('listitem').filter({ hasText: 'note.txt' })).toContainText(
        'Declined',
      );

      // A cancel mid-file (the largest allowed, so it is still moving), with progress on both
      // sides at that moment.
      const big = fileBytes(25 * MB, 'pdf', 3);
      await doctor
        .getByTestId('file-input')
        .setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: big });
      const scanAtPatient = patient.getByRole('listitem').filter({ hasText: 'scan.pdf' });
      await scanAtPatient.getByRole('button', { name: 'Accept' }).click();
      const scanAtDoctor = doctor.getByRole('listitem').filter({ hasText: 'scan.pdf' });
      await expect(scanAtDoctor.locator('progress')).toBeVisible();
      await expect(scanAtPatient.locator('progress')).toBeVisible();
      await scanAtPatient.getByRole('button', { name: 'Cancel' }).click();
      await expect(scanAtPatient).toContainText('Cancelled');
      await expect(scanAtDoctor).toContainText('Cancelled by the other side');
      await expect(scanAtPatient.getByRole('link', { name: /^Save/ })).toHaveCount(0);
    } finally {
      await v.close();
    }
  });

  test('oversized and disallowed files are refused on both ends with a clear message', async ({
    page,
    browser,
    web,
    service,
  }) => {
    requirePatientWebBuild();
    test.setTimeout(240_000);
    const v = await startVisit(page, browser, web, service);
    try {
      const { doctor, patient } = v;
      await patient.getByRole('button', { name: 'Files' }).click();
      await doctor.getByRole('button', { name: 'Files' }).click();

      // Sending end: refused before anything leaves the page.
      await patient.getByTestId('file-input').setInputFiles({
        name: 'scan.pdf',
        mimeType: 'application/pdf',
        buffer: fileBytes(25 * MB + 1, 'pdf', 4),
      });
      await expect(patient.getByRole('alert')).toHaveText(
        'This file is larger than 25 MB and cannot be sent.',
      );
      await patient.getByTestId('file-input').setInputFiles({
        name: 'setup.exe',
        mimeType: 'application/x-msdownload',
        buffer: Buffer.from('MZ\0\0'),
      });
      await expect(patient.getByRole('alert')).toHaveText(
        'Only photos (JPEG, PNG, WebP, HEIC), PDF and text files can be sent.',
      );
      await doctor.getByTestId('file-input').setInputFiles({
        name: 'setup.exe',
        mimeType: 'application/x-msdownload',
        buffer: Buffer.from('MZ'),
      });
      await expect(doctor.getByRole('alert')).toContainText('Only photos');

      // Receiving end: a modified client that skips its own checks offers both anyway, straight
      // onto the data channel; the doctor's app declines each with the reason.
      const replies = await patient.evaluate(async () => {
        const ch = (window as unknown as { __fileChannels: RTCDataChannel[] }).__fileChannels.find(
          (c) => c.readyState === 'open',
        )!;
        const got: string[] = [];
        ch.addEventListener('message', (e) => {
          if (typeof e.data === 'string') got.push(e.data);
        });
        const sha256 = 'a'.repeat(64);
        ch.send(
          JSON.stringify({
            t: 'offer',
            id: 'e2e-too-big-1',
            name: 'huge.pdf',
            size: 26 * 1024 * 1024,
            type: 'application/pdf',
            sha256,
          }),
        );
        ch.send(
          JSON.stringify({
            t: 'offer',
            id: 'e2e-bad-type-1',
            name: 'run.exe',
            size: 10,
            type: 'application/x-msdownload',
            sha256,
          }),
        );
        for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
        return got.map((g) => JSON.parse(g) as unknown);
      });
      expect(replies).toEqual([
        { t: 'decline', id: 'e2e-too-big-1', reason: 'too-large' },
        { t: 'decline', id: 'e2e-bad-type-1', reason: 'type-not-allowed' },
      ]);
      await expect(doctor.getByRole('listitem').filter({ hasText: 'huge.pdf' })).toContainText(
        'Refused: The file is larger than 25 MB.',
      );
      await expect(doctor.getByRole('listitem').filter({ hasText: 'run.exe' })).toContainText(
        'Refused: Only photos',
      );
    } finally {
      await v.close();
    }
  });
});

test.describe('recording with consent', () => {
  test('a 10 s recording of a two-person visit is a WebM with one video and one audio stream', async ({
    page,
    browser,
    web,
    service,
  }) => {
    requirePatientWebBuild();
    test.skip(!existsSync('/usr/bin/ffprobe'), 'ffprobe is missing: install Debian’s ffmpeg');
    test.setTimeout(240_000);
    const v = await startVisit(page, browser, web, service);
    const dir = mkdtempSync(path.join(tmpdir(), 'bedside-rec-e2e-'));
    try {
      const { doctor, patient } = v;
      await doctor.getByRole('button', { name: 'Record' }).click();
      await expect(doctor.getByTestId('recording-indicator')).toContainText('Asking to record');
      const ask = patient.getByRole('alertdialog', { name: 'May this visit be recorded?' });
      await expect(ask).toContainText('Dr. Demo would like to record this visit');
      await ask.getByRole('button', { name: 'Yes, record' }).click();
      await expect(doctor.getByTestId('recording-indicator')).toHaveText(/^\s*Recording$/);
      await expect(patient.getByTestId('recording-indicator')).toHaveText(/Recording$/);
      await doctor.waitForTimeout(10_000);
      const download = doctor.waitForEvent('download');
      await doctor.getByRole('button', { name: 'Stop recording' }).click();
      const file = path.join(dir, 'visit.webm');
      await (await download).saveAs(file);
      await expect(doctor.getByTestId('recording-saved')).toBeVisible();
      await expect(patient.getByTestId('recording-indicator')).toHaveCount(0);

      const probe = JSON.parse(
        execFileSync(
          'ffprobe',
          [
            '-v',
            'error',
            '-show_entries',
            'format=format_name:stream=codec_type,codec_name',
            '-of',
            'json',
            file,
          ],
          { encoding: 'utf8' },
        ),
      ) as {
        format: { format_name: string };
        streams: Array<{ codec_type: string; codec_name: string }>;
      };
      expect(probe.format.format_name).toContain('webm');
      expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
      // MediaRecorder writes no Duration element; the last packet's time is the length.
      const times = execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file],
        { encoding: 'utf8' },
      )
        .split('\n')
        .map(Number)
        .filter((n) => Number.isFinite(n) && n > 0);
      const seconds = Math.max(...times);
      expect(seconds).toBeGreaterThan(8.5);
      expect(seconds).toBeLessThan(14);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await v.close();
    }
  });

  test('a declined consent never starts recording (asked in the patient’s language)', async ({
    page,
    browser,
    web,
    service,
  }) => {
    requirePatientWebBuild();
    test.setTimeout(180_000);
    const v = await startVisit(page, browser, web, service, { lang: 'es' });
    try {
      const { doctor, patient } = v;
      let downloads = 0;
      doctor.on('download', () => downloads++);
      await doctor.getByRole('button', { name: 'Record' }).click();
      const ask = patient.getByRole('alertdialog', { name: '¿Se puede grabar esta consulta?' });
      await ask.getByRole('button', { name: 'No, no grabar' }).click();
      await expect(doctor.getByText('Consent was declined; nothing was recorded.')).toBeVisible();
      await expect(doctor.getByTestId('recording-indicator')).toHaveCount(0);
      await expect(patient.getByTestId('recording-indicator')).toHaveCount(0);
      await expect(doctor.getByRole('button', { name: 'Record' })).toBeEnabled();
      expect(downloads).toBe(0);
    } finally {
      await v.close();
    }
  });

  test('a new participant pauses the recording until they answer', async ({
    page,
    browser,
    web,
    service,
  }) => {
    requirePatientWebBuild();
    test.setTimeout(180_000);
    const v = await startVisit(page, browser, web, service);
    // The newcomer is an invited interpreter on a real Socket.io connection without media: its
    // consent answer and everyone's indicators are what is under test (media with guests:
    // apps/desktop/e2e/multi-party.spec.ts).
    let guest: DoctorSocket | null = null;
    try {
      const { doctor, patient } = v;
      await doctor.getByRole('button', { name: 'Record' }).click();
      await patient
        .getByRole('alertdialog', { name: 'May this visit be recorded?' })
        .getByRole('button', { name: 'Yes, record' })
        .click();
      await expect(doctor.getByTestId('recording-indicator')).toHaveText(/^\s*Recording$/);

      const { token } = await loginAs(service, 'doctor');
      const roomId = new URL(v.link).pathname.split('/').pop()!;
      const invited = await fetch(`${service.url}/api/meetings/${roomId}/guests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ role: 'interpreter', name: 'Ina Interpreter' }),
      });
      expect(invited.status).toBe(201);
      const g = (await invited.json()) as InviteGuestResponse;
      guest = await connectDoctor(service, tokenFromJoinUrl(g.joinUrl));
      const joined = await guest.timeout(10_000).emitWithAck('join-room', {
        roomId,
        userId: g.guest.guestId,
        userType: 'guest',
        userName: 'Ina Interpreter',
      });
      expect(joined).toMatchObject({ ok: true, data: { status: 'waiting' } });
      const asked = nextEvent(guest, 'recording-request');
      // In a call the waiting room is a notice with its own Admit button.
      await doctor.getByRole('button', { name: 'Admit Ina Interpreter' }).click();
      expect(await asked).toMatchObject({ roomId, doctorName: 'Dr. Demo' });

      // Paused for everyone until the newcomer answers.
      await expect(doctor.getByTestId('recording-indicator')).toContainText(
        'Recording paused: waiting for 1 to consent',
      );
      await expect(patient.getByTestId('recording-indicator')).toContainText('Recording paused');

      const ack = await guest
        .timeout(10_000)
        .emitWithAck('recording-consent', { roomId, accept: true });
      expect(ack).toMatchObject({ ok: true, data: { status: 'recording' } });
      await expect(doctor.getByTestId('recording-indicator')).toHaveText(/^\s*Recording$/);
      await expect(patient.getByTestId('recording-indicator')).toHaveText(/Recording$/);

      const download = doctor.waitForEvent('download');
      await doctor.getByRole('button', { name: 'Stop recording' }).click();
      expect((await download).suggestedFilename()).toMatch(/\.webm$/);
    } finally {
      guest?.disconnect();
      await v.close();
    }
  });
});
