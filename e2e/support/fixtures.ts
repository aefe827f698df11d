// Node (Playwright worker): the shared fixtures every end-to-end spec builds on.
//
//   import { test, expect } from '../../../e2e/support/fixtures.ts';
//   test('…', async ({ service, doctor, page }) => { … });
//
// `service` is one real Bedside service per worker (a fresh temp data dir, its own free port,
// PUBLIC_URL = its own URL). Specs that need other settings say `test.use({ serviceEnv: {…} })`,
// which gives them a service of their own. `doctor` is the signed-in demo doctor;
// `doctorContext` a browser context for the doctor's page, closed after the test.
import type { LoginResponse } from '@bedside/shared';
import { test as base, expect, type BrowserContext } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loginAs } from './api.ts';
import { PATIENT_WEB_DIST, startTestService, type TestService } from './service.ts';

export interface WorkerFixtures {
  /** Extra environment for the service (REDIS_URL, TURN_URLS, ABANDON_GRACE_SECONDS, …). */
  serviceEnv: Record<string, string>;
  service: TestService;
}

export interface TestFixtures {
  /** The demo doctor, signed in over REST: `token` (access JWT) and `user`. */
  doctor: LoginResponse;
  /** A browser context of its own for the doctor's page (camera and microphone allowed). */
  doctorContext: BrowserContext;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  serviceEnv: [{}, { scope: 'worker', option: true }],
  service: [
    async ({ serviceEnv }, use) => provideService(await startTestService(serviceEnv), use),
    { scope: 'worker', timeout: 90_000 },
  ],
  doctor: async ({ service }, use) => {
    await use(await loginAs(service, 'doctor'));
  },
  doctorContext: async ({ browser }, use) => {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    try {
      await use(context);
    } finally {
      await context.close();
    }
  },
});

export { expect };

/**
 * The body of a worker fixture that overrides `service`: hands the started service to the
 * tests, then stops it. It logs at `warn`: anything it said explains a red run, so show it.
 */
export async function provideService(
  service: TestService,
  use: (service: TestService) => Promise<void>,
): Promise<void> {
  try {
    await use(service);
  } finally {
    if (service.output().trim()) {
      process.stderr.write(`\n[bedside service output]\n${service.output().slice(-4000)}\n`);
    }
    await service.close();
  }
}

/** Skips the calling spec when the patient page has not been built (it is what the service serves). */
export function requirePatientWebBuild(): void {
  test.skip(
    !existsSync(path.join(PATIENT_WEB_DIST, 'index.html')),
    'apps/patient-web/dist is missing: run `npm run build -w apps/patient-web` first',
  );
}

/** An iPhone-sized portrait screen with touch: the patient's usual device. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
} as const;
