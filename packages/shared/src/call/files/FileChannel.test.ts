import { describe, expect, it } from 'vitest';
import { fakeDataChannelPair, type FakeDataChannel } from '../testing/FakeDataChannel.js';
import { settle, until } from '../testing/wait.js';
import { silentLogger } from '../logger.js';
import { FileChannel, type FileAuditEvent, type FileTransfer } from './FileChannel.js';
import { FileShare } from './FileShare.js';
import {
  CHUNK_BYTES,
  HIGH_WATER_BYTES,
  MAX_FILE_BYTES,
  checkFileMeta,
  contentMatchesType,
  fileTypeOf,
  sha256Hex,
} from './protocol.js';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngBytes(size: number, seed = 1): Uint8Array {
  const b = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x & 0xff;
  }
  b.set(PNG, 0);
  return b;
}
const fileOf = (bytes: Uint8Array, name: string, type: string) =>
  new File([bytes as BlobPart], name, { type });

interface Side {
  ch: FakeDataChannel;
  files: FileChannel;
  changes: FileTransfer[];
  audit: FileAuditEvent[];
}

function pair(bytesPerTick?: number): [Side, Side] {
  const [a, b] = fakeDataChannelPair(bytesPerTick ? { bytesPerTick } : {});
  const side = (ch: FakeDataChannel, peerId: string): Side => {
    const s: Side = { ch, changes: [], audit: [], files: null as unknown as FileChannel };
    s.files = new FileChannel(ch, {
      peerId,
      logger: silentLogger,
      onChange: (t) => s.changes.push(t),
      onAudit: (e) => s.audit.push(e),
    });
    return s;
  };
  return [side(a, 'peer-b'), side(b, 'peer-a')];
}

const only = (s: Side) => {
  const [t] = s.files.list();
  if (!t) throw new Error('no transfer');
  return t;
};

describe('file rules', () => {
  it('allows photos, PDF and text up to 25 MB, and nothing else', () => {
    expect(checkFileMeta({ size: 1000, type: 'image/jpeg' })).toBeNull();
    expect(checkFileMeta({ size: MAX_FILE_BYTES, type: 'application/pdf' })).toBeNull();
    expect(checkFileMeta({ size: MAX_FILE_BYTES + 1, type: 'application/pdf' })).toBe('too-large');
    expect(checkFileMeta({ size: 0, type: 'text/plain' })).toBe('empty');
    expect(checkFileMeta({ size: 10, type: 'application/x-msdownload' })).toBe('type-not-allowed');
    expect(checkFileMeta({ size: 10, type: 'image/svg+xml' })).toBe('type-not-allowed');
  });

  it('takes the type from the extension only when the browser gave none', () => {
    expect(fileTypeOf({ type: '', name: 'IMG_0001.HEIC' })).toBe('image/heic');
    expect(fileTypeOf({ type: 'application/octet-stream', name: 'scan.pdf' })).toBe(
      'application/pdf',
    );
    expect(fileTypeOf({ type: 'application/x-msdownload', name: 'photo.jpg' })).toBeNull();
    expect(fileTypeOf({ type: '', name: 'setup.exe' })).toBeNull();
    expect(fileTypeOf({ type: 'text/plain;charset=utf-8', name: 'a' })).toBe('text/plain');
  });

  it('sniffs content against the declared type', () => {
    expect(contentMatchesType(pngBytes(64), 'image/png')).toBe(true);
    expect(contentMatchesType(pngBytes(64), 'image/jpeg')).toBe(false);
    expect(contentMatchesType(new TextEncoder().encode('%PDF-1.7\n'), 'application/pdf')).toBe(
      true,
    );
    expect(contentMatchesType(new TextEncoder().encode('MZ\0\0'), 'text/plain')).toBe(false);
    expect(contentMatchesType(new TextEncoder().encode('Take 2 a day'), 'text/plain')).toBe(true);
  });
});

