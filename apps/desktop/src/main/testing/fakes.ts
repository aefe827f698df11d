// Test-only (Node). Small fakes of the Electron facade: the Electron binary cannot run here, so
// main-process modules are driven through these. Each fake records what the module did.

import type {
  CapturerSourceLike,
  FrameLike,
  IpcInvokeEventLike,
  SafeStorageLike,
  TimersLike,
} from '../electron.js';
import type { KeyValueStore } from '../settings/schema.js';

export interface FakeFrame extends FrameLike {
  sent: Array<{ channel: string; args: unknown[] }>;
  destroyed: boolean;
}

let nextRoutingId = 1;

export function fakeFrame(url: string, options: { parent?: FrameLike | null } = {}): FakeFrame {
  const frame: FakeFrame = {
    url,
    parent: options.parent ?? null,
    processId: 7,
    routingId: nextRoutingId++,
    sent: [],
    destroyed: false,
    isDestroyed: () => frame.destroyed,
    send(channel, ...args) {
      frame.sent.push({ channel, args });
    },
  };
  return frame;
}

export function fakeEvent(frame: FrameLike | null, webContentsId = 1): IpcInvokeEventLike {
  return { senderFrame: frame, sender: { id: webContentsId } };
}

export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  constructor(initial: Record<string, unknown> = {}) {
    for (const [k, v] of Object.entries(initial)) this.data.set(k, structuredClone(v));
  }
  get(key: string): unknown {
    const v = this.data.get(key);
    return v === undefined ? undefined : structuredClone(v);
  }
  set(key: string, value: unknown): void {
    this.data.set(key, structuredClone(value));
  }
  delete(key: string): void {
    this.data.delete(key);
  }
  has(key: string): boolean {
    return this.data.has(key);
  }
}

/**
 * safeStorage stand-in: "encrypts" by XOR with a key and a marker, so ciphertext never equals the
 * plaintext and tampering is detectable — enough to test the vault's behaviour, not crypto.
 */
export function fakeSafeStorage(
  options: { available?: boolean; backend?: string } = {},
): SafeStorageLike & { encryptCalls: number } {
  const key = 0x5a;
  const xor = (buf: Buffer) => Buffer.from(buf.map((b) => b ^ key));
  const storage = {
    encryptCalls: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain: string): Buffer {
      if (!(options.available ?? true)) throw new Error('Encryption is not available.');
      storage.encryptCalls++;
      return Buffer.concat([Buffer.from('v10'), xor(Buffer.from(plain, 'utf8'))]);
    },
    decryptString(encrypted: Buffer): string {
      if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting');
      return xor(encrypted.subarray(3)).toString('utf8');
    },
  };
  return storage;
}

/** Timers driven by the test: `fire()` runs what is due, no wall clock involved. */
export class ManualTimers implements TimersLike {
  private now = 0;
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.queue.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }
  get pending(): number {
    return this.queue.size;
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.queue].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.queue.delete(id)) t.fn();
    }
  }
}

export function fakeSource(id: string, name: string): CapturerSourceLike {
  return {
    id,
    name,
    thumbnail: { toDataURL: () => `data:image/png;base64,${Buffer.from(id).toString('base64')}` },
    appIcon: id.startsWith('window:')
      ? { toDataURL: () => 'data:image/png;base64,aWNvbg==', isEmpty: () => false }
      : null,
  };
}
