// End-to-end: a visit of four in real Chromium with fake media (docs/multi-party.md), every
// member on its real screens: the doctor on the desktop renderer (served as a web app, as
// doctor.spec.ts does), the patient and two guests on the patient page at phone size. The doctor
// signs in, creates the visit, invites an interpreter and a family member through the Guests
// dialog and admits everyone from the waiting room; media must rise on all 12 directed pairs,
// the doctor's grid shows three tiles with names and roles, chat and the doctor's screen reach
// everyone, a guest removed mid-call leaves the other three flowing, and after the end the
// record keeps the four roles and the report's per-role seconds fit inside the call.
//
// Needs `npm run build:web -w apps/desktop` and `npm run build -w apps/patient-web`.
import type { Page } from '@playwright/test';
import { CallDurationsResponseSchema } from '@bedside/shared';
import {
  DEMO_USERS,
  PHONE,
  admitFromWaitingRoom,
  appUrl,
  createVisit,
  endVisit,
  desktopTest as test,
  expect,
  expectRising,
  framesPerConnection,
  getMeeting,
  joinFromLink,
  loginAs,
  requireDesktopWebBuild,
  requirePatientWebBuild,
  signIn,
  trackPeerConnections,
  videoFrames,
} from '../../../e2e/support/index.ts';

requireDesktopWebBuild();

/** Inbound camera frames rise on each of the page's `count` live pairs. */
async function pairsRising(page: Page, count: number, what: string) {
  await expect.poll(async () => (await framesPerConnection(page)).length).toBe(count);
  for (let i = 0; i < count; i++)
    await expectRising(async () => (await framesPerConnection(page))[i] ?? 0, `${what} pair ${i}`);
}

/** The doctor's "Add interpreter / family member / clinician" dialog → the guest's link. */
async function inviteThroughDialog(doc: Page, name: string, role: string): Promise<string> {
  const guests = doc.getByRole('region', { name: 'Others in the visit' });
  await guests.getByRole('button', { name: 'Add interpreter / family member / clinician' }).click();
  const form = doc.getByRole('dialog', { name: 'Add interpreter / family member / clinician' });
  await form.getByLabel("Guest's name").fill(name);
  await form.getByLabel('Joins as').selectOption({ label: role });
  await form.getByRole('button', { name: 'Create guest link' }).click();
  const done = doc.getByRole('dialog', { name: `Guest link for ${name} created.` });
  const link = await done.getByRole('textbox', { name: `Guest link for ${name}` }).inputValue();
  await done.getByRole('button', { name: 'Done' }).click();
  await expect(guests.getByRole('listitem').filter({ hasText: name })).toContainText(role);
  return link;
}

/** Marks the doctor's voice elements (PeerAudio) as they are now; returns how many. */
const markVoices = (doc: Page) =>
  doc.evaluate(() => {
    const els = [...document.querySelectorAll('audio[data-testid="peer-audio"]')];
    for (const el of els) (el as HTMLAudioElement & { __marked?: boolean }).__marked = true;
    return els.length;
  });

/** The doctor's voice elements in page order: marked earlier, playing, with a live track. */
const voices = (doc: Page) =>
  doc.evaluate(() =>
    [...document.querySelectorAll<HTMLAudioElement>('audio[data-testid="peer-audio"]')].map(
      (el) => ({
        marked: (el as HTMLAudioElement & { __marked?: boolean }).__marked === true,
        playing: !el.paused,
        live: (el.srcObject as MediaStream | null)?.getAudioTracks()[0]?.readyState === 'live',
      }),
    ),
  );

/** The patient page (patient or guest), its connections tracked: name, join, waiting. */
async function joinTracked(page: Page, link: string, name: string) {
  await trackPeerConnections(page);
  await joinFromLink(page, link, name);
}

