// Pure: the desktop app's IPC contract. One channel per operation (`domain:verb`); the preload
// exposes one named function per channel as `window.bedside`; main parses every input here.
import { z } from 'zod';
import type { Result } from './common.js';

export const SettingsSchema = z.object({
  /** Base URL of the Bedside service; null until the first-run screen asks for it. */
  serverUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable(),
  preferredCameraId: z.string().max(512).nullable(),
  preferredMicrophoneId: z.string().max(512).nullable(),
  preferredSpeakerId: z.string().max(512).nullable(),
  /** Sign out after this many idle minutes (5–240). */
  idleTimeoutMinutes: z.number().int().min(5).max(240),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = {
  serverUrl: null,
  preferredCameraId: null,
  preferredMicrophoneId: null,
  preferredSpeakerId: null,
  idleTimeoutMinutes: 15,
};
export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  /** Whether the session token can be encrypted at rest (Electron safeStorage). */
  secureStorage: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const CaptureSourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['screen', 'window']),
  /** data: URL (PNG) */
  thumbnail: z.string(),
  appIcon: z.string().nullable(),
});
export type CaptureSource = z.infer<typeof CaptureSourceSchema>;

/** main → renderer: a `getDisplayMedia` call waits for the user's choice. */
export const CapturePickRequestSchema = z.object({
  requestId: z.string().uuid(),
  sources: z.array(CaptureSourceSchema),
  /** System audio can be offered (Windows; loopback). */
  audioAvailable: z.boolean(),
  /**
   * Set when nothing can be shared yet: on macOS the app lacks the Screen Recording permission
   * (sharing would send a black picture). `sources` is then empty; the renderer shows the
   * `permission-denied` state and may offer `capture.openPermissionSettings()`.
   */
  blocked: z.enum(['screen-permission']).optional(),
});
export type CapturePickRequest = z.infer<typeof CapturePickRequestSchema>;

/** main → renderer: main answered a pick request itself (timed out, or cancelled on quit). */
export const CapturePickCancelledSchema = z.strictObject({
  requestId: z.string().uuid(),
  reason: z.enum(['timeout', 'cancelled']),
});
export type CapturePickCancelled = z.infer<typeof CapturePickCancelledSchema>;

/** Picker state in the renderer, as a union rather than flags. */
export type CapturePickerState =
  | { kind: 'closed' }
  | {
      kind: 'open';
      request: CapturePickRequest;
      tab: 'screen' | 'window';
      selectedId: string | null;
    }
  | { kind: 'permission-denied'; platform: string };

/** renderer → main: the answer; `sourceId: null` cancels. */
export const CaptureChooseSchema = z.strictObject({
  requestId: z.string().uuid(),
  sourceId: z.string().max(256).nullable(),
  audio: z.boolean().default(false),
});
export type CaptureChoose = z.infer<typeof CaptureChooseSchema>;

export const OpenExternalSchema = z.strictObject({ url: z.url({ protocol: /^(https|mailto)$/ }) });

export const TokenSchema = z.strictObject({ token: z.string().min(1).max(4096).nullable() });

export const PatientWaitingSchema = z.strictObject({
  /** Patients now waiting; 0 clears the badge. No names: notifications may show on a shared screen. */
  count: z.number().int().min(0).max(999),
});

export const ExportCsvSchema = z.strictObject({
  /** Query string for GET /api/reports/call-durations (format=csv is added). */
  query: z.record(z.string(), z.string().max(128)),
  suggestedName: z
    .string()
    .max(200)
    .regex(/^[\w .-]+\.csv$/),
});
export type ExportCsvRequest = z.infer<typeof ExportCsvSchema>;
export const ExportProgressSchema = z.object({ bytes: z.number(), done: z.boolean() });
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

// ---- files and recordings (see docs/recording-and-files.md) ------------------------------------

/** 25 MB, as the file-transfer limit; a received file is saved in one call. */
export const MAX_SAVED_FILE_BYTES = 25 * 1024 * 1024;
/** One MediaRecorder chunk (1 s of 1.5 Mbit/s video is ~190 KB); 8 MB bounds a stalled writer. */
export const MAX_RECORDING_CHUNK_BYTES = 8 * 1024 * 1024;

const SafeFileNameSchema = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex
  .refine((n) => !/[\u0000-\u001f\u007f/\\]/.test(n), 'no path separators or control characters');

