// Test double (Node): MediaStreamTrack, MediaStream and MediaDevices with the behaviour the
// engine relies on — device ids, facingMode, `enabled`, `stop()`, a device that disappears.
let seq = 0;
const nextId = (p: string) => `${p}-${++seq}`;

export type FakeKind = 'audio' | 'video';

export class FakeMediaStreamTrack extends EventTarget {
  readonly id = nextId('track');
  readonly kind: FakeKind;
  readonly label: string;
  enabled = true;
  muted = false;
  readyState: MediaStreamTrackState = 'live';
  contentHint = '';
  /**
   * Test control: how loud the source is now (0..1, linear, the RFC 6464 scale). On a
   * receiver's track it is what the sender's packets carry, read by the receiver's
   * getSynchronizationSources().
   */
  level = 0;
  onended: ((ev: Event) => void) | null = null;
  readonly settings: MediaTrackSettings;

  constructor(kind: FakeKind, settings: MediaTrackSettings = {}, label = `fake ${kind}`) {
    super();
    this.kind = kind;
    this.label = label;
    this.settings = settings;
  }

  getSettings(): MediaTrackSettings {
    return { ...this.settings };
  }
  getCapabilities(): MediaTrackCapabilities {
    return this.settings.facingMode ? { facingMode: [this.settings.facingMode] } : {};
  }
  getConstraints(): MediaTrackConstraints {
    return {};
  }
  applyConstraints(): Promise<void> {
    return Promise.resolve();
  }
  clone(): FakeMediaStreamTrack {
    return new FakeMediaStreamTrack(this.kind, this.settings, this.label);
  }
  /** Like the real one: no `ended` event when stopped by the page. */
  stop(): void {
    this.readyState = 'ended';
  }
  /** The device went away (unplugged, revoked, the browser's "stop sharing"). */
  endFromSource(): void {
    if (this.readyState === 'ended') return;
    this.readyState = 'ended';
    const ev = new Event('ended');
    this.onended?.(ev);
    this.dispatchEvent(ev);
  }
}

export class FakeMediaStream extends EventTarget {
  readonly id = nextId('stream');
  private tracks: FakeMediaStreamTrack[];

  constructor(tracks: readonly FakeMediaStreamTrack[] | FakeMediaStream = []) {
    super();
    this.tracks = tracks instanceof FakeMediaStream ? tracks.getTracks() : [...tracks];
  }
  get active(): boolean {
    return this.tracks.some((t) => t.readyState === 'live');
  }
  getTracks(): FakeMediaStreamTrack[] {
    return [...this.tracks];
  }
  getAudioTracks(): FakeMediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeMediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  getTrackById(id: string): FakeMediaStreamTrack | null {
    return this.tracks.find((t) => t.id === id) ?? null;
  }
  addTrack(t: FakeMediaStreamTrack): void {
    if (!this.tracks.includes(t)) this.tracks.push(t);
  }
  removeTrack(t: FakeMediaStreamTrack): void {
    this.tracks = this.tracks.filter((x) => x !== t);
  }
  clone(): FakeMediaStream {
    return new FakeMediaStream(this.tracks.map((t) => t.clone()));
  }
}

export interface FakeDevice {
  deviceId: string;
  kind: MediaDeviceKind;
  label: string;
  groupId: string;
  /** Cameras only: which way it faces (phones). */
  facingMode?: 'user' | 'environment';
}

const dom = (name: string, message = name) => new DOMException(message, name);

type Wanted = string | { exact?: string; ideal?: string } | undefined;
const wantedId = (
  c: MediaTrackConstraints | boolean | undefined,
  key: 'deviceId' | 'facingMode',
) => {
  if (!c || c === true) return { value: undefined, exact: false };
  const v = c[key] as Wanted;
  if (v === undefined) return { value: undefined, exact: false };
  if (typeof v === 'string') return { value: v, exact: false };
  return { value: v.exact ?? v.ideal, exact: v.exact !== undefined };
};

/**
 * navigator.mediaDevices. Every opened track is kept in `opened` so tests can check that
 * the engine released what it took.
 */
export class FakeMediaDevices extends EventTarget {
  devices: FakeDevice[];
  readonly opened: FakeMediaStreamTrack[] = [];
  readonly requests: MediaStreamConstraints[] = [];
  /** Live camera tracks at the moment each video request arrived (iOS holds one at a time). */
  readonly liveCamerasAtVideoRequest: number[] = [];
  /** DOMException names for the next getUserMedia calls, per kind asked ('any' = every call). */
  failures: Array<{ kind: FakeKind | 'any'; name: string }> = [];
  displayFailure: string | null = null;
  /** Every getDisplayMedia call's constraints. */
  readonly displayRequests: DisplayMediaStreamOptions[] = [];
  /**
   * Whether the "picker" shares sound when asked (the user ticks it; on the desktop app, only
   * Windows offers it). A browser returns an audio track only if `audio` was asked for, and
   * may leave it out even then (w3c screen-capture: audio is optional).
   */
  displayAudio = false;
  ondevicechange: ((ev: Event) => void) | null = null;

