// Node (Playwright worker): the steps every spec takes through the clinician console's own UI —
// signing in and creating a visit — wherever the console is served (another origin with
// `?server=`, or the service's `/app/`).
import { expect, type Page } from '@playwright/test';
import { uniqueAppointmentId } from './api.ts';

/** Fills the sign-in form and submits it; the caller asserts what comes next. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Creates a visit from the signed-in doctor's appointments screen and waits for its patient
 * link. `prefix` starts the fresh appointment id (one per spec keeps ids apart); `language` is
 * an option of "Patient's language" as the form names it (e.g. 'العربية'), else the default.
 */
export async function createVisit(
  page: Page,
  patientName: string,
  prefix = 'doc',
  language?: string,
): Promise<{ appointmentId: string; link: string }> {
  const appointmentId = uniqueAppointmentId(prefix);
  await page.getByLabel('Appointment ID').fill(appointmentId);
  await page.getByLabel('Patient name').fill(patientName);
  if (language !== undefined)
    await page.getByLabel("Patient's language").selectOption({ label: language });
  await page.getByRole('button', { name: 'Create visit' }).click();
  const linkInput = page.getByRole('textbox', { name: `Patient link for ${patientName}` });
  await expect(linkInput).toHaveValue(
    new RegExp(`/join/room-${appointmentId}(\\?lang=\\w+)?#token=`),
  );
  return { appointmentId, link: await linkInput.inputValue() };
}

/** The doctor admits `name` from the lobby's waiting-room card. */
export async function admitFromWaitingRoom(page: Page, name: string): Promise<void> {
  await page
    .getByRole('region', { name: /Waiting room/ })
    .getByRole('button', { name: `Admit ${name}` })
    .click();
}

/** The doctor ends the visit, confirming in the dialog, and sees the summary. */
export async function endVisit(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'End visit' }).click();
  await page
    .getByRole('dialog', { name: 'End the visit?' })
    .getByRole('button', { name: 'End visit' })
    .click();
  await expect(page.getByRole('heading', { name: 'Visit ended' })).toBeVisible();
}
