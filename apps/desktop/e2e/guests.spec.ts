// End-to-end: guests in a visit (DESIGN.md, "Visits with more than two people") from the
// doctor's screens. The doctor invites an interpreter through the renderer (served as a web app,
// as doctor.spec.ts does), the interpreter opens the link on a phone and sees its role on the
// pre-call check and in the waiting room, appears on the doctor's waiting-room card as
// "Interpreter", is admitted into the call, removed from it and shown why; a revoked link is
// refused with its own message, and a full visit says so. Every new screen and dialog goes
// through axe.
//
// Needs `npm run build:web -w apps/desktop` and `npm run build -w apps/patient-web`.
import type { Page } from '@playwright/test';
import {
  DEMO_USERS,
  expect,
  expectNoAxeViolations,
  getMeeting,
  inviteGuest,
  PHONE,
  requirePatientWebBuild,
  desktopTest,
  requireDesktopWebBuild,
  uniqueAppointmentId,
} from '../../../e2e/support/index.ts';

const test = desktopTest;

requireDesktopWebBuild();

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the doctor adds an interpreter, admits and removes them; a revoked link and a full visit say so', async ({
  page,
  browser,
  web,
  service,
  doctor,
}) => {
  requirePatientWebBuild();
  test.setTimeout(240_000);

  // ---- the doctor opens a new visit ------------------------------------------------------
  await page.goto(`${web.origin}/index.html?server=${encodeURIComponent(service.url)}`);
  await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
  const appointmentId = uniqueAppointmentId('guests');
  const roomId = `room-${appointmentId}`;
  await page.getByLabel('Appointment ID').fill(appointmentId);
  await page.getByLabel('Patient name').fill('Ana Example');
  await page.getByRole('button', { name: 'Create visit' }).click();
  await page.getByRole('button', { name: 'Open visit with Ana Example' }).click();
  await expect(page.getByText('You are in the visit room')).toBeVisible();
  const guests = page.getByRole('region', { name: 'Others in the visit' });
  await expect(guests.getByText('No guests invited yet.')).toBeVisible();

  // ---- "Add interpreter / family member / clinician": name + role → the guest's link -----
  await guests.getByRole('button', { name: 'Add interpreter / family member / clinician' }).click();
  let dialog = page.getByRole('dialog', { name: 'Add interpreter / family member / clinician' });
  await expect(dialog.getByLabel('Joins as')).toHaveValue('interpreter');
  // An empty name is refused before anything is sent.
  await dialog.getByRole('button', { name: 'Create guest link' }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: "guest's name" })).toBeVisible();
  await expectNoAxeViolations(page, 'the add-guest dialog with a name error');
  await dialog.getByLabel("Guest's name").fill('Ina Interpreter');
  await dialog.getByRole('button', { name: 'Create guest link' }).click();
  dialog = page.getByRole('dialog', { name: 'Guest link for Ina Interpreter created.' });
  const linkInput = dialog.getByRole('textbox', { name: 'Guest link for Ina Interpreter' });
  await expect(linkInput).toHaveValue(new RegExp(`^${service.url}/join/${roomId}#token=`));
  const interpreterLink = await linkInput.inputValue();
  await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Email link' })).toBeVisible();
  await expectNoAxeViolations(page, "the add-guest dialog with the guest's link");
  await dialog.getByRole('button', { name: 'Done' }).click();
  const inaRow = guests.getByRole('listitem').filter({ hasText: 'Ina Interpreter' });
  await expect(inaRow).toContainText('Interpreter');
  await expect(guests.getByRole('status').filter({ hasText: 'created' })).toBeVisible();

  // ---- full: a second guest invited behind this screen's back, then a third refused ------
  const cara = await inviteGuest(service, doctor.token, roomId, 'caregiver', 'Cara Family');
  await guests.getByRole('button', { name: 'Add interpreter / family member / clinician' }).click();
  dialog = page.getByRole('dialog', { name: 'Add interpreter / family member / clinician' });
  await dialog.getByLabel("Guest's name").fill('Cliff Clinician');
  await dialog.getByLabel('Joins as').selectOption({ label: 'Clinician' });
  await dialog.getByRole('button', { name: 'Create guest link' }).click();
  await expect(
    dialog.getByRole('alert').filter({
      hasText: 'This visit is full: at most 4 people (the doctor, the patient and 2 guests).',
    }),
  ).toBeVisible();
  await expectNoAxeViolations(page, 'the add-guest dialog refusing a fifth person');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  // The screen now lists who is really invited, and offers no further invitation.
  const caraRow = guests.getByRole('listitem').filter({ hasText: 'Cara Family' });
  await expect(caraRow).toContainText('Family member');
  await expect(
    guests.getByRole('button', { name: 'Add interpreter / family member / clinician' }),
  ).toBeDisabled();
  await expect(guests.getByText('The visit is full')).toBeVisible();

  // Cara's link was never shown here: "New link" issues one (revoking the first) to copy again.
  await caraRow.getByRole('button', { name: 'New link for Cara Family (Family member)' }).click();
  const caraLink = caraRow.getByRole('textbox', { name: 'Guest link for Cara Family' });
  await expect(caraLink).toHaveValue(new RegExp(`^${service.url}/join/${roomId}#token=`));
  expect(await caraLink.inputValue()).not.toBe(cara.joinUrl);
  await expect(caraRow.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await expect(guests.getByText('The earlier link no longer works.')).toBeVisible();

  // Revoking Cara's link from the list.
  await caraRow.getByRole('button', { name: 'Remove Cara Family (Family member)' }).click();
  await expect(
    guests.getByText('Cara Family was removed. Their link no longer works.'),
  ).toBeVisible();
  await expect(caraRow).toHaveCount(0);

  const guestContext = await browser.newContext({
    ...PHONE,
    permissions: ['camera', 'microphone'],
  });
  try {
    // ---- a revoked link is refused, with its own message -------------------------------
    const revoked = await guestContext.newPage();
    await revoked.goto(cara.joinUrl);
    await expect(
      revoked.getByRole('heading', { name: 'You were removed from this visit' }),
    ).toBeVisible();
    await expect(revoked.getByText('your link no longer opens it')).toBeVisible();
    await expectNoAxeViolations(revoked, "a removed guest's link");
    await revoked.close();

    // ---- the interpreter: pre-call check and waiting room, with the role ---------------
    const ina = await guestContext.newPage();
    await ina.goto(interpreterLink);
    await expect(
      ina.getByRole('heading', { name: 'Check your camera and microphone' }),
    ).toBeVisible();
    await expect(ina.getByTestId('joining-as')).toHaveText('You are joining as the interpreter.');
    await expectNoAxeViolations(ina, "the guest's pre-call check");
    await ina.getByLabel('Your name').fill('Ina Interpreter');
    await ina.getByRole('button', { name: 'Join visit' }).click();
    await expect(ina.getByRole('heading', { name: 'Waiting for the doctor' })).toBeVisible();
    await expect(ina.getByTestId('joining-as')).toHaveText('You are joining as the interpreter.');
    await expectNoAxeViolations(ina, "the guest's waiting room");

    // ---- the doctor's waiting-room card says who is waiting, as what; admit -------------
    const card = page
      .getByRole('region', { name: /Waiting room/ })
      .getByRole('listitem')
      .filter({ hasText: 'Ina Interpreter' });
    await expect(card.getByTestId('waiting-role')).toHaveText('Interpreter');
    await expect(
      card.getByRole('button', { name: 'Remove Ina Interpreter from the waiting room' }),
    ).toBeVisible();
    await expectNoAxeViolations(page, 'the visit lobby with a guest waiting and the guest list');
    await card.getByRole('button', { name: 'Admit Ina Interpreter' }).click();

    // In the call, both sides; the record has the interpreter's join with its role.
    await expect(ina.getByRole('button', { name: 'Leave visit' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Ina Interpreter' })).toBeVisible();
    await expect
      .poll(async () =>
        (await getMeeting(service, doctor.token, roomId)).participants.map((p) => p.role),
      )
      .toEqual(['doctor', 'interpreter']);

    // ---- removed mid-call, from the call's "People" dialog ------------------------------
    await page.getByRole('button', { name: 'People' }).click();
    const people = page.getByRole('dialog', { name: 'Others in the visit' });
    await expect(people.getByRole('listitem').filter({ hasText: 'Ina Interpreter' })).toContainText(
      'Interpreter',
    );
    await expectNoAxeViolations(page, "the call's People dialog");
    await people.getByRole('button', { name: 'Remove Ina Interpreter (Interpreter)' }).click();
    await expect(
      ina.getByRole('heading', { name: 'You were removed from this visit' }),
    ).toBeVisible();
    await expectNoAxeViolations(ina, 'a guest removed from the call');
    // Told on whichever screen the doctor is on now (the call, or the lobby once it is empty).
    await expect(
      page.getByText('Ina Interpreter was removed. Their link no longer works.'),
    ).toBeVisible();
    await expect(
      page.getByRole('button', { name: 'Remove Ina Interpreter (Interpreter)' }),
    ).toHaveCount(0);

    // A reload asks the service again: the link is revoked for good.
    await ina.reload();
    await expect(
      ina.getByRole('heading', { name: 'You were removed from this visit' }),
    ).toBeVisible();
  } finally {
    await guestContext.close();
  }
});
