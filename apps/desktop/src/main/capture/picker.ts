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

type Callback = (streams: DisplayMediaStreams) => void;

interface Pending {
  callback: Callback;
  frame: FrameLike;
  sources: Map<string, CapturerSourceLike>;
  audio: boolean;
  timer: unknown;
}

/** `window:1234:0` and `window:1234:1` name the same native window. */
const nativeKey = (id: string): string => id.split(':').slice(0, 2).join(':');

export const isWayland = (env: Record<string, string | undefined>): boolean =>
  env.XDG_SESSION_TYPE === 'wayland' || Boolean(env.WAYLAND_DISPLAY && !env.DISPLAY);

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

  handleRequest = (request: DisplayMediaRequestLike, callback: Callback): void => {
    void this.start(request, callback).catch((error: unknown) => {
      log.error('display media request failed', { error });
      callback({});
    });
  };

  private async start(request: DisplayMediaRequestLike, callback: Callback): Promise<void> {
    const frame = request.frame;
    if (!frame || frame.parent !== null || originOf(frame.url) !== this.deps.appOrigin) {
      log.warn('display media request refused: not the app main frame');
      callback({});
      return;
    }

    if (isWayland(this.deps.env)) {
      // getSources opens the xdg-desktop-portal dialog; the user picks exactly one source
      // there, so showing our picker as well would ask twice.
      const sources = await this.deps.desktopCapturer.getSources({ types: ['screen', 'window'] });
      const first = sources[0];
      callback(first ? { video: { id: first.id, name: first.name } } : {});
      return;
    }

    const requestId = this.deps.randomUUID();
    const audioAvailable = this.deps.platform === 'win32' && request.audioRequested !== false;
    let payload: CapturePickRequest;
    let offered = new Map<string, CapturerSourceLike>();

    if (this.deps.platform === 'darwin' && this.screenPermissionMissing()) {
      payload = { requestId, sources: [], audioAvailable: false, blocked: 'screen-permission' };
    } else {
      const own = new Set(this.deps.ownMediaSourceIds().map(nativeKey));
      const sources = await this.deps.desktopCapturer.getSources({
        types: ['screen', 'window'],
        thumbnailSize: THUMBNAIL_SIZE,
        fetchWindowIcons: true,
      });
      const visible = sources.filter((s) => !own.has(nativeKey(s.id)));
      offered = new Map(visible.map((s) => [s.id, s]));
      payload = { requestId, sources: visible.map(toWire), audioAvailable };
    }

    const timer = this.deps.timers.setTimeout(() => {
      if (this.settle(requestId, {})) log.info('screen share request timed out');
    }, this.deps.timeoutMs ?? PICK_TIMEOUT_MS);
    this.pending.set(requestId, {
      callback,
      frame,
      sources: offered,
      audio: audioAvailable,
      timer,
    });
    try {
      frame.send(IpcChannel.capturePickRequest, payload);
    } catch (error) {
      log.warn('pick request could not be delivered', { error });
      this.settle(requestId, {});
    }
  }

  private screenPermissionMissing(): boolean {
    // 'not-determined' goes ahead: getSources is what makes macOS ask the user the first time.
    const status = this.deps.systemPreferences?.getMediaAccessStatus('screen');
    return status === 'denied' || status === 'restricted';
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
      this.settle(answer.requestId, {});
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
    for (const id of [...this.pending.keys()]) this.settle(id, {});
  }

  private settle(requestId: string, streams: DisplayMediaStreams): boolean {
    const entry = this.pending.get(requestId);
    if (!entry) return false;
    this.pending.delete(requestId);
    this.deps.timers.clearTimeout(entry.timer);
    entry.callback(streams);
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
