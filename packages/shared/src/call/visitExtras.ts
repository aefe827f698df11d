// DOM, framework-free: what a visit adds beside the call itself — files over a data channel to
// each peer, and recording consent — wired to the engine through its two narrow hooks
// (`onPeerConnection`, `onVisitEvent`/`sendVisitEvent`). Apps create one per visit, pass
// `withHooks(options)` to the engine, then `bind(engine)`.
import type { RoomUser } from '../contracts/socket.js';
import { silentLogger, type Logger } from './logger.js';
import { FileShare, fileDataChannel } from './files/FileShare.js';
import { RecordingConsent } from './recording/RecordingConsent.js';
import type { CallEngineApi, CallEngineOptions } from './types.js';

export class VisitExtras {
  readonly files: FileShare;
  readonly consent: RecordingConsent;
  private engine: CallEngineApi | null = null;
  private readonly roomId: string;
  private readonly log: Logger;

  constructor(roomId: string, logger: Logger = silentLogger) {
    this.roomId = roomId;
    this.log = logger;
    this.consent = new RecordingConsent(roomId);
    this.files = new FileShare({
      logger,
      onAudit: (e) => {
        const t = this.files
          .getSnapshot()
          .transfers.find((x) => x.id === e.transferId && x.peerId === e.peerId);
        void this.engine
          ?.sendVisitEvent('file-transfer', {
            roomId: this.roomId,
            transferId: e.transferId,
            peerSocketId: e.peerId,
            direction: t?.direction ?? 'send',
            action: e.action,
            size: e.size,
            // A refused offer may carry any string: the audit keeps only well-formed types.
            type: /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(e.type) ? e.type : '',
          })
          .then((r) => {
            if (!r.ok) this.log.warn('file audit refused', { code: r.error.code });
          });
      },
    });
  }

  /** The engine options with the file channel hooked into every new peer connection. */
  withHooks(options: CallEngineOptions): CallEngineOptions {
    return { ...options, onPeerConnection: this.onPeerConnection };
  }

  readonly onPeerConnection = (
    peer: RoomUser,
    pc: RTCPeerConnection,
    role: { initiator: boolean },
  ): (() => void) => {
    let stop = () => {};
    try {
      stop = fileDataChannel(pc, role.initiator, (channel) =>
        this.files.attach({ id: peer.socketId, name: peer.userName }, channel),
      );
    } catch (err) {
      this.log.warn('no file channel on this connection', { error: String(err).slice(0, 80) });
    }
    return () => {
      stop();
      this.files.detach(peer.socketId);
    };
  };

  bind(engine: CallEngineApi): () => void {
    this.engine = engine;
    const unbind = this.consent.bind(engine);
    return () => {
      unbind();
      if (this.engine === engine) this.engine = null;
    };
  }

  dispose(): void {
    this.files.dispose();
    this.engine = null;
  }
}
