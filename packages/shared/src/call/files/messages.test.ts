import { describe, expect, it } from 'vitest';
import type { FileTransfer } from './FileChannel.js';
import { fileRefusalKey, fileStatus, formatFileSize } from './messages.js';

const transfer = (over: Partial<FileTransfer>): FileTransfer =>
  ({
    id: 'f1',
    peerId: 'p1',
    name: 'scan.pdf',
    type: 'application/pdf',
    size: 4000,
    bytes: 0,
    direction: 'send',
    status: 'offered',
    ...over,
  }) as FileTransfer;

describe('fileStatus', () => {
  it('maps each state to one message key, with its values', () => {
    expect(fileStatus(transfer({ status: 'offered' }))).toEqual({ key: 'waiting' });
    expect(fileStatus(transfer({ status: 'transferring', bytes: 1999 }))).toEqual({
      key: 'progress',
      percent: 49,
    });
    expect(fileStatus(transfer({ status: 'accepted', size: 0 }))).toEqual({
      key: 'progress',
      percent: 0,
    });
    expect(fileStatus(transfer({ status: 'complete', direction: 'receive' }))).toEqual({
      key: 'received',
    });
    expect(fileStatus(transfer({ status: 'complete' }))).toEqual({ key: 'delivered' });
    expect(fileStatus(transfer({ status: 'declined', by: 'peer' }))).toEqual({
      key: 'declined',
      byPeer: true,
    });
    expect(fileStatus(transfer({ status: 'cancelled', by: 'me' }))).toEqual({
      key: 'cancelled',
      byPeer: false,
    });
    expect(fileStatus(transfer({ status: 'failed', reason: 'integrity' }))).toEqual({
      key: 'integrity',
    });
    expect(fileStatus(transfer({ status: 'failed', reason: 'protocol' }))).toEqual({
      key: 'failed',
    });
  });
  it('names a refusal, and an unknown reason from the wire as a type not allowed', () => {
    expect(fileStatus(transfer({ status: 'refused', reason: 'too-large' }))).toEqual({
      key: 'refused',
      refusal: 'tooLarge',
    });
    expect(fileStatus(transfer({ status: 'refused', reason: 'closed' }))).toEqual({
      key: 'refused',
      refusal: 'typeNotAllowed',
    });
    expect(fileRefusalKey('not-connected')).toBe('notConnected');
  });
});

describe('formatFileSize', () => {
  it('uses MB from 1 MiB, KB below, never 0 KB, and the locale’s numbers', () => {
    expect(formatFileSize(5 * 1024 * 1024, 'en')).toBe('5 MB');
    expect(formatFileSize(1.5 * 1024 * 1024, 'es')).toBe('1,5 MB');
    expect(formatFileSize(10, 'en')).toBe('1 KB');
    expect(formatFileSize(12 * 1024, 'ar')).toBe(new Intl.NumberFormat('ar').format(12) + ' KB');
  });
});
