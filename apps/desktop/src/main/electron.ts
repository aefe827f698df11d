// Main process. The thin Electron facade: the few shapes of Electron's API that the main-process
// modules use. Modules take these, never `electron` itself, so unit tests drive them with small
// fakes (the Electron binary cannot run in CI here); index.ts passes the real objects, which
// satisfy these shapes structurally.

/** A frame (Electron's WebFrameMain) as far as sender checks and replies need it. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
  isDestroyed?(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface WebContentsRef {
  readonly id: number;
}

/** `IpcMainInvokeEvent` reduced to what a handler may trust: who sent it. */
export interface IpcInvokeEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: WebContentsRef;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
  removeHandler(channel: string): void;
}

/** Electron's `Event` with `preventDefault`; the navigation events also carry `url`. */
export interface PreventableEvent {
  preventDefault(): void;
}
export interface NavigationEvent extends PreventableEvent {
  readonly url: string;
}

export type WindowOpenResponse = { action: 'deny' } | { action: 'allow' };

/** What navigation guards attach to (a WebContents). */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (details: NavigationEvent) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (details: NavigationEvent) => void): unknown;
  on(
    event: 'will-attach-webview',
    listener: (event: PreventableEvent, webPreferences: unknown, params: unknown) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenResponse): void;
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

export type PermissionName = string;

export interface PermissionRequestDetails {
  readonly requestingUrl?: string;
  readonly isMainFrame?: boolean;
  readonly mediaTypes?: ReadonlyArray<string>;
  readonly securityOrigin?: string;
}

export interface PermissionCheckDetails {
  readonly requestingUrl?: string;
  readonly isMainFrame?: boolean;
  readonly mediaType?: string;
  readonly securityOrigin?: string;
  readonly embeddingOrigin?: string;
}

/** `DesktopCapturerSource` with the parts of NativeImage the picker reads. */
export interface CapturerSourceLike {
  readonly id: string;
  readonly name: string;
  readonly thumbnail: { toDataURL(): string; isEmpty?(): boolean };
  readonly appIcon: { toDataURL(): string; isEmpty(): boolean } | null;
}

export interface DesktopCapturerLike {
  getSources(options: {
    types: Array<'screen' | 'window'>;
    thumbnailSize?: { width: number; height: number };
    fetchWindowIcons?: boolean;
  }): Promise<CapturerSourceLike[]>;
}

/** `Streams` passed to the display-media callback. */
export interface DisplayMediaStreams {
  video?: { id: string; name: string };
  audio?: 'loopback' | 'loopbackWithMute';
}

/**
 * The display-media callback. `null` is the only cancel: Electron throws "Video was requested,
 * but no video stream was provided" for an object without `video`, and the callback may be
 * called once (electron_browser_context.cc, DisplayMediaDeviceChosen).
 */
export type DisplayMediaCallback = (streams: DisplayMediaStreams | null) => void;

export interface DisplayMediaRequestLike {
  readonly frame: FrameLike | null;
  readonly audioRequested?: boolean;
  readonly videoRequested?: boolean;
}

export type MediaAccessStatus = 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown';

export interface SystemPreferencesLike {
  // 'screen' is only ever 'granted' or 'denied' on macOS (electron#28540), and stays at the
  // value it had at launch until the app restarts (electron#36722).
  getMediaAccessStatus(mediaType: 'microphone' | 'camera' | 'screen'): MediaAccessStatus;
}

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. `basic_text` means a hard-coded key: not real protection. */
  getSelectedStorageBackend?(): string;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayLike {
  readonly workArea: Rectangle;
}

export interface ScreenLike {
  getAllDisplays(): DisplayLike[];
}

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface NotificationFactory {
  isSupported(): boolean;
  create(options: { title: string; body: string; silent?: boolean }): NotificationLike;
}

export interface SaveDialogLike {
  showSaveDialog(options: {
    title?: string;
    defaultPath?: string;
    filters?: Array<{ name: string; extensions: string[] }>;
  }): Promise<{ canceled: boolean; filePath?: string }>;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface TimersLike {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: TimersLike = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
