// End-to-end: the clinic manager's call-duration report in the desktop renderer, running in
// Chromium as a plain web app (the browser stand-in replaces Electron's preload bridge, so the
// CSV export is a browser download) against the real Bedside service.
//
// Crafted meetings go straight into the service's embedded store (a second connection to the
// same SQLite file, as the service's CLI would open it); everything else goes through the UI.
// Needs `npm run build:web -w apps/desktop` (dist-web).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  CallDurationsResponseSchema,
  type CallDurationRow,
  type Meeting,
  type Participant,
} from '@bedside/shared';
import {
  expectNoAxeViolations,
  DEMO_USERS,
  expect,
  loginAs,
  desktopTest,
  requireDesktopWebBuild,
  signIn,
  type TestService,
} from '../../../e2e/support/index.ts';
import { openStore } from '../../../services/signaling/src/store/index.ts';

const ZONE = 'Europe/Berlin';

// The clinic's report zone is Berlin.
const test = desktopTest;
test.use({ serviceEnv: { CLINIC_TIME_ZONE: ZONE } });

requireDesktopWebBuild();

// ---- crafted data: this month, two doctors, a reconnect, a cancellation ------------------------

const pad = (n: number) => String(n).padStart(2, '0');

/** The current month as the view defaults to it (the browser runs on this machine's clock). */
function thisMonth(now = new Date()) {
  const y = now.getFullYear();
  const m = now.getMonth();
  const last = new Date(y, m + 1, 0).getDate();
  return {
    from: `${y}-${pad(m + 1)}-01`,
    to: `${y}-${pad(m + 1)}-${pad(last)}`,
    day: (d: number, hh: number, mm = 0) => new Date(Date.UTC(y, m, d, hh, mm)).toISOString(),
  };
}

function visit(
  id: string,
  doctorId: string,
  scheduledTime: string,
  minutes: number,
  opts: { reconnect?: boolean } = {},
): Meeting {
  const start = Date.parse(scheduledTime) + 60_000;
  const end = start + minutes * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const participants: Participant[] = [
    { userId: doctorId, userType: 'doctor', joinedAt: iso(start), leftAt: iso(end) },
  ];
  if (opts.reconnect) {
    const mid = start + (end - start) / 2;
    participants.push(
      { userId: `pat-${id}`, userType: 'patient', joinedAt: iso(start), leftAt: iso(mid) },
      { userId: `pat-${id}`, userType: 'patient', joinedAt: iso(mid + 60_000), leftAt: iso(end) },
    );
  } else {
    participants.push({
      userId: `pat-${id}`,
      userType: 'patient',
      joinedAt: iso(start),
      leftAt: iso(end),
    });
  }
  return {
    appointmentId: id,
    roomId: `room-${id}`,
    doctorId,
    patientId: `pat-${id}`,
    patientName: null,
    scheduledTime,
    startTime: iso(start),
    endTime: iso(end),
    status: 'completed',
    participants,
    duration: minutes * 60,
    createdAt: scheduledTime,
    updatedAt: iso(end),
  };
}

async function seedReport(service: TestService, demoDoctorId: string): Promise<void> {
  const month = thisMonth();
  const store = await openStore({ dataDir: service.dataDir });
  try {
    if (!(await store.getUserById('e2e-doc-2'))) {
      await store.createUser({
        id: 'e2e-doc-2',
        email: 'second@demo.test',
        displayName: 'Dr. Second',
        role: 'doctor',
        passwordHash: 'scrypt$not-used-here',
      });
    }
    await store.bulkInsertMeetings([
      visit('mgr-e2e-1', demoDoctorId, month.day(2, 8), 20),
      visit('mgr-e2e-2', demoDoctorId, month.day(2, 9), 15, { reconnect: true }),
      visit('mgr-e2e-3', demoDoctorId, month.day(5, 10), 30),
      visit('mgr-e2e-4', 'e2e-doc-2', month.day(5, 11), 45),
      visit('mgr-e2e-5', 'e2e-doc-2', month.day(9, 12), 10, { reconnect: true }),
      {
        ...visit('mgr-e2e-6', 'e2e-doc-2', month.day(9, 13), 0),
        status: 'cancelled',
        startTime: null,
        endTime: null,
        duration: null,
        participants: [],
      },
    ]);
  } finally {
    await store.close();
  }
}

