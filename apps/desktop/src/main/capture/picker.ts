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

type CancelReason = 'timeout' | 'cancelled' | 'window-closed' | 'failed' | 'renderer';

/**
 * One display-media request from arrival to its single answer. It is registered (with its
 * timer running) before any `await`, so a timeout or a window closing can answer it while
 * sources are still being listed; `settle` answers it exactly once.
 */
interface Pending {
  callback: DisplayMediaCallback;
  frame: FrameLike;
  /** Empty until sources are listed and the pick request was sent. */
  sources: Map<string, CapturerSourceLike>;
  audio: boolean;
  sent: boolean;
  timer: unknown;
}

/** `window:1234:0` and `window:1234:1` name the same native window. */
const nativeKey = (id: string): string => id.split(':').slice(0, 2).join(':');

/**
 * WebRTC's own test (desktop_capturer.cc, IsRunningUnderWayland): PipeWire capture, and so the
 * portal, is used only when XDG_SESSION_TYPE starts with "wayland" and WAYLAND_DISPLAY is set.
 */
export const isWayland = (env: Record<string, string | undefined>): boolean =>
  (env.XDG_SESSION_TYPE ?? '').startsWith('wayland') && Boolean(env.WAYLAND_DISPLAY);

export class CapturePicker {
  private readonly pending = new Map<string, Pending>();

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
      answerOnce(callback, null);
      return;
    }
    const requestId = this.deps.randomUUID();
    const timer = this.deps.timers.setTimeout(() => {
      if (this.settle(requestId, null, 'timeout')) log.info('screen share request timed out');
    }, this.deps.timeoutMs ?? PICK_TIMEOUT_MS);
    this.pending.set(requestId, {
      callback,
      frame,
      sources: new Map(),
      // Electron's `audio: 'loopback'` (system sound) is Windows-only (Streams.audio docs), and
      // Electron reads `audio` only when the page asked for it (DisplayMediaDeviceChosen).
      audio: this.deps.platform === 'win32' && request.audioRequested === true,
      sent: false,
      timer,
    });
    void this.start(requestId).catch((error: unknown) => {
      log.error('display media request failed', { error });
      this.settle(requestId, null, 'failed');
    });
  };

  private async start(requestId: string): Promise<void> {
    if (isWayland(this.deps.env)) {
      // getSources opens the xdg-desktop-portal dialog and returns what the user picked there:
      // nothing when they cancelled, one source normally. Only a single source is the user's
      // answer; anything else goes to our picker (which explains an empty list).
      const sources = await this.deps.desktopCapturer.getSources({ types: ['screen', 'window'] });
      const only = sources.length === 1 ? sources[0] : undefined;
      if (only) {
        this.settle(requestId, { video: { id: only.id, name: only.name } }, 'renderer');
        return;
      }
      if (sources.length === 0) {
        this.settle(requestId, null, 'renderer');
        return;
      }
      this.offer(
        requestId,
        { requestId, sources: sources.map(toWire), audioAvailable: false },
        sources,
      );
      return;
    }

    if (this.deps.platform === 'darwin' && this.screenPermissionMissing()) {
      // On macOS the status is 'denied' on first use too (never 'not-determined',
      // electron#28540), and listing sources is what raises the system prompt and adds Bedside
      // to System Settings. List once, then explain: a grant takes effect only after Bedside is
      // quit and reopened (the status stays stale until then, electron#36722).
      await this.deps.desktopCapturer.getSources({
        types: ['screen'],
        thumbnailSize: { width: 0, height: 0 },
      });
      this.offer(
        requestId,
        { requestId, sources: [], audioAvailable: false, blocked: 'screen-permission' },
        [],
      );
      return;
    }

    const own = new Set(this.deps.ownMediaSourceIds().map(nativeKey));
    const sources = await this.deps.desktopCapturer.getSources({
      types: ['screen', 'window'],
      thumbnailSize: THUMBNAIL_SIZE,
      fetchWindowIcons: true,
    });
    const visible = sources.filter((s) => !own.has(nativeKey(s.id)));
    const audioAvailable = this.pending.get(requestId)?.audio ?? false;
    this.offer(requestId, { requestId, sources: visible.map(toWire), audioAvailable }, visible);
  }

  /** Sends the pick request, unless the request was answered while sources were listed. */
  private offer(
    requestId: string,
    payload: CapturePickRequest,
    offered: CapturerSourceLike[],
  ): void {
    const entry = this.pending.get(requestId);
    if (!entry) return;
    entry.sources = new Map(offered.map((s) => [s.id, s]));
    try {
      entry.frame.send(IpcChannel.capturePickRequest, payload);
      entry.sent = true;
    } catch (error) {
      log.warn('pick request could not be delivered', { error });
      this.settle(requestId, null, 'failed');
    }
  }

  private screenPermissionMissing(): boolean {
    const status = this.deps.systemPreferences?.getMediaAccessStatus('screen');
    return status === 'denied' || status === 'restricted';
  }

  /** `capture:choose` from the renderer; `sender` is the frame that sent it. */
  choose(answer: CaptureChoose, sender: FrameLike | null): Result<null> {
    const entry = this.pending.get(answer.requestId);
    if (!entry?.sent) return fail('not-found', 'This screen-share request is no longer open.');
    if (
      !sender ||
      sender.processId !== entry.frame.processId ||
      sender.routingId !== entry.frame.routingId
    ) {
      return fail('forbidden', 'This screen-share request belongs to another window.');
    }
    if (answer.sourceId === null) {
      this.settle(answer.requestId, null, 'renderer');
      return ok(null);
    }
    const source = entry.sources.get(answer.sourceId);
    if (!source) {
      // Not offered (perhaps one of our own windows): refuse, and keep the request open.
      return fail('bad-request', 'That screen or window was not offered.');
    }
    const streams: DisplayMediaStreams = { video: { id: source.id, name: source.name } };
    if (answer.audio && entry.audio) streams.audio = 'loopback';
    this.settle(answer.requestId, streams, 'renderer');
    return ok(null);
  }

  /** Answers every open request with a cancel (window closed, app quitting). */
  cancelAll(reason: 'cancelled' | 'window-closed' = 'cancelled'): void {
    for (const id of [...this.pending.keys()]) this.settle(id, null, reason);
  }

  /** Answers a request once: `null` is the cancel (`{}` would throw in Electron). */
  private settle(
    requestId: string,
    streams: DisplayMediaStreams | null,
    reason: CancelReason,
  ): boolean {
    const entry = this.pending.get(requestId);
    if (!entry) return false;
    this.pending.delete(requestId);
    this.deps.timers.clearTimeout(entry.timer);
    answerOnce(entry.callback, streams);
    if (streams === null && entry.sent && (reason === 'timeout' || reason === 'cancelled')) {
      // The renderer's picker would otherwise stay open for a request that is gone.
      if (!entry.frame.isDestroyed?.()) {
        try {
          entry.frame.send(IpcChannel.capturePickCancelled, { requestId, reason });
        } catch (error) {
          log.warn('pick cancel could not be delivered', { error });
        }
      }
    }
    return true;
  }
}

/** Electron's callback can throw (a destroyed frame, a bad answer); never call it twice. */
function answerOnce(callback: DisplayMediaCallback, streams: DisplayMediaStreams | null): void {
  try {
    callback(streams);
  } catch (error) {
    log.warn('display media answer was refused', { error });
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
