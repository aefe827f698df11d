// Test double (Node): a connected pair of RTCDataChannels, as strict as Chromium's where it
// matters to file transfer — `send` throws InvalidStateError unless open (WebRTC 1.0 §6.2
// send()), a message over `maxMessageSize` throws TypeError, a send queue past 16 MiB closes
// the channel (Chromium: "Closing the data channel due to a full buffer"), `bufferedAmount`
// grows on send and falls only as the "network" drains it, and `bufferedamountlow` fires when
// it falls from above `bufferedAmountLowThreshold` to at or below it. Real channels are covered
// in real Chromium (e2e and bench).
const dom = (name: string, message: string) => new DOMException(message, name);

/** Chromium's send queue limit. */
const SEND_QUEUE_LIMIT = 16 * 1024 * 1024;

export class FakeDataChannel extends EventTarget {
  readonly label: string;
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'blob';
  readonly maxMessageSize = 256 * 1024;
  peer: FakeDataChannel | null = null;
  /** Bytes delivered per drain tick: a crude link speed. */
  bytesPerTick: number;
  /** Every message this side sent, for assertions. */
  readonly sent: Array<string | ArrayBuffer> = [];
  private queue: Array<string | ArrayBuffer> = [];
  private draining = false;
  /** When set, messages stop flowing (a stalled link) until `resume()`. */
  private paused = false;

  constructor(label: string, bytesPerTick = 256 * 1024) {
    super();
    this.label = label;
    this.bytesPerTick = bytesPerTick;
  }

  send(data: string | ArrayBuffer): void {
    if (this.readyState !== 'open') throw dom('InvalidStateError', 'RTCDataChannel is not open');
    const size =
      typeof data === 'string' ? new TextEncoder().encode(data).byteLength : data.byteLength;
    if (size > this.maxMessageSize) throw new TypeError('message too large');
    if (this.bufferedAmount + size > SEND_QUEUE_LIMIT) {
      this.close();
      throw dom('OperationError', 'send queue full');
    }
    // The real channel copies the bytes at send time.
    const copy = typeof data === 'string' ? data : data.slice(0);
    this.sent.push(copy);
    this.queue.push(copy);
    this.bufferedAmount += size;
    this.scheduleDrain();
  }

  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.scheduleDrain();
  }

  close(): void {
    if (this.readyState === 'closed' || this.readyState === 'closing') return;
    this.readyState = 'closing';
    const peer = this.peer;
    setTimeout(() => {
      this.finishClose();
      peer?.finishClose();
    }, 0);
  }

  private finishClose(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.queue = [];
    this.bufferedAmount = 0;
    this.dispatchEvent(new Event('close'));
  }

  /** Opens both ends (as the SCTP association comes up). */
  openBoth(): void {
    for (const c of [this, this.peer!]) {
      c.readyState = 'open';
      c.dispatchEvent(new Event('open'));
    }
  }

  private scheduleDrain(): void {
    if (this.draining || this.paused) return;
    this.draining = true;
    setTimeout(() => this.drain(), 0);
  }

  private drain(): void {
    this.draining = false;
    if (this.paused || this.readyState !== 'open') return;
    let budget = this.bytesPerTick;
    while (budget > 0 && this.queue.length > 0) {
      const m = this.queue.shift()!;
      const size = typeof m === 'string' ? new TextEncoder().encode(m).byteLength : m.byteLength;
      budget -= size;
      const before = this.bufferedAmount;
      this.bufferedAmount -= size;
      this.peer?.deliver(m);
      if (
        before > this.bufferedAmountLowThreshold &&
        this.bufferedAmount <= this.bufferedAmountLowThreshold
      )
        this.dispatchEvent(new Event('bufferedamountlow'));
    }
    if (this.queue.length > 0) this.scheduleDrain();
  }

  private deliver(m: string | ArrayBuffer): void {
    if (this.readyState !== 'open') return;
    const data = typeof m === 'string' || this.binaryType === 'arraybuffer' ? m : new Blob([m]);
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

/** Two connected ends; `open` opens them right away (default), as a negotiated channel would. */
export function fakeDataChannelPair(
  options: { open?: boolean; bytesPerTick?: number } = {},
): [FakeDataChannel, FakeDataChannel] {
  const a = new FakeDataChannel('bedside-files', options.bytesPerTick);
  const b = new FakeDataChannel('bedside-files', options.bytesPerTick);
  a.peer = b;
  b.peer = a;
  if (options.open ?? true) a.openBoth();
  return [a, b];
}