test('four in a visit on the real screens: 12 pairs, chat and screen to all, a guest removed, per-role seconds', async ({
  page: doc,
  browser,
  web,
  service,
  doctor,
}) => {
  requirePatientWebBuild();
  // Four Chromium pages encoding and decoding three streams each on two cores: about 2 minutes
  // alone, much longer while other Chromium runs share the cores.
  test.setTimeout(480_000);
  const doctorName = doctor.user.displayName;

  // ---- the doctor signs in, creates the visit and invites two guests in its lobby ----------
  await trackPeerConnections(doc);
  await doc.goto(appUrl(web, service));
  await signIn(doc, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
  const { appointmentId, link: patientLink } = await createVisit(doc, 'Maria Four', 'four');
  const roomId = `room-${appointmentId}`;
  await doc.getByRole('button', { name: 'Open visit with Maria Four' }).click();
  await expect(doc.getByText('You are in the visit room')).toBeVisible();
  const interpLink = await inviteThroughDialog(doc, 'Ana Interp', 'Interpreter');
  const carerLink = await inviteThroughDialog(doc, 'Sam Carer', 'Family member');

  const contexts = await Promise.all(
    [0, 1, 2].map(() => browser.newContext({ ...PHONE, permissions: ['camera', 'microphone'] })),
  );
  try {
    const [patient, ana, sam] = await Promise.all(contexts.map((c) => c.newPage()));
    const members = [patient!, ana!, sam!];

    // ---- the patient waits and is admitted from the lobby's waiting-room card -------------
    await joinTracked(patient!, patientLink, 'Maria Four');
    await admitFromWaitingRoom(doc, 'Maria Four');
    await expect(patient!.getByRole('button', { name: 'Leave visit' })).toBeVisible();
    // Two people: the patient's voice plays from an <audio> of its own (marked here), not from
    // the stage's <video>, which the grid will replace.
    await expect.poll(() => markVoices(doc)).toBe(1);

    // ---- each guest waits and is admitted from the call's waiting badge -------------------
    for (const [page, link, name, role] of [
      [ana!, interpLink, 'Ana Interp', 'Interpreter'],
      [sam!, carerLink, 'Sam Carer', 'Family member'],
    ] as const) {
      await joinTracked(page, link, name);
      // The call's badge says who waits, as what.
      await expect(doc.getByTestId('waiting-who')).toHaveText(`${name} (${role}) is waiting`);
      await doc.getByRole('button', { name: `Admit ${name}` }).click();
      await expect(page.getByRole('button', { name: 'Leave visit' })).toBeVisible();
    }

    // ---- the doctor's grid: three tiles, names and roles ---------------------------------
    const tiles = doc.getByTestId('tile');
    await expect(tiles).toHaveCount(3);
    const tile = (role: string) => doc.locator(`[data-testid="tile"][data-role="${role}"]`);
    await expect(tile('patient')).toContainText('Maria Four');
    await expect(tile('patient').getByTestId('tile-role')).toHaveText('Patient');
    await expect(tile('interpreter')).toContainText('Ana Interp');
    await expect(tile('interpreter').getByTestId('tile-role')).toHaveText('Interpreter');
    await expect(tile('caregiver')).toContainText('Sam Carer');
    await expect(tile('caregiver').getByTestId('tile-role')).toHaveText('Family member');
    for (const m of members) await expect(m.getByTestId('tile')).toHaveCount(3);
    // Stage → grid remounted every video, but no voice: the patient's <audio> is the one marked
    // with two people, still playing its live track; one more per guest; every video is muted.
    await expect
      .poll(async () => {
        const all = await voices(doc);
        return {
          voices: all.length,
          marked: all.filter((v) => v.marked).length,
          allPlayingLive: all.every((v) => v.playing && v.live),
        };
      })
      .toEqual({ voices: 3, marked: 1, allPlayingLive: true });
    expect(
      await doc.evaluate(() => [...document.querySelectorAll('video')].every((v) => v.muted)),
    ).toBe(true);
    await expect(patient!.locator('[data-testid="tile"][data-role="interpreter"]')).toContainText(
      'Interpreter',
    );
    await expect(patient!.locator('[data-testid="tile"][data-role="caregiver"]')).toContainText(
      'Family member',
    );

    // ---- the 12 directed pairs: three into each of the four pages -------------------------
    await pairsRising(doc, 3, 'doctor');
    await pairsRising(patient!, 3, 'patient');
    await pairsRising(ana!, 3, 'interpreter');
    await pairsRising(sam!, 3, 'caregiver');

    // ---- chat from the doctor, seen by all three; a guest's answer seen by the doctor -----
    await doc.getByRole('textbox', { name: 'Message' }).fill('Welcome, everyone');
    await doc.getByRole('button', { name: 'Send' }).click();
    for (const m of members) {
      await m.getByRole('button', { name: /Open chat/ }).click();
      await expect(
        m.getByRole('log', { name: 'Messages' }).getByText('Welcome, everyone'),
      ).toBeVisible();
    }
    await ana!.getByLabel('Message', { exact: true }).fill('Interpreter here');
    await ana!.getByRole('button', { name: 'Send' }).click();
    await expect(doc.getByRole('log')).toContainText('Interpreter here');
    for (const m of members) await m.getByRole('button', { name: 'Close chat' }).click();

    // ---- the doctor's screen, seen by all three (Chromium's fake picker) ------------------
    await doc.getByRole('button', { name: 'Share screen' }).click();
    await expect(doc.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
    // A new track on each of the doctor's three pairs, renegotiated one by one: on loaded cores
    // that takes a while, so each page is given longer than the camera checks.
    for (const [m, who] of [
      [patient!, 'patient'],
      [ana!, 'interpreter'],
      [sam!, 'family member'],
    ] as const) {
      const screen = `Screen shared by ${doctorName}`;
      await expect(m.getByLabel(screen)).toBeAttached({ timeout: 90_000 });
      await expectRising(() => videoFrames(m, screen), `the doctor's screen on the ${who}'s page`, {
        timeoutMs: 90_000,
      });
    }
    await doc.getByRole('button', { name: 'Stop sharing' }).click();
    await expect(doc.getByRole('button', { name: 'Share screen' })).toBeVisible();

    // ---- the family member removed from "People": the other three carry on ---------------
    await doc.getByRole('button', { name: 'People' }).click();
    const people = doc.getByRole('dialog', { name: 'Others in the visit' });
    await people.getByRole('button', { name: 'Remove Sam Carer (Family member)' }).click();
    await expect(
      sam!.getByRole('heading', { name: 'You were removed from this visit' }),
    ).toBeVisible();
    await people.getByRole('button', { name: 'Done' }).click();
    await expect(tiles).toHaveCount(2);
    await expect(tile('caregiver')).toHaveCount(0);
    await pairsRising(doc, 2, 'doctor after the removal');
    await pairsRising(patient!, 2, 'patient after the removal');
    await pairsRising(ana!, 2, 'interpreter after the removal');

    // ---- the doctor ends the visit for everyone -------------------------------------------
    await endVisit(doc);
    for (const m of [patient!, ana!])
      await expect(m.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }

  // ---- the record: each join with its role; the report: seconds per role ------------------
  const meeting = await getMeeting<{
    duration: number | null;
    participants: { role?: string }[];
  }>(service, doctor.token, roomId);
  expect(new Set(meeting.participants.map((p) => p.role))).toEqual(
    new Set(['doctor', 'patient', 'interpreter', 'caregiver']),
  );
  const manager = await loginAs(service, 'manager');
  const url = new URL('/api/reports/call-durations', service.url);
  url.searchParams.set('from', new Date(Date.now() - 86_400_000).toISOString());
  url.searchParams.set('to', new Date(Date.now() + 86_400_000).toISOString());
  const res = await fetch(url, { headers: { authorization: `Bearer ${manager.token}` } });
  expect(res.status).toBe(200);
  const row = CallDurationsResponseSchema.parse(await res.json()).rows.find(
    (r) => r.roomId === roomId,
  );
  expect(row, 'the visit in the report').toBeDefined();
  expect(row!.status).toBe('completed');
  const duration = row!.duration!;
  expect(duration).toBeGreaterThan(0);
  expect(duration).toBe(meeting.duration);
  const seconds = {
    doctor: row!.doctorConnectedSeconds,
    patient: row!.patientConnectedSeconds,
    interpreter: row!.interpreterConnectedSeconds,
    caregiver: row!.caregiverConnectedSeconds,
  };
  for (const [role, s] of Object.entries(seconds)) {
    expect(s, `${role} seconds`).toBeGreaterThan(0);
    expect(s, `${role} seconds`).toBeLessThanOrEqual(duration);
  }
  // Nobody joined as a clinician; the family member left before the end, the others did not.
  expect(row!.clinicianConnectedSeconds).toBe(0);
  expect(seconds.caregiver).toBeLessThan(seconds.interpreter);
});
