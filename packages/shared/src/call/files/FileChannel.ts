// DOM, framework-free: file transfers with one peer over one RTCDataChannel (see protocol.ts
// for the wire). Both directions share the channel; each side enforces the size limit and the
// type allowlist, checks SHA-256 and content type before a received file is offered for
// saving, and may cancel at any time. Sending honours back-pressure: above HIGH_WATER_BYTES
// buffered it waits for `bufferedamountlow` instead of filling the browser's send queue (which
// closes the channel when it overflows, in Chromium at 16 MB).
import type { Logger } from '../logger.js';
import {
  CHUNK_BYTES,
  HIGH_WATER_BYTES,
  LOW_WATER_BYTES,
  MAX_FILE_NAME,
  checkFileMeta,
  contentMatchesType,
  fileTypeOf,
  parseFileMessage,
  sha256Hex,
  type AllowedType,
  type CancelReason,
  type DeclineReason,
  type FileMessage,
  type FileRefusal,
} from './protocol.js';

/** The part of RTCDataChannel used here (and implemented by the test fake). */
export interface DataChannelLike {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: BinaryType;
  send(data: string | ArrayBuffer): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

export type TransferStatus =
  /** Sender: waiting for the receiver's answer. */
  | 'offered'
  /** Receiver: waiting for our answer. */
  | 'incoming'
  /** Accepted; bytes not flowing yet (another transfer is using the channel). */
  | 'accepted'
  | 'transferring'
  /** All bytes across; SHA-256 and content check under way (the sender waits for the verdict). */
  | 'verifying'
  /** Receiver: verified, `blob` ready to save. Sender: the receiver confirmed. */
  | 'complete'
  | 'declined'
  | 'cancelled'
  | 'failed'
  /** Refused by the rules (size, type, content) on either end. */
  | 'refused';

export const isFinished = (s: TransferStatus): boolean =>
  s === 'complete' || s === 'declined' || s === 'cancelled' || s === 'failed' || s === 'refused';

export interface FileTransfer {
  readonly id: string;
  readonly peerId: string;
  readonly direction: 'send' | 'receive';
  /** Shown to the two people only; never logged or audited. */
  readonly name: string;
  readonly size: number;
  readonly type: string;
  /** Bytes across so far (sender: handed to the network, not just queued). */
  readonly bytes: number;
  readonly status: TransferStatus;
  /** Why it was declined, refused, cancelled or failed. */
  readonly reason: DeclineReason | CancelReason | FileRefusal | null;
  /** Who ended it, for declined / cancelled / refused. */
  readonly by: 'me' | 'peer' | null;
  readonly sha256: string;
  /** Receiver, once complete. */
  readonly blob: Blob | null;
}

/** What the audit gets: metadata only — no name, no content. */
export interface FileAuditEvent {
  transferId: string;
  peerId: string;
  action: 'offered' | 'accepted' | 'declined' | 'refused' | 'completed' | 'cancelled' | 'failed';
  size: number;
  type: string;
}

export interface FileChannelOptions {
  peerId: string;
  logger: Logger;
  onChange(transfer: FileTransfer): void;
  onAudit?(event: FileAuditEvent): void;
  newId?: () => string;
}

export type OfferResult =
  { ok: true; transfer: FileTransfer } | { ok: false; reason: FileRefusal | 'not-connected' };

/** Progress events at most every this many bytes (plus the first and the last). */
const PROGRESS_STEP = 256 * 1024;

interface Outgoing {
  data: Uint8Array;
  sent: number;
}
interface Incoming {
  chunks: ArrayBuffer[];
}

const sanitizeName = (name: string) =>
  // Path separators and control characters never reach a save dialog or a download name.
  // eslint-disable-next-line no-control-regex
  name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, MAX_FILE_NAME) || 'file';

