import { DEFAULT_SETTINGS, IpcChannel, type Result } from '@bedside/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CapturePicker } from '../capture/picker.js';
import type { FrameLike, IpcInvokeEventLike, IpcMainLike } from '../electron.js';
import { PatientWaitingNotifier } from '../notifications/patientWaiting.js';
import { RecordingFiles } from '../recording/recordingFiles.js';
import { CsvExporter } from '../reports/exportCsv.js';
import { SettingsService } from '../settings/settingsService.js';
import { TokenVault } from '../settings/tokenVault.js';
import { STORE_DEFAULTS } from '../settings/schema.js';
import {
  ManualTimers,
  MemoryStore,
  fakeEvent,
  fakeFrame,
  fakeSafeStorage,
} from '../testing/fakes.js';
import { EVENT_CHANNELS, createIpcHandlers } from './handlers.js';
import { registerIpcHandlers } from './register.js';

const APP = 'bedside://app';
const OUR_CONTENTS = 1;

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

/** ipcMain stand-in: records handlers so the test can invoke them as Electron would. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(
    channel: string,
    event: IpcInvokeEventLike,
    ...args: unknown[]
  ): Promise<Result<unknown>> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return (await listener(event, ...args)) as Result<unknown>;
  }
}

function setup() {
  const ipc = new FakeIpcMain();
  const store = new MemoryStore(STORE_DEFAULTS as unknown as Record<string, unknown>);
  const settings = new SettingsService(store);
  const vault = new TokenVault(store, fakeSafeStorage());
  const shell = { openExternal: vi.fn(async () => undefined) };
  const picker = new CapturePicker({
    desktopCapturer: { getSources: async () => [] },
    ownMediaSourceIds: () => [],
    appOrigin: APP,
    platform: 'linux',
    env: {},
    randomUUID: () => crypto.randomUUID(),
    timers: new ManualTimers(),
  });
  const badge = vi.fn(() => true);
  const notifier = new PatientWaitingNotifier({
    notifications: { isSupported: () => false, create: () => ({ show() {}, on() {} }) },
    setBadgeCount: badge,
    mainWindow: () => null,
    platform: 'linux',
  });
  const exporter = new CsvExporter({
    dialog: { showSaveDialog: async () => ({ canceled: true }) },
    fetch: async () => new Response('x'),
    serverUrl: () => settings.get().serverUrl,
    token: () => vault.get(),
    downloadsDir: () => '/tmp',
  });
  const unregister = registerIpcHandlers(
    ipc,
    { appOrigin: APP, isBedsideContents: (id) => id === OUR_CONTENTS },
    createIpcHandlers({
      appInfo: () => ({ version: '0.1.0', platform: 'linux' }),
      settings,
      vault,
      picker,
      notifier,
      exporter,
      recordings: new RecordingFiles({
        dialog: { showSaveDialog: async () => ({ canceled: true }) },
        downloadsDir: () => '/tmp',
      }),
      shell,
      openScreenPermissionSettings: async () => false,
    }),
  );
  const main = fakeFrame(`${APP}/index.html`);
  return { ipc, store, settings, vault, shell, badge, main, unregister };
}

const invokeChannels = Object.values(IpcChannel).filter((c) => !EVENT_CHANNELS.has(c));

describe('IPC registration', () => {
  it('registers exactly one handler per invokable channel of the contract', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual([...invokeChannels].sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('IPC sender checks', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  const refusedFrom = async (event: IpcInvokeEventLike) => {
    for (const channel of invokeChannels) {
      const res = await t.ipc.invoke(channel, event);
      expect(res, channel).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  };

  it('accepts the main frame of a Bedside window on the app origin', async () => {
    const res = await t.ipc.invoke(IpcChannel.appGetInfo, fakeEvent(t.main));
    expect(res).toEqual({
      ok: true,
      data: { version: '0.1.0', platform: 'linux', secureStorage: true },
    });
  });

  it('refuses a frame on another origin', async () => {
    await refusedFrom(fakeEvent(fakeFrame('https://evil.example/index.html')));
    await refusedFrom(fakeEvent(fakeFrame('bedside://other/index.html')));
    await refusedFrom(fakeEvent(fakeFrame('file:///etc/passwd')));
  });

  it('refuses a subframe, even on the app origin', async () => {
    await refusedFrom(fakeEvent(fakeFrame(`${APP}/frame.html`, { parent: t.main })));
  });

  it('refuses a missing or destroyed frame', async () => {
    await refusedFrom(fakeEvent(null));
    const gone = fakeFrame(`${APP}/index.html`);
    gone.destroyed = true;
    await refusedFrom(fakeEvent(gone));
  });

  it('refuses a WebContents that is not a Bedside window', async () => {
    await refusedFrom(fakeEvent(t.main, 99));
  });

  it('changes nothing when refusing', async () => {
    const foreign = fakeEvent(fakeFrame('https://evil.example/'));
    await t.ipc.invoke(IpcChannel.settingsSet, foreign, { serverUrl: 'https://evil.example' });
    await t.ipc.invoke(IpcChannel.sessionSetToken, foreign, { token: 'stolen' });
    await t.ipc.invoke(IpcChannel.appOpenExternal, foreign, { url: 'https://evil.example' });
    expect(t.settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(t.vault.get()).toBeNull();
    expect(t.shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('IPC input validation', () => {
  let t: ReturnType<typeof setup>;
  let ev: IpcInvokeEventLike;
  beforeEach(() => {
    t = setup();
    ev = fakeEvent(t.main as FrameLike);
  });

  const bad = [
    [IpcChannel.settingsSet, { serverUrl: 'javascript:alert(1)' }],
    [IpcChannel.settingsSet, { serverUrl: 'file:///etc/passwd' }],
    [IpcChannel.settingsSet, { idleTimeoutMinutes: 1 }],
    [IpcChannel.settingsSet, { idleTimeoutMinutes: '15' }],
    [IpcChannel.settingsSet, { unknownKey: true }],
    [IpcChannel.settingsSet, null],
    [IpcChannel.sessionSetToken, { token: 42 }],
    [IpcChannel.sessionSetToken, { token: 'x'.repeat(5000) }],
    [IpcChannel.sessionSetToken, 'bare-string'],
    [IpcChannel.appOpenExternal, { url: 'file:///etc/passwd' }],
    [IpcChannel.appOpenExternal, { url: 'javascript:alert(1)' }],
    [IpcChannel.appOpenExternal, { url: 'smb://share/x' }],
    [IpcChannel.captureChoose, { requestId: 'not-a-uuid', sourceId: null }],
    [IpcChannel.captureChoose, { requestId: crypto.randomUUID(), sourceId: 5 }],
    [IpcChannel.notifyPatientWaiting, { count: -1 }],
    [IpcChannel.notifyPatientWaiting, { count: 1.5 }],
    [IpcChannel.notifyPatientWaiting, { count: 1, name: 'Jane Doe' }],
    [IpcChannel.reportsExportCsv, { query: {}, suggestedName: '../../evil.sh' }],
    [IpcChannel.reportsExportCsv, { query: { from: 'x'.repeat(500) }, suggestedName: 'a.csv' }],
  ] as const;

  it.each(bad)('%s refuses %j with bad-request', async (channel, payload) => {
    const res = await t.ipc.invoke(channel, ev, payload);
    expect(res).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses missing and extra arguments', async () => {
    expect(await t.ipc.invoke(IpcChannel.settingsSet, ev)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await t.ipc.invoke(IpcChannel.settingsGet, ev, { sneaky: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(
      await t.ipc.invoke(IpcChannel.sessionSetToken, ev, { token: 'a' }, { token: 'b' }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('bad input changes nothing', async () => {
    for (const [channel, payload] of bad) await t.ipc.invoke(channel, ev, payload);
    expect(t.settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(t.vault.get()).toBeNull();
    expect(t.shell.openExternal).not.toHaveBeenCalled();
    expect(t.badge).not.toHaveBeenCalled();
  });

  it('valid input goes through', async () => {
    const set = await t.ipc.invoke(IpcChannel.settingsSet, ev, {
      serverUrl: 'https://clinic.example',
      idleTimeoutMinutes: 30,
    });
    expect(set).toEqual({
      ok: true,
      data: { ...DEFAULT_SETTINGS, serverUrl: 'https://clinic.example', idleTimeoutMinutes: 30 },
    });
    expect(await t.ipc.invoke(IpcChannel.settingsGet, ev)).toEqual(set);
    expect(await t.ipc.invoke(IpcChannel.sessionSetToken, ev, { token: 'jwt.abc' })).toEqual({
      ok: true,
      data: null,
    });
    expect(await t.ipc.invoke(IpcChannel.sessionGetToken, ev)).toEqual({
      ok: true,
      data: 'jwt.abc',
    });
    expect(
      await t.ipc.invoke(IpcChannel.appOpenExternal, ev, { url: 'mailto:it@clinic.example' }),
    ).toEqual({ ok: true, data: null });
    expect(t.shell.openExternal).toHaveBeenCalledWith('mailto:it@clinic.example');
    expect(await t.ipc.invoke(IpcChannel.notifyPatientWaiting, ev, { count: 2 })).toEqual({
      ok: true,
      data: null,
    });
    expect(t.badge).toHaveBeenCalledWith(2);
    expect(
      await t.ipc.invoke(IpcChannel.reportsExportCsv, ev, {
        query: { from: '2026-01-01' },
        suggestedName: 'durations.csv',
      }),
    ).toEqual({ ok: true, data: { path: null, bytes: 0 } });
  });

  it('a stale capture answer is a value, not a thrown error', async () => {
    const res = await t.ipc.invoke(IpcChannel.captureChoose, ev, {
      requestId: crypto.randomUUID(),
      sourceId: null,
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('a handler that throws becomes an internal error result', async () => {
    const failing = setup();
    vi.spyOn(failing.settings, 'get').mockImplementation(() => {
      throw new Error('disk on fire');
    });
    const res = await failing.ipc.invoke(IpcChannel.settingsGet, fakeEvent(failing.main));
    expect(res).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong in the Bedside app.' },
    });
  });
});
