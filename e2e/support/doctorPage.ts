// Node (Playwright worker): opens a page where the demo doctor runs the real call engine
// (`doctorHarness.entry.ts`, bundled once per worker with Vite), served at the service's own
// origin through `page.route` so the service's Origin check treats it like its own page.
import type { BrowserContext, Page } from '@playwright/test';
import type { CallEngineOptions } from '@bedside/shared/call';
import type { LoginResponse } from '@bedside/shared';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import type { DoctorView } from './doctorHarness.entry.ts';
import { trackPeerConnections } from './media.ts';
import type { TestService } from './service.ts';

const src = (p: string) =>
  fileURLToPath(new URL(`../../packages/shared/src/${p}`, import.meta.url));
const ENTRY = fileURLToPath(new URL('./doctorHarness.entry.ts', import.meta.url));

let bundle: Promise<string> | null = null;

function harnessScript(): Promise<string> {
  bundle ??= (async () => {
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      resolve: {
        alias: [
          { find: /^@bedside\/shared$/, replacement: src('index.ts') },
          { find: /^@bedside\/shared\/call$/, replacement: src('call/index.ts') },
        ],
      },
      build: {
        write: false,
        minify: false,
        lib: { entry: ENTRY, formats: ['iife'], name: 'BedsideDoctorHarness' },
      },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('doctor harness did not bundle');
    return chunk.code;
  })();
  return bundle;
}

export interface DoctorPage {
  page: Page;
  view(): Promise<DoctorView | null>;
  admit(socketId: string): Promise<void>;
  endCall(): Promise<void>;
  sendChat(text: string): Promise<void>;
  setMicrophoneEnabled(on: boolean): Promise<void>;
  setCameraEnabled(on: boolean): Promise<void>;
  /** Chromium's fake screen (with the suite's fake-media flags). */
  startScreenShare(): Promise<void>;
  stopScreenShare(): Promise<void>;
}

/** A new page in `context` where `doctor` joins `roomId` with camera and microphone. */
export async function openDoctorPage(
  context: BrowserContext,
  service: TestService,
  doctor: LoginResponse,
  roomId: string,
): Promise<DoctorPage> {
  const script = await harnessScript();
  const page = await context.newPage();
  await trackPeerConnections(page);
  const base = `${service.url}/__e2e__/doctor`;
  await page.route(base, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>Doctor (test harness)</title><script src="/__e2e__/doctor.js"></script>',
    }),
  );
  await page.route(`${base}.js`, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: script }),
  );
  await page.goto(base);
  const options: CallEngineOptions = {
    serverUrl: service.url,
    token: doctor.token,
    roomId,
    userId: doctor.user.id,
    userType: 'doctor',
    userName: doctor.user.displayName,
    client: 'other',
  };
  await page.evaluate((o) => window.bedsideDoctor!.start(o), options);
  return {
    page,
    view: () => page.evaluate(() => window.bedsideDoctor!.view()),
    admit: (socketId) => page.evaluate((id) => window.bedsideDoctor!.admit(id), socketId),
    endCall: () => page.evaluate(() => window.bedsideDoctor!.endCall()),
    sendChat: (text) => page.evaluate((t) => window.bedsideDoctor!.sendChat(t), text),
    setMicrophoneEnabled: (on) =>
      page.evaluate((v) => window.bedsideDoctor!.setMicrophoneEnabled(v), on),
    setCameraEnabled: (on) => page.evaluate((v) => window.bedsideDoctor!.setCameraEnabled(v), on),
    startScreenShare: () => page.evaluate(() => window.bedsideDoctor!.startScreenShare()),
    stopScreenShare: () => page.evaluate(() => window.bedsideDoctor!.stopScreenShare()),
  };
}
