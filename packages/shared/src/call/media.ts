// DOM: the local camera and microphone — opening them with preferred devices, mute via
// `track.enabled`, switching devices, following unplugged devices, audio-only mode.
// Every change of a track is reported through `onTrack`, which the engine turns into a
// `sender.replaceTrack` (no renegotiation).
import { type MediaErrorKind, mediaErrorKind } from './errors.js';
import { errorName, type Logger } from './logger.js';
import type { MediaKind } from './negotiation.js';

export interface LocalMediaOptions {
  mediaDevices: MediaDevices | null;
  MediaStream: typeof MediaStream;
  logger: Logger;
  /** A track changed (new device, device lost, audio-only); null = nothing to send. */
  onTrack(kind: MediaKind, track: MediaStreamTrack | null): void;
  /** The local preview stream was replaced (new object on every change). */
  onStream(stream: MediaStream | null): void;
}

export interface OpenRequest {
  audio: boolean;
  video: boolean;
  cameraId?: string | null;
  microphoneId?: string | null;
}

export const audioConstraints = (
  deviceId?: string | null,
  exact = false,
): MediaTrackConstraints => ({
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  ...(deviceId ? { deviceId: exact ? { exact: deviceId } : { ideal: deviceId } } : {}),
});

export const videoConstraints = (
  deviceId?: string | null,
  exact = false,
  facingMode?: 'user' | 'environment',
): MediaTrackConstraints => ({
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
  ...(deviceId
    ? { deviceId: exact ? { exact: deviceId } : { ideal: deviceId } }
    : facingMode
      ? { facingMode: { exact: facingMode } }
      : {}),
});

const deviceIdOf = (t: MediaStreamTrack | null): string | null =>
  t ? (t.getSettings().deviceId ?? null) : null;