  constructor(devices?: FakeDevice[]) {
    super();
    this.devices = devices ?? [
      {
        deviceId: 'cam-front',
        kind: 'videoinput',
        label: 'Front',
        groupId: 'g1',
        facingMode: 'user',
      },
      {
        deviceId: 'cam-back',
        kind: 'videoinput',
        label: 'Back',
        groupId: 'g2',
        facingMode: 'environment',
      },
      { deviceId: 'mic-1', kind: 'audioinput', label: 'Mic 1', groupId: 'g1' },
      { deviceId: 'mic-2', kind: 'audioinput', label: 'Mic 2', groupId: 'g3' },
      { deviceId: 'spk-1', kind: 'audiooutput', label: 'Speaker', groupId: 'g1' },
    ];
  }

  live(kind?: FakeKind): FakeMediaStreamTrack[] {
    return this.opened.filter((t) => t.readyState === 'live' && (!kind || t.kind === kind));
  }

  enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return Promise.resolve(
      this.devices.map((d) => ({ ...d, toJSON: () => d }) as unknown as MediaDeviceInfo),
    );
  }

  getSupportedConstraints(): MediaTrackSupportedConstraints {
    return { deviceId: true, facingMode: true };
  }

  private open(kind: FakeKind, c: MediaTrackConstraints | boolean): FakeMediaStreamTrack {
    const devKind: MediaDeviceKind = kind === 'audio' ? 'audioinput' : 'videoinput';
    const candidates = this.devices.filter((d) => d.kind === devKind);
    const id = wantedId(c, 'deviceId');
    const facing = wantedId(c, 'facingMode');
    let dev = candidates[0];
    if (id.value !== undefined) {
      const hit = candidates.find((d) => d.deviceId === id.value);
      if (!hit && id.exact) throw dom('OverconstrainedError');
      dev = hit ?? dev;
    } else if (facing.value !== undefined) {
      const hit = candidates.find((d) => d.facingMode === facing.value);
      if (!hit && facing.exact) throw dom('OverconstrainedError');
      dev = hit ?? dev;
    }
    if (!dev) throw dom('NotFoundError');
    const settings: MediaTrackSettings = { deviceId: dev.deviceId, groupId: dev.groupId };
    if (dev.facingMode) settings.facingMode = dev.facingMode;
    const track = new FakeMediaStreamTrack(kind, settings, dev.label);
    this.opened.push(track);
    return track;
  }

  private takeFailure(kinds: FakeKind[]): string | null {
    const i = this.failures.findIndex((f) => f.kind === 'any' || kinds.includes(f.kind));
    if (i < 0) return null;
    const [f] = this.failures.splice(i, 1);
    return f!.name;
  }

  async getUserMedia(constraints: MediaStreamConstraints = {}): Promise<MediaStream> {
    this.requests.push(constraints);
    if (constraints.video) this.liveCamerasAtVideoRequest.push(this.live('video').length);
    await Promise.resolve();
    const kinds: FakeKind[] = [];
    if (constraints.audio) kinds.push('audio');
    if (constraints.video) kinds.push('video');
    if (kinds.length === 0) throw new TypeError('at least one of audio and video is required');
    const failure = this.takeFailure(kinds);
    if (failure) throw dom(failure);
    const tracks = kinds.map((k) => this.open(k, constraints[k]!));
    return new FakeMediaStream(tracks) as unknown as MediaStream;
  }

  async getDisplayMedia(constraints: DisplayMediaStreamOptions = {}): Promise<MediaStream> {
    this.displayRequests.push(constraints);
    await Promise.resolve();
    if (this.displayFailure) throw dom(this.displayFailure);
    const track = new FakeMediaStreamTrack('video', { displaySurface: 'monitor' }, 'screen');
    this.opened.push(track);
    const tracks = [track];
    if (constraints.audio && this.displayAudio) {
      const sound = new FakeMediaStreamTrack('audio', { deviceId: 'loopback' }, 'System audio');
      this.opened.push(sound);
      tracks.push(sound);
    }
    return new FakeMediaStream(tracks) as unknown as MediaStream;
  }

  /** Removes a device: its live tracks end and `devicechange` fires. */
  unplug(deviceId: string): void {
    this.devices = this.devices.filter((d) => d.deviceId !== deviceId);
    for (const t of this.live()) if (t.settings.deviceId === deviceId) t.endFromSource();
    this.fireChange();
  }

  plug(device: FakeDevice): void {
    this.devices.push(device);
    this.fireChange();
  }

  private fireChange(): void {
    const ev = new Event('devicechange');
    this.ondevicechange?.(ev);
    this.dispatchEvent(ev);
  }
}

/** Casts for injecting the fakes where DOM types are expected. */
export const asTrack = (t: FakeMediaStreamTrack) => t as unknown as MediaStreamTrack;
export const asStream = (s: FakeMediaStream) => s as unknown as MediaStream;
export const fakeOf = (t: MediaStreamTrack | null | undefined) =>
  (t ?? null) as unknown as FakeMediaStreamTrack | null;
export const FakeMediaStreamCtor = FakeMediaStream as unknown as typeof MediaStream;
