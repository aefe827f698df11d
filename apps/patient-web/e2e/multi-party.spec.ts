// End-to-end: a visit of four in real Chromium with fake media (docs/multi-party.md) — the
// doctor (the call-engine harness the other specs use), the patient on the built page (phone
// size, the grid of tiles) and two guests invited over REST. Guests run the same engine in the
// harness: the guests' own page (pre-call check, waiting screen) is covered by its own spec.
// Media must rise on all 12 directed pairs; chat and a screen share reach everyone; a guest
// removed mid-call leaves the other three connected; the record keeps the four roles.
import type { Page } from '@playwright/test';
import {
  PHONE,
  createMeeting,
  expect,
  expectRising,
  framesPerConnection,
  getMeeting,
  inviteGuest,
  openDoctorPage,
  openMemberPage,
  removeGuest,
  requirePatientWebBuild,
  test,
  trackPeerConnections,
  videoFrames,
  type DoctorPage,
} from '../../../e2e/support/index.ts';

test.use({ ...PHONE });
requirePatientWebBuild();
// Four Chromium pages encoding and decoding three streams each on two cores.
test.setTimeout(300_000);

async function admitByName(doc: DoctorPage, name: string) {
  let socketId: string | undefined;
  await expect
    .poll(async () => {
      socketId = (await doc.view())?.waiting.find((w) => w.userName === name)?.socketId;
      return socketId !== undefined;
    })
    .toBe(true);
  await doc.admit(socketId!);
}

/** Waits until the inbound camera frames on each of `count` pairs of a harness page rise. */
async function harnessPairsRising(member: DoctorPage, from: string[], what: string) {
  for (const name of from)
    await expectRising(async () => (await member.peerFrames())[name] ?? 0, `${what} ← ${name}`);
}

async function pagePairsRising(page: Page, count: number, what: string) {
  await expect.poll(async () => (await framesPerConnection(page)).length).toBe(count);
  for (let i = 0; i < count; i++)
    await expectRising(async () => (await framesPerConnection(page))[i] ?? 0, `${what} pair ${i}`);
}

