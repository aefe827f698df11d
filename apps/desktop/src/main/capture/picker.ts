// Main process. The screen-share picker round trip. A `getDisplayMedia` call in the renderer
// lands in `handleRequest` (session.setDisplayMediaRequestHandler); main lists screens and
// windows (leaving out Bedside's own), sends them to the requesting frame with a fresh request
// id, and waits for `capture:choose` with that id. Each id is answered once; a choice for an
// unknown, stale or foreign id is refused; an unanswered request is cancelled after a timeout.

import {
  fail,
  IpcChannel,
  ok,
  type CaptureChoose,
  type CapturePickRequest,
  type CaptureSource,
  type Result,
} from '@bedside/shared';
import type {
  CapturerSourceLike,
  DesktopCapturerLike,
  DisplayMediaCallback,
  DisplayMediaRequestLike,
  DisplayMediaStreams,
  FrameLike,
  SystemPreferencesLike,
  TimersLike,
} from '../electron.js';
import { createLogger } from '../logger.js';
import { originOf } from '../security/origin.js';

const log = createLogger('capture/picker');

export const PICK_TIMEOUT_MS = 2 * 60_000;
const THUMBNAIL_SIZE = { width: 320, height: 180 };

export interface PickerDeps {
  desktopCapturer: DesktopCapturerLike;
  /** `getMediaSourceId()` of every Bedside window, so the app never offers itself. */
  ownMediaSourceIds(): string[];
  appOrigin: string;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  systemPreferences?: SystemPreferencesLike;
  randomUUID(): string;
  timers: TimersLike;
  timeoutMs?: number;
}

interface Pending {
  callback: DisplayMediaCallback;
  frame: FrameLike;
  sources: Map<string, CapturerSourceLike>;
  audio: boolean;
  timer: unknown;
}

/** Why an open request was cancelled by main; the renderer closes its picker on any of them. */
export type CancelReason = 'timeout' | 'user' | 'window-closed' | 'failed';

/** `window:1234:0` and `window:1234:1` name the same native window. */
const nativeKey = (id: string): string => id.split(':').slice(0, 2).join(':');

/**
 * WebRTC's own test (DesktopCapturer::IsRunningUnderWayland): both the session type and a Wayland
 * display. XWayland sessions with only one of them capture through X11, not the portal.
 */
export const isWayland = (env: Record<string, string | undefined>): boolean =>
  env.XDG_SESSION_TYPE === 'wayland' && Boolean(env.WAYLAND_DISPLAY);

export class CapturePicker {
  private readonly pending = new Map<string, Pending>();
  /** macOS: the one `getSources` call that raises the Screen Recording prompt has been made. */
  private macPromptRaised = false;

  constructor(private readonly deps: PickerDeps) {}

