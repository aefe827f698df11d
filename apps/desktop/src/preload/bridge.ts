// Preload (sandboxed, CommonJS bundle). Builds `window.bedside`: one named function per IPC
// channel. `ipcRenderer` itself never reaches the page, and listeners get only the payload,
// never the IPC event (which would hand the page `event.sender`).

import {
  IpcChannel,
  type BedsideBridge,
  type CapturePickCancelled,
  type CapturePickRequest,
  type ExportProgress,
} from '@bedside/shared';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Invoke = <T>(channel: string, ...args: unknown[]) => Promise<T>;

function subscribe<T>(
  ipc: IpcRendererLike,
  channel: string,
  listener: (payload: T) => void,
): () => void {
  const wrapped = (_event: unknown, payload: unknown) => listener(payload as T);
  ipc.on(channel, wrapped);
  return () => {
    ipc.removeListener(channel, wrapped);
  };
}

export function createBridge(ipc: IpcRendererLike): BedsideBridge {
  const invoke: Invoke = (channel, ...args) => ipc.invoke(channel, ...args) as Promise<never>;
  return {
    kind: 'electron',
    app: {
      getInfo: () => invoke(IpcChannel.appGetInfo),
      openExternal: (url) => invoke(IpcChannel.appOpenExternal, { url }),
    },
    settings: {
      get: () => invoke(IpcChannel.settingsGet),
      set: (patch) => invoke(IpcChannel.settingsSet, patch),
    },
    session: {
      getToken: () => invoke(IpcChannel.sessionGetToken),
      setToken: (token) => invoke(IpcChannel.sessionSetToken, { token }),
      onCleared: (listener) =>
        subscribe<undefined>(ipc, IpcChannel.sessionCleared, () => listener()),
    },
    capture: {
      onPickRequest: (listener) =>
        subscribe<CapturePickRequest>(ipc, IpcChannel.capturePickRequest, listener),
      onPickCancelled: (listener) =>
        subscribe<CapturePickCancelled>(ipc, IpcChannel.capturePickCancelled, listener),
      choose: (answer) => invoke(IpcChannel.captureChoose, answer),
      openPermissionSettings: () => invoke(IpcChannel.captureOpenPermissionSettings),
    },
    notify: {
      patientWaiting: (count) => invoke(IpcChannel.notifyPatientWaiting, { count }),
    },
    reports: {
      exportCsv: async (request, onProgress) => {
        const unsubscribe = onProgress
          ? subscribe<ExportProgress>(ipc, IpcChannel.reportsExportProgress, onProgress)
          : () => undefined;
        try {
          return await invoke(IpcChannel.reportsExportCsv, request);
        } finally {
          unsubscribe();
        }
      },
    },
    files: {
      save: (request) => invoke(IpcChannel.filesSave, request),
    },
    recording: {
      open: (suggestedName) => invoke(IpcChannel.recordingOpen, { suggestedName }),
      write: (id, chunk) => invoke(IpcChannel.recordingWrite, { id, chunk }),
      close: (id) => invoke(IpcChannel.recordingClose, { id }),
      abort: (id) => invoke(IpcChannel.recordingAbort, { id }),
    },
  };
}