/** The report as the service gives it to the manager over REST. */
async function serviceRows(
  service: TestService,
  token: string,
  query: Record<string, string>,
): Promise<CallDurationRow[]> {
  const url = new URL('/api/reports/call-durations', service.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return CallDurationsResponseSchema.parse(await res.json()).rows;
}

/** The downloaded CSV read with a real CSV parser, as rows of the JSON shape. */
function csvRows(file: string): { header: string[]; rows: CallDurationRow[] } {
  const [header, ...records] = parse(readFileSync(file, 'utf8'), { bom: true }) as string[][];
  if (!header) throw new Error('the export has no header row');
  const col = (r: string[], name: string) => r[header.indexOf(name)] ?? '';
  const orNull = (s: string) => (s === '' ? null : s);
  return {
    header,
    rows: records.map((r) => ({
      appointmentId: col(r, 'appointmentId'),
      roomId: col(r, 'roomId'),
      doctorId: col(r, 'doctorId'),
      doctorName: orNull(col(r, 'doctorName')),
      patientId: col(r, 'patientId'),
      scheduledTime: col(r, 'scheduledTime'),
      startTime: orNull(col(r, 'startTime')),
      endTime: orNull(col(r, 'endTime')),
      status: col(r, 'status') as CallDurationRow['status'],
      duration: col(r, 'durationSeconds') === '' ? null : Number(col(r, 'durationSeconds')),
      doctorConnectedSeconds: Number(col(r, 'doctorConnectedSeconds')),
      patientConnectedSeconds: Number(col(r, 'patientConnectedSeconds')),
      interpreterConnectedSeconds: Number(col(r, 'interpreterConnectedSeconds')),
      caregiverConnectedSeconds: Number(col(r, 'caregiverConnectedSeconds')),
      clinicianConnectedSeconds: Number(col(r, 'clinicianConnectedSeconds')),
      quality: col(r, 'quality') as CallDurationRow['quality'],
      rttP95Ms: col(r, 'rttP95Ms') === '' ? null : Number(col(r, 'rttP95Ms')),
      packetLossP95: col(r, 'packetLossP95') === '' ? null : Number(col(r, 'packetLossP95')),
      poorSeconds: Number(col(r, 'poorSeconds')),
      iceRestarts: Number(col(r, 'iceRestarts')),
      relayUsed: col(r, 'relayUsed') === 'true',
    })),
  };
}

// ---- the test ----------------------------------------------------------------------------------

test('the manager signs in, filters, sees the charts, exports, and the file matches the service', async ({
  page,
  web,
  service,
}) => {
  const demoDoctor = await loginAs(service, 'doctor');
  const manager = await loginAs(service, 'manager');
  await seedReport(service, demoDoctor.user.id);
  const month = thisMonth();

  await page.goto(`${web.origin}/index.html?server=${encodeURIComponent(service.url)}`);
  await signIn(page, DEMO_USERS.manager.email, DEMO_USERS.manager.password);
  await expect(page.getByRole('heading', { name: 'Call durations' })).toBeVisible();

  // This month by default: six visits, five completed, 120 minutes of completed visits.
  await expect(page.getByLabel('From', { exact: true })).toHaveValue(month.from);
  await expect(page.getByLabel('To', { exact: true })).toHaveValue(month.to);
  const totals = page.getByRole('definition');
  await expect(page.getByText(`Times in ${ZONE}.`, { exact: false })).toBeVisible();
  await expect(totals.first()).toHaveText('6');
  await expect(totals.nth(2)).toHaveText('2 h');
  const perDay = page.getByRole('img', { name: /^Visit time per day: / });
  const perDoctor = page.getByRole('img', { name: /^Visit time per doctor: / });
  await expect(perDay).toBeVisible();
  await expect(perDoctor).toHaveAccessibleName(
    'Visit time per doctor: 2 entries, total 2 h; highest Dr. Demo with 1 h 5 min.',
  );
  // WCAG 2.1 A/AA with the report, its charts and its scrollable table showing.
  await expectNoAxeViolations(page, "the manager's report");

  // Filter: the second doctor only.
  await page.getByLabel('Doctor', { exact: true }).selectOption({ label: 'Dr. Second' });
  await page.getByRole('button', { name: 'Show report' }).click();
  const table = page.getByRole('table', { name: /visits/ });
  await expect(table.getByRole('row')).toHaveCount(1 + 3);
  await expect(totals.first()).toHaveText('3');
  await expect(totals.nth(2)).toHaveText('55 min');
  await expect(perDoctor).toHaveAccessibleName(
    'Visit time per doctor: 1 entry, total 55 min; highest Dr. Second with 55 min.',
  );
  await expect(perDay).toHaveAccessibleName(/total 55 min; highest/);
  // The chart's numbers are in a table too.
  await page.getByText('Chart data').first().click();
  await expect(
    page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Day' }) }),
  ).toContainText('45 min');

  // Export: a browser download in the stand-in.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`call-durations_${month.from}_${month.to}.csv`);
  const file = await download.path();
  await expect(page.getByRole('status').filter({ hasText: 'Export saved' })).toContainText(
    `call-durations_${month.from}_${month.to}.csv`,
  );

  const exported = csvRows(file);
  expect(exported.header).toEqual([
    'appointmentId',
    'roomId',
    'doctorId',
    'doctorName',
    'patientId',
    'scheduledTime',
    'startTime',
    'endTime',
    'status',
    'durationSeconds',
    'doctorConnectedSeconds',
    'patientConnectedSeconds',
    'interpreterConnectedSeconds',
    'caregiverConnectedSeconds',
    'clinicianConnectedSeconds',
    'quality',
    'rttP95Ms',
    'packetLossP95',
    'poorSeconds',
    'iceRestarts',
    'relayUsed',
  ]);
  const expected = await serviceRows(service, manager.token, {
    from: month.from,
    to: month.to,
    doctorId: 'e2e-doc-2',
  });
  expect(exported.rows).toEqual(expected);
  expect(expected.map((r) => [r.appointmentId, r.duration, r.patientConnectedSeconds])).toEqual([
    ['mgr-e2e-4', 2700, 2700],
    ['mgr-e2e-5', 600, 540],
    // Cancelled before it started: duration 0, as in the meeting record (one rule, see
    // docs/architecture.md, "The meeting record").
    ['mgr-e2e-6', 0, 0],
  ]);
  // Times carry the clinic zone's offset.
  expect(expected[0]!.scheduledTime).toMatch(/T\d\d:\d\d:\d\d\+0[12]:00$/);
});