  /** Options for `setDisplayMediaRequestHandler`. */
  handlerOptions(): { useSystemPicker: boolean } {
    // Electron implements useSystemPicker on macOS 15+ only (experimental); on Wayland it is a
    // no-op today (electron#48223) and the portal picker is reached through getSources below.
    // On macOS our own picker stays, so Bedside's windows are left out and a missing Screen
    // Recording permission is explained instead of sharing a black picture.
    return { useSystemPicker: isWayland(this.deps.env) };
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  handleRequest = (request: DisplayMediaRequestLike, callback: DisplayMediaCallback): void => {
    const frame = request.frame;
    if (!frame || frame.parent !== null || originOf(frame.url) !== this.deps.appOrigin) {
      log.warn('display media request refused: not the app main frame');
      callback(null);
      return;
    }
    const requestId = this.deps.randomUUID();
    // The timer starts before anything is awaited: a portal dialog or a slow capturer that never
    // answers still ends in a cancel, never in a getDisplayMedia that hangs forever.
    const timer = this.deps.timers.setTimeout(() => {
      if (this.settle(requestId, null, 'timeout')) log.info('screen share request timed out');
    }, this.deps.timeoutMs ?? PICK_TIMEOUT_MS);
    this.pending.set(requestId, {
      callback,
      frame,
      sources: new Map(),
      audio: this.deps.platform === 'win32' && request.audioRequested !== false,
      timer,
    });
    void this.start(requestId).catch((error: unknown) => {
      log.error('display media request failed', { error });
      this.settle(requestId, null, 'failed');
    });
  };

  private async start(requestId: string): Promise<void> {
    const open = () => this.pending.get(requestId);
    if (isWayland(this.deps.env)) {
      // getSources opens the xdg-desktop-portal dialog, where the user picks. It usually returns
      // exactly that one source; only then is it answered without our picker (zero means the
      // portal was cancelled; several are shown in our picker like anywhere else).
      const sources = await this.deps.desktopCapturer.getSources({
        types: ['screen', 'window'],
        thumbnailSize: THUMBNAIL_SIZE,
      });
      if (!open()) return;
      const only = sources.length === 1 ? sources[0] : undefined;
      if (only) this.settle(requestId, { video: { id: only.id, name: only.name } });
      else if (sources.length === 0) this.settle(requestId, null, 'user');
      else this.offer(requestId, sources);
      return;
    }

    if (this.deps.platform === 'darwin' && (await this.macScreenBlocked())) {
      const entry = open();
      if (!entry) return;
      entry.audio = false;
      this.deliver(requestId, {
        requestId,
        sources: [],
        audioAvailable: false,
        blocked: 'screen-permission',
      });
      return;
    }

    const sources = await this.deps.desktopCapturer.getSources({
      types: ['screen', 'window'],
      thumbnailSize: THUMBNAIL_SIZE,
      fetchWindowIcons: true,
    });
    if (!open()) return;
    this.offer(requestId, sources);
  }

  private offer(requestId: string, sources: CapturerSourceLike[]): void {
    const entry = this.pending.get(requestId);
    if (!entry) return;
    const own = new Set(this.deps.ownMediaSourceIds().map(nativeKey));
    const visible = sources.filter((s) => !own.has(nativeKey(s.id)));
    entry.sources = new Map(visible.map((s) => [s.id, s]));
    this.deliver(requestId, {
      requestId,
      sources: visible.map(toWire),
      audioAvailable: entry.audio,
    });
  }

  private deliver(requestId: string, payload: CapturePickRequest): void {
    const entry = this.pending.get(requestId);
    if (!entry) return;
    try {
      entry.frame.send(IpcChannel.capturePickRequest, payload);
    } catch (error) {
      log.warn('pick request could not be delivered', { error });
      this.settle(requestId, null, 'failed');
    }
  }

  /**
   * macOS answers `getMediaAccessStatus('screen')` with `granted` or `denied` only — never
   * `not-determined` (electron#28540) — so `denied` may simply mean "never asked". The system
   * prompt is raised by `desktopCapturer.getSources`, so it is called once anyway; the status
   * then stays stale until the app restarts (electron#36722), hence "allow, then quit and reopen".
   */
  private async macScreenBlocked(): Promise<boolean> {
    const status = this.deps.systemPreferences?.getMediaAccessStatus('screen');
    if (status !== 'denied' && status !== 'restricted') return false;
    if (!this.macPromptRaised) {
      this.macPromptRaised = true;
      try {
        await this.deps.desktopCapturer.getSources({ types: ['screen'] });
      } catch (error) {
        log.info('screen recording prompt raised', { error });
      }
    }
    return true;
  }

  /** `capture:choose` from the renderer; `sender` is the frame that sent it. */
  choose(answer: CaptureChoose, sender: FrameLike | null): Result<null> {
    const entry = this.pending.get(answer.requestId);
    if (!entry) return fail('not-found', 'This screen-share request is no longer open.');
    if (
      !sender ||
      sender.processId !== entry.frame.processId ||
      sender.routingId !== entry.frame.routingId
    ) {
      return fail('forbidden', 'This screen-share request belongs to another window.');
    }
    if (answer.sourceId === null) {
      this.settle(answer.requestId, null);
      return ok(null);
    }
    const source = entry.sources.get(answer.sourceId);
    if (!source) {
      // Not offered (perhaps one of our own windows): refuse, and keep the request open.
      return fail('bad-request', 'That screen or window was not offered.');
    }
    const streams: DisplayMediaStreams = { video: { id: source.id, name: source.name } };
    if (answer.audio && entry.audio) streams.audio = 'loopback';
    this.settle(answer.requestId, streams);
    return ok(null);
  }

  /** Answers every open request with "cancelled" (window closing, app quitting). */
  cancelAll(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, null, 'window-closed');
  }

  /**
   * Answers a request exactly once: the entry leaves the map before the callback runs, so a
   * timer, a late choice and a failure cannot answer it again. `null` is Electron's cancel; a
   * cancel main decided on (`reason`) is also told to the renderer so its picker closes.
   */
  private settle(
    requestId: string,
    streams: DisplayMediaStreams | null,
    reason?: CancelReason,
  ): boolean {
    const entry = this.pending.get(requestId);
    if (!entry) return false;
    this.pending.delete(requestId);
    this.deps.timers.clearTimeout(entry.timer);
    if (reason && !entry.frame.isDestroyed?.()) {
      try {
        entry.frame.send(IpcChannel.capturePickCancelled, { requestId, reason });
      } catch (error) {
        log.debug('cancel could not be delivered', { error });
      }
    }
    try {
      entry.callback(streams);
    } catch (error) {
      // Electron throws here on a malformed answer; log it rather than crash main from a timer.
      log.error('display media callback threw', { error });
    }
    return true;
  }
}

function toWire(source: CapturerSourceLike): CaptureSource {
  const icon = source.appIcon && !source.appIcon.isEmpty() ? source.appIcon.toDataURL() : null;
  return {
    id: source.id,
    name: source.name,
    kind: source.id.startsWith('screen:') ? 'screen' : 'window',
    thumbnail: source.thumbnail.toDataURL(),
    appIcon: icon,
  };
}

/** The System Settings pane for Screen Recording (macOS 13+ and earlier both accept it). */
export const MAC_SCREEN_RECORDING_SETTINGS =
  'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture';