describe('FileChannel', () => {
  it('moves 5 MB with back-pressure, progress on both sides and a matching SHA-256', async () => {
    const [a, b] = pair(64 * 1024);
    const bytes = pngBytes(5 * 1024 * 1024);
    let maxBuffered = 0;
    const send = a.ch.send.bind(a.ch);
    a.ch.send = (d) => {
      send(d);
      maxBuffered = Math.max(maxBuffered, a.ch.bufferedAmount);
    };
    const r = await a.files.offer(fileOf(bytes, 'x-ray.png', 'image/png'));
    expect(r.ok).toBe(true);
    await until(() => b.files.list().length === 1, 'the offer');
    const incoming = only(b);
    expect(incoming).toMatchObject({ status: 'incoming', name: 'x-ray.png', size: bytes.length });
    b.files.accept(incoming.id);
    await until(() => only(b).status === 'complete', 'the file', 10_000);
    await until(() => only(a).status === 'complete', 'the sender to hear it arrived');

    const got = new Uint8Array(await only(b).blob!.arrayBuffer());
    expect(await sha256Hex(got)).toBe(await sha256Hex(bytes));
    // Never more queued than the high-water mark plus one chunk.
    expect(maxBuffered).toBeLessThanOrEqual(HIGH_WATER_BYTES + CHUNK_BYTES);
    expect(maxBuffered).toBeGreaterThan(HIGH_WATER_BYTES / 2);
    for (const s of [a, b]) {
      const progress = s.changes.filter((t) => t.status === 'transferring').map((t) => t.bytes);
      expect(new Set(progress).size).toBeGreaterThan(5);
      expect(progress).toEqual([...progress].sort((x, y) => x - y));
    }
  });

  it('lets the receiver decline', async () => {
    const [a, b] = pair();
    await a.files.offer(fileOf(new TextEncoder().encode('rest'), 'a.txt', 'text/plain'));
    await until(() => b.files.list().length === 1);
    b.files.decline(only(b).id);
    await until(() => only(a).status === 'declined');
    expect(only(a)).toMatchObject({ reason: 'declined', by: 'peer' });
    expect(only(b)).toMatchObject({ status: 'declined', by: 'me' });
    expect(a.ch.sent.filter((m) => typeof m !== 'string')).toHaveLength(0);
  });

  for (const who of ['sender', 'receiver'] as const) {
    it(`stops mid-file when the ${who} cancels`, async () => {
      const [a, b] = pair(32 * 1024);
      await a.files.offer(fileOf(pngBytes(4 * 1024 * 1024), 'p.png', 'image/png'));
      await until(() => b.files.list().length === 1);
      b.files.accept(only(b).id);
      await until(() => only(b).bytes > 256 * 1024, 'some bytes');
      const canceller = who === 'sender' ? a : b;
      const other = who === 'sender' ? b : a;
      canceller.files.cancel(only(canceller).id);
      await until(() => only(other).status === 'cancelled', 'the other side to see it');
      expect(only(other).by).toBe('peer');
      expect(only(canceller)).toMatchObject({ status: 'cancelled', by: 'me' });
      const chunks = a.ch.sent.length;
      await settle(50);
      expect(a.ch.sent.length).toBeLessThanOrEqual(chunks + 1);
      expect(only(b).blob).toBeNull();
      expect(canceller.audit.map((e) => e.action)).toContain('cancelled');
    });
  }

  it('refuses an oversized or disallowed file before sending anything', async () => {
    const [a] = pair();
    const big = new File([new Uint8Array(MAX_FILE_BYTES + 1)], 'big.pdf', {
      type: 'application/pdf',
    });
    expect(await a.files.offer(big)).toEqual({ ok: false, reason: 'too-large' });
    const exe = new File([new Uint8Array([0x4d, 0x5a])], 'setup.exe', {
      type: 'application/x-msdownload',
    });
    expect(await a.files.offer(exe)).toEqual({ ok: false, reason: 'type-not-allowed' });
    const renamed = new File([new Uint8Array([0x4d, 0x5a, 0, 0])], 'photo.png', {
      type: 'image/png',
    });
    expect(await a.files.offer(renamed)).toEqual({ ok: false, reason: 'content-mismatch' });
    expect(a.ch.sent).toHaveLength(0);
  });

  it('refuses on the receiving end too, when a peer offers what the rules forbid', async () => {
    const [a, b] = pair();
    // A modified client skips its own checks and offers raw messages.
    const sha = 'a'.repeat(64);
    a.ch.send(
      JSON.stringify({
        t: 'offer',
        id: 'bad-type-1',
        name: 'x.exe',
        size: 10,
        type: 'application/x-msdownload',
        sha256: sha,
      }),
    );
    a.ch.send(
      JSON.stringify({
        t: 'offer',
        id: 'too-big-01',
        name: 'x.pdf',
        size: MAX_FILE_BYTES + 1,
        type: 'application/pdf',
        sha256: sha,
      }),
    );
    const replies: string[] = [];
    a.ch.addEventListener('message', (e) => replies.push((e as MessageEvent).data as string));
    await until(() => replies.length === 2, 'two declines');
    expect(replies.map((r) => JSON.parse(r) as unknown)).toEqual([
      { t: 'decline', id: 'bad-type-1', reason: 'type-not-allowed' },
      { t: 'decline', id: 'too-big-01', reason: 'too-large' },
    ]);
    expect(b.files.list().map((t) => [t.status, t.reason])).toEqual([
      ['refused', 'type-not-allowed'],
      ['refused', 'too-large'],
    ]);
    expect(b.audit.map((e) => e.action)).toEqual(['refused', 'refused']);
  });

  it('fails the integrity check when the bytes do not match the offered SHA-256', async () => {
    const [a, b] = pair();
    const bytes = pngBytes(1000);
    a.ch.binaryType = 'arraybuffer';
    a.ch.send(
      JSON.stringify({
        t: 'offer',
        id: 'tampered-1',
        name: 'p.png',
        size: 1000,
        type: 'image/png',
        sha256: await sha256Hex(pngBytes(1000, 2)),
      }),
    );
    const replies: unknown[] = [];
    a.ch.addEventListener('message', (e) =>
      replies.push(JSON.parse((e as MessageEvent).data as string)),
    );
    await until(() => b.files.list().length === 1);
    b.files.accept('tampered-1');
    await until(() => replies.length === 1);
    a.ch.send(JSON.stringify({ t: 'start', id: 'tampered-1' }));
    a.ch.send(bytes.slice().buffer as ArrayBuffer);
    a.ch.send(JSON.stringify({ t: 'end', id: 'tampered-1' }));
    await until(() => replies.length === 2, 'the verdict');
    expect(replies[1]).toEqual({ t: 'done', id: 'tampered-1', ok: false });
    expect(only(b)).toMatchObject({ status: 'failed', reason: 'integrity', blob: null });
  });

  it('stops a peer sending more bytes than it offered', async () => {
    const [a, b] = pair();
    const bytes = pngBytes(100);
    a.ch.send(
      JSON.stringify({
        t: 'offer',
        id: 'liar-0001',
        name: 'p.png',
        size: 100,
        type: 'image/png',
        sha256: await sha256Hex(bytes),
      }),
    );
    await until(() => b.files.list().length === 1);
    b.files.accept('liar-0001');
    a.ch.send(JSON.stringify({ t: 'start', id: 'liar-0001' }));
    a.ch.send(pngBytes(200).buffer as ArrayBuffer);
    await until(() => only(b).status === 'failed');
    expect(only(b).reason).toBe('too-large');
  });

  it('fails unfinished transfers on both sides when the channel closes', async () => {
    const [a, b] = pair(16 * 1024);
    await a.files.offer(fileOf(pngBytes(2 * 1024 * 1024), 'p.png', 'image/png'));
    await until(() => b.files.list().length === 1);
    b.files.accept(only(b).id);
    await until(() => only(b).bytes > 0);
    a.ch.close();
    await until(() => only(a).status === 'failed' && only(b).status === 'failed');
    expect(only(a).reason).toBe('closed');
  });

  it('audits metadata only, never the file name', async () => {
    const [a, b] = pair();
    await a.files.offer(
      fileOf(new TextEncoder().encode('two a day'), 'Jane Doe results.txt', 'text/plain'),
    );
    await until(() => b.files.list().length === 1);
    b.files.accept(only(b).id);
    await until(() => only(b).status === 'complete');
    const events = [...a.audit, ...b.audit];
    expect(events.map((e) => e.action)).toEqual(['offered', 'accepted', 'completed']);
    expect(JSON.stringify(events)).not.toContain('Jane');
    expect(events[0]).toEqual({
      transferId: only(a).id,
      peerId: 'peer-b',
      action: 'offered',
      size: 9,
      type: 'text/plain',
    });
  });
});

