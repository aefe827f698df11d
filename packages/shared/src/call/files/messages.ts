// Pure: what a file transfer's state says to a person, as a message key and its values, and a
// file's size in a locale. Both apps word the keys in their own catalogs (the patient page in
// each language, the doctor app in English), so the rules live once and the wording twice.
import type { FileTransfer } from './FileChannel.js';
import type { FileRefusal } from './protocol.js';

/** Why a file could not be sent, as a catalog key (`files.<key>` in each app). */
export type FileRefusalKey =
  'tooLarge' | 'typeNotAllowed' | 'contentMismatch' | 'emptyFile' | 'notConnected';

const REFUSAL_KEYS: Record<FileRefusal | 'not-connected', FileRefusalKey> = {
  'too-large': 'tooLarge',
  'type-not-allowed': 'typeNotAllowed',
  'content-mismatch': 'contentMismatch',
  empty: 'emptyFile',
  'not-connected': 'notConnected',
};

export function fileRefusalKey(reason: FileRefusal | 'not-connected'): FileRefusalKey {
  return REFUSAL_KEYS[reason];
}

/** A transfer's status line. `byPeer` tells a decline or cancel by the other side from one's own. */
export type FileStatusMessage =
  | {
      key: 'waiting' | 'incoming' | 'verifying' | 'received' | 'delivered' | 'integrity' | 'failed';
    }
  | { key: 'declined' | 'cancelled'; byPeer: boolean }
  | { key: 'progress'; percent: number }
  | { key: 'refused'; refusal: FileRefusalKey };

export function fileStatus(x: FileTransfer): FileStatusMessage {
  switch (x.status) {
    case 'offered':
      return { key: 'waiting' };
    case 'incoming':
      return { key: 'incoming' };
    case 'accepted':
    case 'transferring':
      return { key: 'progress', percent: Math.floor((x.bytes / Math.max(1, x.size)) * 100) };
    case 'verifying':
      return { key: 'verifying' };
    case 'complete':
      return { key: x.direction === 'receive' ? 'received' : 'delivered' };
    case 'declined':
      return { key: 'declined', byPeer: x.by === 'peer' };
    case 'cancelled':
      return { key: 'cancelled', byPeer: x.by === 'peer' };
    case 'refused': {
      const reason = (x.reason as FileRefusal | undefined) ?? 'type-not-allowed';
      return {
        key: 'refused',
        refusal: fileRefusalKey(reason in REFUSAL_KEYS ? reason : 'type-not-allowed'),
      };
    }
    case 'failed':
      return { key: x.reason === 'integrity' ? 'integrity' : 'failed' };
  }
}

/** "5 MB", "1,5 MB" (es), "12 KB"; never "0 KB". Digits in the locale's own numerals. */
export function formatFileSize(bytes: number, locale: string | undefined): string {
  return bytes >= 1024 * 1024
    ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`
    : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.max(1, bytes / 1024))} KB`;
}