export class LocalMedia {
  private readonly o: LocalMediaOptions;
  private readonly log: Logger;
  private tracks: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null } = {
    audio: null,
    video: null,
  };
  private enabled = { audio: true, video: true };
  private preferred: { audio: string | null; video: string | null } = { audio: null, video: null };
  /** Audio-only mode: the camera is closed and stays closed. */
  private videoOff = false;
  private wanted = { audio: true, video: true };
  private stream: MediaStream | null = null;
  private disposed = false;
  private readonly busy: Partial<Record<MediaKind, Promise<void>>> = {};
  private readonly onDeviceChange = () => void this.checkDevices();
  private readonly endedHandlers = new Map<MediaStreamTrack, () => void>();
  /** Why the last open failed, for the UI. */
  lastError: MediaErrorKind | null = null;

  constructor(options: LocalMediaOptions) {
    this.o = options;
    this.log = options.logger;
    options.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
  }

  get audioTrack(): MediaStreamTrack | null {
    return this.tracks.audio;
  }
  get videoTrack(): MediaStreamTrack | null {
    return this.tracks.video;
  }
  get currentStream(): MediaStream | null {
    return this.stream;
  }
  get audioOnly(): boolean {
    return this.videoOff;
  }
  /** What the UI shows as "mic on / camera on". */
  get flags(): { audio: boolean; video: boolean } {
    return {
      audio: this.enabled.audio && this.tracks.audio !== null,
      video: this.enabled.video && !this.videoOff && this.tracks.video !== null,
    };
  }
  get deviceIds(): { cameraId: string | null; microphoneId: string | null } {
    return {
      cameraId: deviceIdOf(this.tracks.video) ?? this.preferred.video,
      microphoneId: deviceIdOf(this.tracks.audio) ?? this.preferred.audio,
    };
  }

  private get devices(): MediaDevices {
    const md = this.o.mediaDevices;
    // No mediaDevices at all means an insecure (http) page.
    if (!md) throw new DOMException('mediaDevices unavailable', 'SecurityError');
    return md;
  }

  /** Takes over tracks the pre-call check already opened. */
  adopt(stream: MediaStream, audioOnly: boolean): void {
    this.videoOff = audioOnly;
    const a = stream.getAudioTracks()[0] ?? null;
    let v = stream.getVideoTracks()[0] ?? null;
    // What the check could not open, the engine does not ask for again (nor on devicechange).
    this.wanted = { audio: a !== null, video: v !== null };
    if (v && audioOnly) {
      v.stop();
      v = null;
    }
    this.setTrack('audio', a, false);
    this.setTrack('video', v, false);
    this.publish();
  }

  /**
   * Opens camera and microphone. Degrades instead of failing: without a usable camera it opens
   * the microphone alone, and with neither it returns with `lastError` set (receive-only call).
   */
  async open(req: OpenRequest): Promise<void> {
    this.preferred = { audio: req.microphoneId ?? null, video: req.cameraId ?? null };
    this.videoOff = !req.video;
    this.wanted = { audio: req.audio, video: req.video };
    this.lastError = null;
    const attempts: Array<{ audio: boolean; video: boolean }> = [];
    if (req.audio || req.video) attempts.push({ audio: req.audio, video: req.video });
    if (req.audio && req.video)
      attempts.push({ audio: true, video: false }, { audio: false, video: true });
    for (const a of attempts) {
      try {
        const s = await this.devices.getUserMedia({
          audio: a.audio ? audioConstraints(this.preferred.audio) : false,
          video: a.video ? videoConstraints(this.preferred.video) : false,
        });
        if (this.disposed) {
          for (const t of s.getTracks()) t.stop();
          return;
        }
        this.setTrack('audio', s.getAudioTracks()[0] ?? null, false);
        this.setTrack('video', s.getVideoTracks()[0] ?? null, false);
        this.publish();
        return;
      } catch (err) {
        const kind = mediaErrorKind(err);
        this.lastError ??= kind;
        this.log.warn('getUserMedia failed', {
          error: errorName(err),
          audio: a.audio,
          video: a.video,
        });
        // Permission and security refusals cover every device: no point trying a subset.
        if (kind === 'denied' || kind === 'insecure') return;
      }
    }
  }

  setEnabled(kind: MediaKind, enabled: boolean): void {
    this.enabled[kind] = enabled;
    const t = this.tracks[kind];
    if (t) t.enabled = enabled;
  }
  isEnabled(kind: MediaKind): boolean {
    return this.enabled[kind];
  }

  /** Without an id: front ↔ back on phones, else the next camera in the list. */
  async switchCamera(deviceId?: string): Promise<void> {
    if (this.videoOff) {
      if (deviceId) this.preferred.video = deviceId;
      return;
    }
    if (deviceId) return this.replace('video', videoConstraints(deviceId, true), true);
    const facing = this.tracks.video?.getSettings().facingMode;
    if (facing === 'user' || facing === 'environment') {
      try {
        return await this.replace(
          'video',
          videoConstraints(null, false, facing === 'user' ? 'environment' : 'user'),
          true,
        );
      } catch (err) {
        // A laptop reports facingMode "user" but has no back camera: cycle devices instead.
        this.log.debug('facingMode switch failed', { error: errorName(err) });
      }
    }
    const cams = (await this.devices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    if (cams.length < 2) return;
    const current = deviceIdOf(this.tracks.video) ?? this.preferred.video;
    const i = cams.findIndex((d) => d.deviceId === current);
    const next = cams[(i + 1) % cams.length]!;
    return this.replace('video', videoConstraints(next.deviceId, true), true);
  }

  switchMicrophone(deviceId: string): Promise<void> {
    return this.replace('audio', audioConstraints(deviceId, true));
  }

  /** Audio-only: closes the camera (its light goes off) and sends no video; off reopens it. */
  async setAudioOnly(on: boolean): Promise<void> {
    if (on === this.videoOff) return;
    this.videoOff = on;
    if (on) {
      const v = this.tracks.video;
      if (v) this.preferred.video = deviceIdOf(v) ?? this.preferred.video;
      this.setTrack('video', null);
      this.publish();
      return;
    }
    try {
      await this.replace('video', videoConstraints(this.preferred.video));
    } catch (err) {
      this.videoOff = true;
      throw err;
    }
  }

  /**
   * Opens a new track for `kind` and swaps it in; the old one is stopped. `oneCamera`: stop the
   * old camera before asking for the new one. iOS Safari holds one camera at a time (opening
   * another silently ends or mutes the first, WebKit bug 179363) and many Android phones refuse
   * a second; if the new camera then fails, the old device is opened again.
   */
  private async replace(
    kind: MediaKind,
    constraints: MediaTrackConstraints,
    oneCamera = false,
  ): Promise<void> {
    const run = async () => {
      const old = this.tracks[kind];
      const ask = () => this.devices.getUserMedia({ [kind]: constraints });
      let s: MediaStream;
      if (oneCamera && old) {
        const previous = deviceIdOf(old);
        old.stop();
        try {
          s = await ask();
        } catch (err) {
          const back = previous
            ? await this.devices
                .getUserMedia({ video: videoConstraints(previous, true) })
                .catch(() => null)
            : null;
          const track = back?.getVideoTracks()[0] ?? null;
          this.setTrack(kind, this.disposed ? null : track);
          if (this.disposed) track?.stop();
          this.publish();
          throw err;
        }
      } else {
        try {
          s = await ask();
        } catch (err) {
          // Many phones cannot open two cameras at once: release the old one and retry.
          if (mediaErrorKind(err) !== 'in-use' || !old) throw err;
          old.stop();
          try {
            s = await ask();
          } catch (err2) {
            this.setTrack(kind, null);
            this.publish();
            throw err2;
          }
        }
      }
      const track = (kind === 'audio' ? s.getAudioTracks() : s.getVideoTracks())[0] ?? null;
      if (this.disposed || (kind === 'video' && this.videoOff)) {
        track?.stop();
        return;
      }
      if (track) this.preferred[kind] = deviceIdOf(track);
      this.setTrack(kind, track);
      this.publish();
    };
    const prev = this.busy[kind] ?? Promise.resolve();
    const p = prev.then(run, run);
    this.busy[kind] = p.catch(() => {});
    return p;
  }

  private setTrack(kind: MediaKind, track: MediaStreamTrack | null, notify = true): void {
    const old = this.tracks[kind];
    if (old === track) return;
    if (old) {
      const h = this.endedHandlers.get(old);
      if (h) old.removeEventListener('ended', h);
      this.endedHandlers.delete(old);
      old.stop();
    }
    this.tracks[kind] = track;
    if (track) {
      track.enabled = this.enabled[kind];
      // A device unplugged mid-call ends its track: fall back to the default device.
      const h = () => void this.recover(kind);
      track.addEventListener('ended', h);
      this.endedHandlers.set(track, h);
    }
    if (notify) this.o.onTrack(kind, track);
  }

  private publish(): void {
    const tracks = [this.tracks.audio, this.tracks.video].filter(
      (t): t is MediaStreamTrack => t !== null,
    );
    this.stream = tracks.length ? new this.o.MediaStream(tracks) : null;
    this.o.onStream(this.stream);
  }

  private async checkDevices(): Promise<void> {
    if (this.disposed) return;
    let list: MediaDeviceInfo[];
    try {
      list = await this.devices.enumerateDevices();
    } catch {
      return;
    }
    for (const kind of ['audio', 'video'] as const) {
      const devKind = kind === 'audio' ? 'audioinput' : 'videoinput';
      const t = this.tracks[kind];
      const id = deviceIdOf(t);
      const gone =
        t !== null &&
        (t.readyState === 'ended' ||
          (id !== null && id !== '' && !list.some((d) => d.kind === devKind && d.deviceId === id)));
      // Also pick up a device plugged in after we joined without one.
      const arrived =
        t === null &&
        this.wanted[kind] &&
        !(kind === 'video' && this.videoOff) &&
        list.some((d) => d.kind === devKind);
      if (gone || arrived) await this.recover(kind);
    }
  }

  /** Falls back to the default device for `kind` (or to nothing if none is left). */
  private async recover(kind: MediaKind): Promise<void> {
    if (this.disposed || (kind === 'video' && this.videoOff)) return;
    const t = this.tracks[kind];
    if (t && t.readyState === 'live') {
      const list = await this.devices.enumerateDevices().catch(() => null);
      const id = deviceIdOf(t);
      const devKind = kind === 'audio' ? 'audioinput' : 'videoinput';
      if (!list || list.some((d) => d.kind === devKind && d.deviceId === id)) return;
    }
    this.log.info('media device lost; using the default', { kind });
    try {
      await this.replace(kind, kind === 'audio' ? audioConstraints() : videoConstraints());
    } catch (err) {
      this.log.warn('no fallback device', { kind, error: errorName(err) });
      if (this.tracks[kind]?.readyState === 'ended') {
        this.setTrack(kind, null);
        this.publish();
      }
    }
  }

  stop(): void {
    this.disposed = true;
    this.o.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    for (const kind of ['audio', 'video'] as const) {
      const t = this.tracks[kind];
      if (t) {
        const h = this.endedHandlers.get(t);
        if (h) t.removeEventListener('ended', h);
        t.stop();
      }
      this.tracks[kind] = null;
    }
    this.endedHandlers.clear();
    this.stream = null;
  }
}
