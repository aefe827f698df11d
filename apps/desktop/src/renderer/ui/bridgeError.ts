// Pure: what the doctor reads when a bridge call fails. Main's IPC handlers (and the browser
// bridge standing in for them) answer `{ code, message }` with the message in English for
// developers; a screen words the *code* from the catalog, per operation. The raw message is
// shown nowhere; log the code (the renderer's logger redacts `message` fields anyway).
import type { ErrorBody, ErrorCode } from '@bedside/shared';
import type { MessageId, T } from '../i18n/i18n';

type Wording = { fallback: MessageId; codes: Partial<Record<ErrorCode, MessageId>> };

/** Any operation: the sender check refused the window, or a handler threw. */
const COMMON: Partial<Record<ErrorCode, MessageId>> = {
  forbidden: 'bridgeError.forbidden',
  internal: 'bridgeError.internal',
};

// The codes each operation's handler returns: main/recording/recordingFiles.ts,
// main/reports/exportCsv.ts (which passes the server's code through, as the browser bridge does),
// settings (only its input check fails).
const OPERATIONS = {
  'files.save': {
    fallback: 'bridgeError.fileSave',
    codes: { 'bad-request': 'bridgeError.fileType', unavailable: 'bridgeError.fileThere' },
  },
  'recording.open': {
    fallback: 'bridgeError.recordingOpen',
    codes: { unavailable: 'bridgeError.recordingThere' },
  },
  'recording.write': {
    fallback: 'bridgeError.recordingWrite',
    codes: { 'not-found': 'bridgeError.recordingGone' },
  },
  'reports.export': {
    fallback: 'mgr.error.export',
    codes: {
      'bad-request': 'bridgeError.exportRequest',
      unauthorized: 'bridgeError.exportSignIn',
      forbidden: 'bridgeError.exportForbidden',
      conflict: 'bridgeError.exportBusy',
      'rate-limited': 'bridgeError.exportRateLimited',
      unavailable: 'bridgeError.exportUnavailable',
    },
  },
  'settings.set': {
    fallback: 'bridgeError.settings',
    codes: { 'bad-request': 'firstRun.error.address' },
  },
} satisfies Record<string, Wording>;

export type BridgeOperation = keyof typeof OPERATIONS;

export function bridgeErrorText(t: T, operation: BridgeOperation, error: ErrorBody): string {
  const wording: Wording = OPERATIONS[operation];
  return t(wording.codes[error.code] ?? COMMON[error.code] ?? wording.fallback);
}
