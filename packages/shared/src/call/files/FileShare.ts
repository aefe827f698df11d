// DOM, framework-free: every peer's file channel in one place, as one snapshot for a UI. With
// more than two people the sender picks the recipients; each gets its own transfer (own
// accept / decline, own progress), because each pair has its own peer connection.
import { silentLogger, type Logger } from '../logger.js';
import { checkFileMeta, fileTypeOf, type FileRefusal } from './protocol.js';
import {
  FileChannel,
  type DataChannelLike,
  type FileAuditEvent,
  type FileTransfer,
  type OfferResult,
} from './FileChannel.js';

export const FILE_CHANNEL_LABEL = 'bedside-files';

/**
 * The file channel of a new peer connection. The side that offers first creates it, so it
 * rides in that first offer; the other side receives it (`datachannel`). Not a negotiated
 * channel created on both sides: the answerer's own channel would fire negotiationneeded,
 * its polite offer would collide with the initiator's and be rolled back, and Chromium then
 * rejects the data m-section for good (port 0) — no channel, and renegotiation forever.
 * Returns a function that stops waiting.
 */
export function fileDataChannel(
  pc: RTCPeerConnection,
  initiator: boolean,
  onChannel: (channel: RTCDataChannel) => void,
): () => void {
  if (initiator) {
    onChannel(pc.createDataChannel(FILE_CHANNEL_LABEL, { ordered: true }));
    return () => {};
  }
  let got = false;
  const onDataChannel = (e: RTCDataChannelEvent) => {
    if (got || e.channel.label !== FILE_CHANNEL_LABEL) return;
    got = true;
    onChannel(e.channel);
  };
  pc.addEventListener('datachannel', onDataChannel);
  return () => pc.removeEventListener('datachannel', onDataChannel);
}

export interface FilePeer {
  /** The peer's socket id: one peer connection each. */
  id: string;
  name: string;
}

export interface FileShareSnapshot {
  /** Peers whose channel is open, in the order they connected. */
  peers: readonly FilePeer[];
  /** Newest last. */
  transfers: readonly FileTransfer[];
}

export interface FileShareOptions {
  logger?: Logger;
  /** Metadata for the audit (the app sends it to the service). */
  onAudit?(event: FileAuditEvent): void;
}

interface Entry {
  peer: FilePeer;
  channel: DataChannelLike;
  files: FileChannel;
  offs: Array<() => void>;
}

export class FileShare {
  private readonly o: FileShareOptions;
  private readonly entries = new Map<string, Entry>();
  private readonly order: string[] = [];
  private readonly transfers = new Map<string, FileTransfer>();
  private snap: FileShareSnapshot = { peers: [], transfers: [] };
  private readonly listeners = new Set<() => void>();

  constructor(options: FileShareOptions = {}) {
    this.o = options;
  }

  getSnapshot = (): FileShareSnapshot => this.snap;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A peer's channel (replacing an older one for the same peer). */
  attach(peer: FilePeer, channel: DataChannelLike): void {
    this.detach(peer.id);
    const files = new FileChannel(channel, {
      peerId: peer.id,
      logger: this.o.logger ?? silentLogger,
      onChange: (t) => {
        this.transfers.set(`${t.peerId}/${t.id}`, t);
        this.publish();
      },
      onAudit: (e) => this.o.onAudit?.(e),
    });
    const onState = () => this.publish();
    channel.addEventListener('open', onState);
    channel.addEventListener('close', onState);
    this.entries.set(peer.id, {
      peer,
      channel,
      files,
      offs: [
        () => channel.removeEventListener('open', onState),
        () => channel.removeEventListener('close', onState),
      ],
    });
    this.order.push(peer.id);
    this.publish();
  }

  detach(peerId: string): void {
    const e = this.entries.get(peerId);
    if (!e) return;
    this.entries.delete(peerId);
    this.order.splice(this.order.indexOf(peerId), 1);
    for (const off of e.offs) off();
    e.files.dispose();
    this.publish();
  }

  /** The size and type rules, before any recipient is considered. */
  check(file: Blob & { name: string }): FileRefusal | null {
    const type = fileTypeOf(file);
    return type ? checkFileMeta({ size: file.size, type }) : 'type-not-allowed';
  }

  /** Offers the file to each recipient; one result per recipient, in order. */
  async send(file: Blob & { name: string }, recipients: readonly string[]): Promise<OfferResult[]> {
    const refusal = this.check(file);
    if (refusal) return recipients.map(() => ({ ok: false, reason: refusal }));
    return Promise.all(
      recipients.map(async (id): Promise<OfferResult> => {
        const e = this.entries.get(id);
        if (!e) return { ok: false, reason: 'not-connected' };
        return e.files.offer(file);
      }),
    );
  }

  accept(peerId: string, id: string): void {
    this.entries.get(peerId)?.files.accept(id);
  }
  decline(peerId: string, id: string): void {
    this.entries.get(peerId)?.files.decline(id);
  }
  cancel(peerId: string, id: string): void {
    this.entries.get(peerId)?.files.cancel(id);
  }

  /** Forgets finished transfers from the list (their blobs go with them). */
  clearFinished(): void {
    for (const [k, t] of this.transfers) {
      if (['complete', 'declined', 'cancelled', 'failed', 'refused'].includes(t.status))
        this.transfers.delete(k);
    }
    this.publish();
  }

  dispose(): void {
    for (const id of [...this.order]) this.detach(id);
    this.listeners.clear();
  }

  private publish(): void {
    this.snap = {
      peers: this.order
        .map((id) => this.entries.get(id)!)
        .filter((e) => e.channel.readyState === 'open')
        .map((e) => e.peer),
      transfers: [...this.transfers.values()],
    };
    for (const l of [...this.listeners]) l();
  }
}