describe('FileShare', () => {
  it('sends to the chosen recipients only, each with its own transfer', async () => {
    const doctor = new FileShare();
    const [d1, p] = fakeDataChannelPair();
    const [d2, g] = fakeDataChannelPair();
    const [d3, c] = fakeDataChannelPair();
    doctor.attach({ id: 'patient', name: 'P' }, d1);
    doctor.attach({ id: 'interpreter', name: 'I' }, d2);
    doctor.attach({ id: 'caregiver', name: 'C' }, d3);
    const receivers = [p, g, c].map((ch) => {
      const share = new FileShare();
      share.attach({ id: 'doctor', name: 'D' }, ch);
      return share;
    });
    expect(doctor.getSnapshot().peers.map((x) => x.id)).toEqual([
      'patient',
      'interpreter',
      'caregiver',
    ]);
    const results = await doctor.send(
      fileOf(new TextEncoder().encode('instructions'), 'care.txt', 'text/plain'),
      ['patient', 'caregiver'],
    );
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    await until(() => receivers[0]!.getSnapshot().transfers.length === 1);
    await until(() => receivers[2]!.getSnapshot().transfers.length === 1);
    await settle(20);
    expect(receivers[1]!.getSnapshot().transfers).toHaveLength(0);
    expect(
      doctor
        .getSnapshot()
        .transfers.map((t) => t.peerId)
        .sort(),
    ).toEqual(['caregiver', 'patient']);
    expect(
      await doctor.send(fileOf(new TextEncoder().encode('x'), 'a.txt', 'text/plain'), ['gone']),
    ).toEqual([{ ok: false, reason: 'not-connected' }]);
  });
});