test('four in a visit: 12 pairs flowing, chat and screen to all, a guest removed', async ({
  browser,
  page,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token, {
    patientName: 'Maria Four',
  });
  const doctorName = doctor.user.displayName;
  const contexts = await Promise.all(
    [0, 1, 2].map(() => browser.newContext({ permissions: ['camera', 'microphone'] })),
  );
  try {
    const doc = await openDoctorPage(contexts[0]!, service, doctor, roomId);

    await trackPeerConnections(page);
    await page.goto(patientJoinUrl);
    await page.getByLabel('Your name').fill('Maria Four');
    await page.getByRole('button', { name: 'Join visit' }).click();
    await admitByName(doc, 'Maria Four');
    await expect(page.getByRole('button', { name: 'Leave visit' })).toBeVisible();

    const interp = await inviteGuest(service, doctor.token, roomId, 'interpreter', 'Ana Interp');
    const carer = await inviteGuest(service, doctor.token, roomId, 'caregiver', 'Sam Carer');
    const guestPage = (g: typeof interp, i: number) =>
      openMemberPage(contexts[i]!, {
        serverUrl: service.url,
        token: g.token,
        roomId,
        userId: g.guestId,
        userType: 'guest',
        userName: g.name,
        client: 'other',
      });
    const ana = await guestPage(interp, 1);
    await admitByName(doc, 'Ana Interp');
    const sam = await guestPage(carer, 2);
    await admitByName(doc, 'Sam Carer');

    // Everyone holds three pairs, with roles.
    for (const m of [doc, ana, sam])
      await expect.poll(async () => (await m.view())?.peers.length).toBe(3);
    expect((await doc.view())!.peers.map((p) => `${p.userName}:${p.role}`).sort()).toEqual([
      'Ana Interp:interpreter',
      'Maria Four:patient',
      'Sam Carer:caregiver',
    ]);
    await expect(page.getByTestId('tile')).toHaveCount(3);
    await expect(page.locator('[data-testid="tile"][data-role="interpreter"]')).toContainText(
      'Interpreter',
    );
    await expect(page.locator('[data-testid="tile"][data-role="caregiver"]')).toContainText(
      'Family member',
    );

    // The 12 directed pairs: 3 into each of the 4 members.
    await harnessPairsRising(doc, ['Maria Four', 'Ana Interp', 'Sam Carer'], 'doctor');
    await harnessPairsRising(ana, [doctorName, 'Maria Four', 'Sam Carer'], 'interpreter');
    await harnessPairsRising(sam, [doctorName, 'Maria Four', 'Ana Interp'], 'caregiver');
    await pagePairsRising(page, 3, 'patient');

    // Chat to everyone. On two loaded cores a member's signaling may drop and come back (the
    // engine rejoins by itself): a message is sent once it is connected again, as a person would.
    const say = async (m: DoctorPage, text: string) => {
      await expect.poll(async () => (await m.view())?.state, { timeout: 60_000 }).toBe('connected');
      await m.sendChat(text);
    };
    await say(doc, 'Welcome, everyone');
    await say(ana, 'Interpreter joined');
    for (const [who, m] of [
      ['doctor', doc],
      ['interpreter', ana],
      ['caregiver', sam],
    ] as const)
      console.log(`${who} states: ${(await m.view())?.history.join(' → ')}`);
    for (const m of [doc, ana, sam])
      await expect
        .poll(async () => (await m.view())?.chat)
        .toEqual(expect.arrayContaining(['Welcome, everyone', 'Interpreter joined']));
    await page.getByRole('button', { name: /Open chat/ }).click();
    const log = page.getByRole('log', { name: 'Messages' });
    await expect(log.getByText('Welcome, everyone')).toBeVisible();
    await expect(log.getByText('Interpreter joined')).toBeVisible();
    // And the patient's own message reaches the other three.
    await page.getByLabel('Message', { exact: true }).fill('Thank you all');
    await page.getByRole('button', { name: 'Send' }).click();
    for (const m of [doc, ana, sam])
      await expect.poll(async () => (await m.view())?.chat).toContain('Thank you all');
    await page.getByRole('button', { name: 'Close chat' }).click();

    // The doctor's screen, seen by all three.
    await doc.startScreenShare();
    await expectRising(
      () => videoFrames(page, `Screen shared by ${doctorName}`),
      "the doctor's screen on the patient's page",
    );
    for (const m of [ana, sam])
      await expectRising(
        () => videoFrames(m.page, `${doctorName} screen`),
        "the doctor's screen on a guest's page",
      );
    await doc.stopScreenShare();

    // The caregiver removed: the other three carry on, their pairs untouched.
    await removeGuest(service, doctor.token, roomId, carer.guestId);
    await expect.poll(async () => (await sam.view())?.endReason).toBe('removed');
    for (const m of [doc, ana])
      await expect.poll(async () => (await m.view())?.peers.length).toBe(2);
    await expect(page.getByTestId('tile')).toHaveCount(2);
    await harnessPairsRising(doc, ['Maria Four', 'Ana Interp'], 'doctor after the removal');
    await harnessPairsRising(ana, [doctorName, 'Maria Four'], 'interpreter after the removal');
    await pagePairsRising(page, 2, 'patient after the removal');
    expect((await doc.view())!.state).toBe('connected');

    // The record keeps each join with its role.
    const meeting = await getMeeting<{ participants: { role?: string }[] }>(
      service,
      doctor.token,
      roomId,
    );
    expect(new Set(meeting.participants.map((p) => p.role))).toEqual(
      new Set(['doctor', 'patient', 'interpreter', 'caregiver']),
    );

    await doc.endCall();
    await expect(page.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
    await expect.poll(async () => (await ana.view())?.endReason).toBe('ended-by-doctor');
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
