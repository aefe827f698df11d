// Node (Playwright worker): opens a page where the demo doctor runs the real call engine
// (`doctorHarness.entry.ts`, bundled once per worker with Vite), served at the service's own
// origin through `page.route` so the service's Origin check treats it like its own page.
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { CallEngineOptions } from '@bedside/shared/call';
import type { LoginResponse } from '@bedside/shared';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import type { DoctorView, PeerFrames } from './doctorHarness.entry.ts';
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
  /** Waits for `userName` in the waiting room (Playwright's poll), then admits them. */
  admitByName(userName: string): Promise<void>;
  endCall(): Promise<void>;
  sendChat(text: string): Promise<void>;
  setMicrophoneEnabled(on: boolean): Promise<void>;
  setCameraEnabled(on: boolean): Promise<void>;
  /** Chromium's fake screen (with the suite's fake-media flags). */
  startScreenShare(options?: { systemAudio?: boolean }): Promise<void>;
  stopScreenShare(): Promise<void>;
  /** Inbound camera frames per other member (by name), from this page's own pairs. */
  peerFrames(): Promise<PeerFrames>;
  leave(): Promise<void>;
}

/** A new page in `context` where `doctor` joins `roomId` with camera and microphone. */
export async function openDoctorPage(
  context: BrowserContext,
  service: TestService,
  doctor: LoginResponse,
  roomId: string,
): Promise<DoctorPage> {
  return openMemberPage(context, {
    serverUrl: service.url,
    token: doctor.token,
    roomId,
    userId: doctor.user.id,
    userType: 'doctor',
    userName: doctor.user.displayName,
    client: 'other',
  });
}

/**
 * A new page in `context` where anyone runs the call engine with `options`, e.g. a guest with
 * the token of the link `POST /api/meetings/:roomId/guests` returned (`userType: 'guest'`).
 */
export async function openMemberPage(
  context: BrowserContext,
  options: CallEngineOptions,
): Promise<DoctorPage> {
  const script = await harnessScript();
  const page = await context.newPage();
  await trackPeerConnections(page);
  const base = `${options.serverUrl}/__e2e__/doctor`;
  await page.route(base, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>Call (test harness)</title><script src="/__e2e__/doctor.js"></script>',
    }),
  );
  await page.route(`${base}.js`, (route) =>
    route.fulfill({ contentType: 'text/javascript', body: script }),
  );
  await page.goto(base);
  // Guests wait to be admitted: `start` resolves once the service answered join-room.
  await page.evaluate((o) => window.bedsideDoctor!.start(o), options);
  const view = () => page.evaluate(() => window.bedsideDoctor!.view());
  const admit = (socketId: string) =>
    page.evaluate((id) => window.bedsideDoctor!.admit(id), socketId);
  return {
    page,
    view,
    admit,
    async admitByName(userName) {
      let socketId: string | undefined;
      await expect
        .poll(async () => {
          socketId = (await view())?.waiting.find((w) => w.userName === userName)?.socketId;
          return socketId !== undefined;
        }, `${userName} in the doctor's waiting room`)
        .toBe(true);
      await admit(socketId!);
    },
    endCall: () => page.evaluate(() => window.bedsideDoctor!.endCall()),
    sendChat: (text) => page.evaluate((t) => window.bedsideDoctor!.sendChat(t), text),
    setMicrophoneEnabled: (on) =>
      page.evaluate((v) => window.bedsideDoctor!.setMicrophoneEnabled(v), on),
    setCameraEnabled: (on) => page.evaluate((v) => window.bedsideDoctor!.setCameraEnabled(v), on),
    startScreenShare: (o) => page.evaluate((v) => window.bedsideDoctor!.startScreenShare(v), o),
    stopScreenShare: () => page.evaluate(() => window.bedsideDoctor!.stopScreenShare()),
    peerFrames: () => page.evaluate(() => window.bedsideDoctor!.peerFrames()),
    leave: () => page.evaluate(() => window.bedsideDoctor!.leave()),
  };
}
