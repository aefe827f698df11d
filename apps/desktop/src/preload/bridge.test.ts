import { IpcChannel } from '@bedside/shared';
import { describe, expect, it, vi } from 'vitest';
import { createBridge, type IpcRendererLike } from './bridge.js';

function fakeIpc() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: IpcRendererLike & { emit(channel: string, payload: unknown): void } = {
    invoke: vi.fn(async () => ({ ok: true, data: null })),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
    emit(channel, payload) {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'secret ipc event' }, payload);
    },
  };
  return ipc;
}

describe('preload bridge', () => {
  it('maps each function to its own channel with the contract payload', async () => {
    const ipc = fakeIpc();
    const b = createBridge(ipc);
    await b.app.getInfo();
    await b.app.openExternal('https://a.example');
    await b.settings.get();
    await b.settings.set({ idleTimeoutMinutes: 30 });
    await b.session.getToken();
    await b.session.setToken('t');
    await b.capture.choose({ requestId: 'r', sourceId: null, audio: false });
    await b.capture.openPermissionSettings!();
    await b.notify.patientWaiting(3);
    await b.reports.exportCsv({ query: {}, suggestedName: 'a.csv' });
    expect((ipc.invoke as ReturnType<typeof vi.fn>).mock.calls).toEqual([
      [IpcChannel.appGetInfo],
      [IpcChannel.appOpenExternal, { url: 'https://a.example' }],
      [IpcChannel.settingsGet],
      [IpcChannel.settingsSet, { idleTimeoutMinutes: 30 }],
      [IpcChannel.sessionGetToken],
      [IpcChannel.sessionSetToken, { token: 't' }],
      [IpcChannel.captureChoose, { requestId: 'r', sourceId: null, audio: false }],
      [IpcChannel.captureOpenPermissionSettings],
      [IpcChannel.notifyPatientWaiting, { count: 3 }],
      [IpcChannel.reportsExportCsv, { query: {}, suggestedName: 'a.csv' }],
    ]);
    expect(b.kind).toBe('electron');
  });

  it('onPickRequest delivers the payload only, and unsubscribes', () => {
    const ipc = fakeIpc();
    const b = createBridge(ipc);
    const got: unknown[][] = [];
    const off = b.capture.onPickRequest((...args) => got.push(args));
    ipc.emit(IpcChannel.capturePickRequest, { requestId: 'x' });
    off();
    ipc.emit(IpcChannel.capturePickRequest, { requestId: 'y' });
    expect(got).toEqual([[{ requestId: 'x' }]]);
  });

  it('export progress is delivered during the export only', async () => {
    const ipc = fakeIpc();
    let finish!: (v: unknown) => void;
    (ipc.invoke as ReturnType<typeof vi.fn>).mockImplementation(
      () => new Promise((r) => (finish = r)),
    );
    const b = createBridge(ipc);
    const progress: unknown[] = [];
    const done = b.reports.exportCsv({ query: {}, suggestedName: 'a.csv' }, (p) =>
      progress.push(p),
    );
    ipc.emit(IpcChannel.reportsExportProgress, { bytes: 10, done: false });
    finish({ ok: true, data: { path: '/tmp/a.csv', bytes: 10 } });
    await done;
    ipc.emit(IpcChannel.reportsExportProgress, { bytes: 99, done: true });
    expect(progress).toEqual([{ bytes: 10, done: false }]);
  });

  it('session.onCleared fires without arguments', () => {
    const ipc = fakeIpc();
    const listener = vi.fn();
    createBridge(ipc).session.onCleared!(listener);
    ipc.emit(IpcChannel.sessionCleared, undefined);
    expect(listener).toHaveBeenCalledWith();
  });
});