export class FileChannel {
  private readonly ch: DataChannelLike;
  private readonly o: FileChannelOptions;
  private readonly transfers = new Map<string, FileTransfer>();
  private readonly outgoing = new Map<string, Outgoing>();
  private readonly incoming = new Map<string, Incoming>();
  /** Accepted outgoing transfers waiting for the channel, in order. */
  private readonly sendQueue: string[] = [];
  private pumping = false;
  /** The incoming transfer the next binary messages belong to (last `start` from the peer). */
  private receivingId: string | null = null;
  private closed = false;
  private readonly offs: Array<() => void> = [];
  private lowWaiter: (() => void) | null = null;

  constructor(channel: DataChannelLike, options: FileChannelOptions) {
    this.ch = channel;
    this.o = options;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    this.listen('message', (e) => this.onMessage((e as MessageEvent).data));
    this.listen('bufferedamountlow', () => this.wake());
    this.listen('close', () => this.onClose());
  }

  private listen(type: string, fn: (e: Event) => void): void {
    this.ch.addEventListener(type, fn);
    this.offs.push(() => this.ch.removeEventListener(type, fn));
  }

  get open(): boolean {
    return !this.closed && this.ch.readyState === 'open';
  }

  list(): FileTransfer[] {
    return [...this.transfers.values()];
  }

  get(id: string): FileTransfer | undefined {
    return this.transfers.get(id);
  }

  /** Offers a file to the peer. Refused before anything is sent when it breaks the rules. */
  async offer(file: Blob & { name: string }): Promise<OfferResult> {
    const type = fileTypeOf(file);
    const refusal = type ? checkFileMeta({ size: file.size, type }) : 'type-not-allowed';
    if (refusal || !type) return { ok: false, reason: refusal ?? 'type-not-allowed' };
    const data = new Uint8Array(await file.arrayBuffer());
    if (!contentMatchesType(data.subarray(0, 1024), type))
      return { ok: false, reason: 'content-mismatch' };
    if (!this.open) return { ok: false, reason: 'not-connected' };
    const sha256 = await sha256Hex(data);
    const id = this.o.newId?.() ?? crypto.randomUUID();
    const name = sanitizeName(file.name);
    const t = this.put({
      id,
      peerId: this.o.peerId,
      direction: 'send',
      name,
      size: data.byteLength,
      type,
      bytes: 0,
      status: 'offered',
      reason: null,
      by: null,
      sha256,
      blob: null,
    });
    this.outgoing.set(id, { data, sent: 0 });
    this.sendJson({ t: 'offer', id, name, size: data.byteLength, type, sha256 });
    this.audit(t, 'offered');
    return { ok: true, transfer: t };
  }

  accept(id: string): void {
    const t = this.transfers.get(id);
    if (t?.direction !== 'receive' || t.status !== 'incoming') return;
    this.incoming.set(id, { chunks: [] });
    this.update(id, { status: 'accepted' });
    this.sendJson({ t: 'accept', id });
    this.audit(t, 'accepted');
  }

  decline(id: string): void {
    const t = this.transfers.get(id);
    if (t?.direction !== 'receive' || t.status !== 'incoming') return;
    this.update(id, { status: 'declined', reason: 'declined', by: 'me' });
    this.sendJson({ t: 'decline', id, reason: 'declined' });
    this.audit(t, 'declined');
  }

  /** Either side, any time before it finished. */
  cancel(id: string): void {
    const t = this.transfers.get(id);
    if (!t || isFinished(t.status)) return;
    if (this.receivingId === id) this.receivingId = null;
    this.sendJson({ t: 'cancel', id, reason: 'cancelled' });
    this.end(id, { status: 'cancelled', reason: 'cancelled', by: 'me' });
    this.audit(t, 'cancelled');
  }

  /** Stops listening; unfinished transfers fail. The channel itself belongs to its peer connection. */
  dispose(): void {
    this.onClose();
    for (const off of this.offs.splice(0)) off();
  }

  // ---- internals ----------------------------------------------------------------------------

  private put(t: FileTransfer): FileTransfer {
    this.transfers.set(t.id, t);
    this.o.onChange(t);
    return t;
  }

