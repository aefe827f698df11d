// Main process. The handler for each channel of the IPC contract (IpcChannel in
// packages/shared). Inputs are parsed by the contract's zod schemas in register.ts before these
// run; each returns a Result.

import {
  CaptureChooseSchema,
  ExportCsvSchema,
  IpcChannel,
  OpenExternalSchema,
  PatientWaitingSchema,
  RecordingIdSchema,
  RecordingOpenSchema,
  RecordingWriteSchema,
  SaveFileSchema,
  SettingsPatchSchema,
  TokenSchema,
  fail,
  ok,
  type AppInfo,
} from '@bedside/shared';
import type { ShellLike } from '../electron.js';
import type { CapturePicker } from '../capture/picker.js';
import type { PatientWaitingNotifier } from '../notifications/patientWaiting.js';
import type { CsvExporter } from '../reports/exportCsv.js';
import type { RecordingFiles } from '../recording/recordingFiles.js';
import { isSafeExternalUrl } from '../security/navigation.js';
import type { SettingsService } from '../settings/settingsService.js';
import type { TokenVault } from '../settings/tokenVault.js';
import { handler, type HandlerMap } from './register.js';

export interface HandlerDeps {
  appInfo(): Omit<AppInfo, 'secureStorage'>;
  settings: SettingsService;
  vault: TokenVault;
  picker: CapturePicker;
  notifier: PatientWaitingNotifier;
  exporter: CsvExporter;
  recordings: RecordingFiles;
  shell: ShellLike;
  /** Opens the OS pane where screen recording is allowed; false where there is none. */
  openScreenPermissionSettings(): Promise<boolean>;
}

/** Channels main sends on (main → renderer); they have no handler. */
export const EVENT_CHANNELS: ReadonlySet<string> = new Set([
  IpcChannel.capturePickRequest,
  IpcChannel.capturePickCancelled,
  IpcChannel.reportsExportProgress,
  IpcChannel.sessionCleared,
]);

export function createIpcHandlers(deps: HandlerDeps): HandlerMap {
  const map = {
    [IpcChannel.appGetInfo]: handler(null, () =>
      ok<AppInfo>({ ...deps.appInfo(), secureStorage: deps.vault.isSecure() }),
    ),
    [IpcChannel.appOpenExternal]: handler(OpenExternalSchema, async ({ url }) => {
      if (!isSafeExternalUrl(url)) return fail('bad-request', 'Only web and mail links open.');
      await deps.shell.openExternal(url);
      return ok(null);
    }),
    [IpcChannel.settingsGet]: handler(null, () => ok(deps.settings.get())),
    [IpcChannel.settingsSet]: handler(SettingsPatchSchema, (patch) =>
      ok(deps.settings.update(patch)),
    ),
    [IpcChannel.sessionGetToken]: handler(null, () => ok(deps.vault.get())),
    [IpcChannel.sessionSetToken]: handler(TokenSchema, ({ token }) => {
      deps.vault.set(token);
      return ok(null);
    }),
    [IpcChannel.captureChoose]: handler(CaptureChooseSchema, (answer, event) =>
      deps.picker.choose(answer, event.senderFrame),
    ),
    [IpcChannel.captureOpenPermissionSettings]: handler(null, async () =>
      (await deps.openScreenPermissionSettings())
        ? ok(null)
        : fail('not-found', 'This system has no screen-recording permission setting.'),
    ),
    [IpcChannel.notifyPatientWaiting]: handler(PatientWaitingSchema, ({ count }) => {
      deps.notifier.update(count);
      return ok(null);
    }),
    [IpcChannel.reportsExportCsv]: handler(ExportCsvSchema, (request, event) =>
      deps.exporter.export(request, (progress) => {
        const frame = event.senderFrame;
        if (frame && !frame.isDestroyed?.()) frame.send(IpcChannel.reportsExportProgress, progress);
      }),
    ),
    [IpcChannel.filesSave]: handler(SaveFileSchema, (request) => deps.recordings.saveFile(request)),
    [IpcChannel.recordingOpen]: handler(RecordingOpenSchema, ({ suggestedName }, event) =>
      deps.recordings.openRecording(event.sender.id, suggestedName),
    ),
    [IpcChannel.recordingWrite]: handler(RecordingWriteSchema, ({ id, chunk }, event) =>
      deps.recordings.write(event.sender.id, id, chunk),
    ),
    [IpcChannel.recordingClose]: handler(RecordingIdSchema, ({ id }, event) =>
      deps.recordings.close(event.sender.id, id),
    ),
    [IpcChannel.recordingAbort]: handler(RecordingIdSchema, ({ id }, event) =>
      deps.recordings.abort(event.sender.id, id),
    ),
  };
  return map as unknown as HandlerMap;
}