export const SaveFileSchema = z.strictObject({
  suggestedName: SafeFileNameSchema,
  type: z.string().max(128),
  data: z.instanceof(Uint8Array).refine((d) => d.byteLength <= MAX_SAVED_FILE_BYTES, 'too large'),
});
export type SaveFileRequest = z.infer<typeof SaveFileSchema>;

export const RecordingOpenSchema = z.strictObject({
  suggestedName: SafeFileNameSchema.refine((n) => n.endsWith('.webm'), 'a .webm name'),
});
export const RecordingIdSchema = z.strictObject({ id: z.string().uuid() });
export const RecordingWriteSchema = z.strictObject({
  id: z.string().uuid(),
  chunk: z
    .instanceof(Uint8Array)
    .refine((d) => d.byteLength <= MAX_RECORDING_CHUNK_BYTES, 'chunk too large'),
});

/** Channel names: `domain:verb`. */
export const IpcChannel = {
  appGetInfo: 'app:get-info',
  appOpenExternal: 'app:open-external',
  settingsGet: 'settings:get',
  settingsSet: 'settings:set',
  sessionGetToken: 'session:get-token',
  sessionSetToken: 'session:set-token',
  captureChoose: 'capture:choose',
  capturePickRequest: 'capture:pick-request',
  capturePickCancelled: 'capture:pick-cancelled',
  captureOpenPermissionSettings: 'capture:open-permission-settings',
  /** main → renderer: the stored session was cleared (screen locked, system suspended). */
  sessionCleared: 'session:cleared',
  notifyPatientWaiting: 'notify:patient-waiting',
  reportsExportCsv: 'reports:export-csv',
  reportsExportProgress: 'reports:export-progress',
  filesSave: 'files:save',
  recordingOpen: 'recording:open',
  recordingWrite: 'recording:write',
  recordingClose: 'recording:close',
  recordingAbort: 'recording:abort',
} as const;

/**
 * `window.bedside`: what the preload exposes in Electron, and what the browser stand-in
 * implements for tests (there `getDisplayMedia` shows Chromium's own picker).
 */
export interface BedsideBridge {
  readonly kind: 'electron' | 'browser';
  app: {
    getInfo(): Promise<Result<AppInfo>>;
    openExternal(url: string): Promise<Result<null>>;
  };
  settings: {
    get(): Promise<Result<Settings>>;
    set(patch: SettingsPatch): Promise<Result<Settings>>;
  };
  session: {
    getToken(): Promise<Result<string | null>>;
    setToken(token: string | null): Promise<Result<null>>;
    /**
     * Electron only: main cleared the session (screen locked or system suspended, on a shared
     * clinic workstation); the renderer signs out. Returns an unsubscribe function.
     */
    onCleared?(listener: () => void): () => void;
  };
  capture: {
    /** Subscribe to pick requests; returns an unsubscribe function. */
    onPickRequest(listener: (request: CapturePickRequest) => void): () => void;
    /** Electron only: main closed a pick request (timeout, quit); returns an unsubscribe function. */
    onPickCancelled?(listener: (cancel: CapturePickCancelled) => void): () => void;
    choose(answer: CaptureChoose): Promise<Result<null>>;
    /** Electron on macOS only: opens System Settings › Privacy & Security › Screen Recording. */
    openPermissionSettings?(): Promise<Result<null>>;
  };
  notify: {
    patientWaiting(count: number): Promise<Result<null>>;
  };
  reports: {
    /** Asks where to save, then streams the CSV there; resolves with the saved path, or null if cancelled. */
    exportCsv(
      request: ExportCsvRequest,
      onProgress?: (progress: ExportProgress) => void,
    ): Promise<Result<{ path: string | null; bytes: number }>>;
  };
  files: {
    /** A received, verified file: a save dialog in Electron, a download in the browser. */
    save(request: SaveFileRequest): Promise<Result<{ path: string | null }>>;
  };
  recording: {
    /** Asks where to save; null when cancelled. The file grows as chunks are written. */
    open(suggestedName: string): Promise<Result<{ id: string } | null>>;
    write(id: string, chunk: Uint8Array): Promise<Result<null>>;
    /** Completes the file (Electron: renames the `.part` into place; browser: downloads). */
    close(id: string): Promise<Result<{ path: string | null; bytes: number }>>;
    /** Discards what was written. */
    abort(id: string): Promise<Result<null>>;
  };
}