  private update(id: string, patch: Partial<FileTransfer>): FileTransfer | undefined {
    const t = this.transfers.get(id);
    if (!t) return undefined;
    return this.put({ ...t, ...patch });
  }

  /** Moves a transfer to a final state and frees its bytes. */
  private end(id: string, patch: Partial<FileTransfer>): void {
    this.outgoing.delete(id);
    this.incoming.delete(id);
    const i = this.sendQueue.indexOf(id);
    if (i >= 0) this.sendQueue.splice(i, 1);
    this.update(id, patch);
    this.wake();
  }

  private audit(t: FileTransfer, action: FileAuditEvent['action']): void {
    this.o.onAudit?.({ transferId: t.id, peerId: t.peerId, action, size: t.size, type: t.type });
  }

  private sendJson(m: FileMessage): void {
    if (!this.open) return;
    try {
      this.ch.send(JSON.stringify(m));
    } catch (err) {
      // The channel closed between the check and the send; its close event fails the rest.
      this.o.logger.warn('file channel send failed', {
        kind: m.t,
        error: String(err).slice(0, 80),
      });
    }
  }

  private wake(): void {
    const w = this.lowWaiter;
    this.lowWaiter = null;
    w?.();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.transfers.values()) {
      if (!isFinished(t.status)) {
        this.end(t.id, { status: 'failed', reason: 'closed' });
        this.audit(t, 'failed');
      }
    }
    this.wake();
  }

  private onMessage(data: unknown): void {
    if (typeof data === 'string') {
      const m = parseFileMessage(data);
      if (!m) {
        this.o.logger.warn('file channel: malformed message dropped');
        return;
      }
      this.onControl(m);
      return;
    }
    if (data instanceof ArrayBuffer) this.onChunk(data);
  }

  private onControl(m: FileMessage): void {
    const t = this.transfers.get(m.id);
    switch (m.t) {
      case 'offer': {
        if (t) return; // a repeated id is ignored, never overwritten
        const type = m.type as AllowedType;
        const refusal = checkFileMeta({ size: m.size, type });
        const incoming = this.put({
          id: m.id,
          peerId: this.o.peerId,
          direction: 'receive',
          name: sanitizeName(m.name),
          size: m.size,
          type: m.type,
          bytes: 0,
          status: refusal ? 'refused' : 'incoming',
          reason: refusal,
          by: refusal ? 'me' : null,
          sha256: m.sha256,
          blob: null,
        });
        if (refusal) {
          this.sendJson({ t: 'decline', id: m.id, reason: refusal });
          this.audit(incoming, 'refused');
        }
        return;
      }
      case 'accept':
        if (t?.direction !== 'send' || t.status !== 'offered') return;
        this.update(m.id, { status: 'accepted' });
        this.sendQueue.push(m.id);
        void this.pump();
        return;
      case 'decline':
        if (t?.direction !== 'send' || t.status !== 'offered') return;
        this.end(m.id, {
          status: m.reason === 'declined' ? 'declined' : 'refused',
          reason: m.reason,
          by: 'peer',
        });
        return;
      case 'start':
        if (t?.direction !== 'receive' || t.status !== 'accepted') {
          // Bytes for a transfer we cancelled may still be in flight: drop them.
          this.receivingId = null;
          return;
        }
        this.receivingId = m.id;
        this.update(m.id, { status: 'transferring' });
        return;
      case 'end':
        if (this.receivingId === m.id) this.receivingId = null;
        if (t?.direction !== 'receive' || t.status !== 'transferring') return;
        void this.verify(t);
        return;
      case 'done':
        if (t?.direction !== 'send' || t.status !== 'verifying') return;
        this.end(m.id, m.ok ? { status: 'complete' } : { status: 'failed', reason: 'integrity' });
        return;
      case 'cancel':
        if (!t || isFinished(t.status)) return;
        if (this.receivingId === m.id) this.receivingId = null;
        this.end(m.id, {
          status: m.reason === 'cancelled' ? 'cancelled' : 'failed',
          reason: m.reason,
          by: 'peer',
        });
        return;
      default: {
        const never: never = m;
        return never;
      }
    }
  }

  private onChunk(chunk: ArrayBuffer): void {
    const id = this.receivingId;
    const inc = id ? this.incoming.get(id) : undefined;
    const t = id ? this.transfers.get(id) : undefined;
    if (!id || !inc || !t) return;
    const bytes = t.bytes + chunk.byteLength;
    if (bytes > t.size) {
      // More than offered: the peer is broken or lying; stop before it fills our memory.
      this.receivingId = null;
      this.sendJson({ t: 'cancel', id, reason: 'too-large' });
      this.end(id, { status: 'failed', reason: 'too-large' });
      this.audit(t, 'failed');
      return;
    }
    inc.chunks.push(chunk);
    const step = Math.floor(bytes / PROGRESS_STEP) !== Math.floor(t.bytes / PROGRESS_STEP);
    if (step || bytes === t.size || t.bytes === 0) this.update(id, { bytes });
    else this.transfers.set(id, { ...t, bytes });
  }

  private async verify(t: FileTransfer): Promise<void> {
    const inc = this.incoming.get(t.id);
    if (!inc) return;
    const received = this.transfers.get(t.id)!;
    this.update(t.id, { status: 'verifying', bytes: received.bytes });
    const blob = new Blob(inc.chunks, { type: t.type });
    inc.chunks = [];
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const sha = await sha256Hex(bytes);
    // Cancelled or closed while hashing.
    if (this.transfers.get(t.id)?.status !== 'verifying') return;
    let failure: Partial<FileTransfer> | null = null;
    if (bytes.byteLength !== t.size || sha !== t.sha256)
      failure = { status: 'failed', reason: 'integrity' };
    else if (!contentMatchesType(bytes.subarray(0, 1024), t.type as AllowedType))
      failure = { status: 'refused', reason: 'content-mismatch', by: 'me' };
    this.sendJson({ t: 'done', id: t.id, ok: failure === null });
    if (failure) {
      this.end(t.id, failure);
      this.audit(t, failure.status === 'refused' ? 'refused' : 'failed');
      return;
    }
    this.incoming.delete(t.id);
    this.update(t.id, { status: 'complete', blob });
    this.audit(t, 'completed');
  }

  /** Sends accepted transfers one after another, chunk by chunk, under back-pressure. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let id = this.sendQueue.shift(); id; id = this.sendQueue.shift()) {
        await this.sendOne(id);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async sendOne(id: string): Promise<void> {
    const out = this.outgoing.get(id);
    if (!out || !this.open) return;
    this.sendJson({ t: 'start', id });
    this.update(id, { status: 'transferring' });
    let reported = 0;
    while (out.sent < out.data.byteLength) {
      if (!this.outgoing.has(id) || !this.open) return; // cancelled or closed
      if (this.ch.bufferedAmount > HIGH_WATER_BYTES) {
        await new Promise<void>((resolve) => {
          this.lowWaiter = resolve;
        });
        continue;
      }
      const end = Math.min(out.sent + CHUNK_BYTES, out.data.byteLength);
      // A copy: `send` takes an ArrayBuffer, and a view's buffer is the whole file.
      const chunk = out.data.slice(out.sent, end).buffer;
      try {
        this.ch.send(chunk);
      } catch (err) {
        this.o.logger.warn('file chunk send failed', { error: String(err).slice(0, 80) });
        return;
      }
      out.sent = end;
      const across = Math.max(0, out.sent - this.ch.bufferedAmount);
      if (across - reported >= PROGRESS_STEP) {
        reported = across;
        this.update(id, { bytes: across });
      }
    }
    this.sendJson({ t: 'end', id });
    this.outgoing.delete(id);
    this.update(id, { status: 'verifying', bytes: out.data.byteLength });
  }
}
