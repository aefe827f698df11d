// Node (Playwright worker): the patient page's way into a visit, as a patient or guest does it.
import { expect, type Page } from '@playwright/test';

/** Opens the join link, types the name, taps Join, and waits on "Waiting for the doctor". */
export async function joinFromLink(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join visit' }).click();
  await expect(page.getByRole('heading', { name: 'Waiting for the doctor' })).toBeVisible();
}
