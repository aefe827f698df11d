// Test-only (Node). Small fakes of the Electron facade: the Electron binary cannot run here, so
// main-process modules are driven through these. Each fake records what the module did.

import type {
  CapturerSourceLike,
  DesktopCapturerLike,
  DisplayMediaCallback,
  DisplayMediaStreams,
  FrameLike,
  PermissionRequestDetails,
  SystemPreferencesLike,
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

/** What Electron hands Chromium for one answer: the device ids the renderer's stream gets. */
export interface DeliveredDisplayMedia {
  video?: string;
  audio?: string;
}

const isDevice = (v: unknown): v is { id: string; name: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { id?: unknown }).id === 'string' &&
  typeof (v as { name?: unknown }).name === 'string';

/**
 * The display-media callback as Electron implements it (shell/browser/electron_browser_context.cc,
 * DisplayMediaDeviceChosen, read at the 45.x source): `null`/`undefined` cancel; anything else
 * must be an object; `video` must be a source (`{ id, name }`) and is required when video was
 * requested ("Video was requested, but no video stream was provided"); `audio` is read only when
 * the page asked for audio (`audioRequested`) — otherwise it is ignored, not refused — and must
 * then be a string (its value becomes the device id as is: "loopback", "loopbackWithMute") or a
 * frame/source. Electron itself checks no platform: that loopback works on Windows only is its
 * documentation's word (Streams.audio), left to Chromium's capture code, which cannot run here,
 * so the fake does not model it. A second call throws, because the native callback is one-shot.
 * `answers` is what main passed; `delivered` is what reaches the renderer's stream.
 */
export function fakeDisplayMediaCallback(
  options: { videoRequested?: boolean; audioRequested?: boolean } = {},
) {
  const videoRequested = options.videoRequested ?? true;
  const audioRequested = options.audioRequested ?? false;
  const answers: Array<DisplayMediaStreams | null> = [];
  const delivered: Array<DeliveredDisplayMedia | null> = [];
  let called = false;
  const callback: DisplayMediaCallback = (streams: unknown) => {
    if (called) throw new Error('callback called more than once');
    called = true;
    if (streams === null || streams === undefined) {
      answers.push(null);
      delivered.push(null);
      return;
    }
    if (typeof streams !== 'object')
      throw new TypeError(
        'Display Media Request streams callback must be called with null or a valid object',
      );
    const s = streams as { video?: unknown; audio?: unknown };
    const out: DeliveredDisplayMedia = {};
    if (videoRequested && 'video' in s) {
      if (!isDevice(s.video))
        throw new TypeError('video must be a WebFrameMain or DesktopCapturerSource');
      out.video = s.video.id;
    }
    if (audioRequested && 'audio' in s) {
      if (typeof s.audio === 'string') out.audio = s.audio;
      else if (isDevice(s.audio)) out.audio = s.audio.id;
      else throw new TypeError('audio must be a WebFrameMain, "loopback" or "loopbackWithMute"');
    }
    if (videoRequested && out.video === undefined)
      throw new TypeError('Video was requested, but no video stream was provided');
    answers.push(streams as DisplayMediaStreams);
    delivered.push(out);
  };
  return { callback, answers, delivered };
}

/**
 * A renderer's `getDisplayMedia()` as it reaches the permission request handler. Electron ≤44
 * reports it as `media` with an empty `mediaTypes` (only camera/microphone carry audio/video);
 * from 45 (electron#52824, breaking) as `display-capture` with `mediaTypes` filled in.
 */
export function displayCapturePermission(
  electronMajor: number,
  requestingUrl: string,
): { permission: string; details: PermissionRequestDetails } {
  const base = { requestingUrl, isMainFrame: true, securityOrigin: originOfUrl(requestingUrl) };
  return electronMajor >= 45
    ? { permission: 'display-capture', details: { ...base, mediaTypes: ['video'] } }
    : { permission: 'media', details: { ...base, mediaTypes: [] } };
}

const originOfUrl = (url: string): string => {
  const u = new URL(url);
  return u.origin === 'null' ? `${u.protocol}//${u.host}` : u.origin;
};

/**
 * systemPreferences on macOS: 'screen' is `granted` or `denied`, never `not-determined`
 * (electron#28540 — CGPreflightScreenCaptureAccess is a bool), and a grant made while the app
 * runs is not seen until it restarts (electron#36722).
 */
export function fakeMacSystemPreferences(
  screen: 'granted' | 'denied',
): SystemPreferencesLike & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getMediaAccessStatus(mediaType) {
      calls.push(mediaType);
      return mediaType === 'screen' ? screen : 'not-determined';
    },
  };
}

/**
 * desktopCapturer on Wayland: getSources opens the xdg-desktop-portal dialog and returns what
 * the user picked there — no source when they cancel, and one per requested type when the
 * portal is asked for screens and windows separately (electron#39043). Portal sources have no
 * thumbnails (`isEmpty()`).
 */
export function fakePortalCapturer(picked: Array<{ id: string; name: string }>) {
  const calls: Array<{ types: string[] }> = [];
  const capturer: DesktopCapturerLike = {
    getSources: async (options) => {
      calls.push({ types: [...options.types] });
      return picked.map((p) => ({
        id: p.id,
        name: p.name,
        thumbnail: { toDataURL: () => 'data:image/png;base64,', isEmpty: () => true },
        appIcon: null,
      }));
    },
  };
  return { capturer, calls };
}
