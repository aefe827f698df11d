import { beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from './logger.js';
import { LocalMedia } from './media.js';
import { FakeMediaDevices, FakeMediaStreamCtor, fakeOf } from './testing/fakeMedia.js';
import { settle, until } from './testing/wait.js';

describe('LocalMedia', () => {
  let devices: FakeMediaDevices;
  let media: LocalMedia;
  let changes: Array<[string, string | null]>;

  beforeEach(() => {
    devices = new FakeMediaDevices();
    changes = [];
    media = new LocalMedia({
      mediaDevices: devices as unknown as MediaDevices,
      MediaStream: FakeMediaStreamCtor,
      logger: silentLogger,
      onTrack: (kind, t) => changes.push([kind, t ? (t.getSettings().deviceId ?? '?') : null]),
      onStream: () => {},
    });
  });

  it('opens the preferred devices', async () => {
    await media.open({ audio: true, video: true, cameraId: 'cam-back', microphoneId: 'mic-2' });
    expect(media.deviceIds).toEqual({ cameraId: 'cam-back', microphoneId: 'mic-2' });
    expect(media.currentStream?.getTracks()).toHaveLength(2);
    expect(media.lastError).toBeNull();
  });

  it('falls back to the microphone alone when the camera is missing', async () => {
    devices.failures.push({ kind: 'video', name: 'NotFoundError' });
    await media.open({ audio: true, video: true });
    expect(media.videoTrack).toBeNull();
    expect(media.audioTrack).not.toBeNull();
    expect(media.lastError).toBe('missing');
    expect(media.flags).toEqual({ audio: true, video: false });
  });

  it('does not retry after a permission refusal', async () => {
    devices.failures.push({ kind: 'any', name: 'NotAllowedError' });
    await media.open({ audio: true, video: true });
    expect(devices.requests).toHaveLength(1);
    expect(media.currentStream).toBeNull();
    expect(media.lastError).toBe('denied');
  });

  it('switches front ↔ back by facingMode and stops the old camera', async () => {
    await media.open({ audio: true, video: true });
    const front = fakeOf(media.videoTrack)!;
    expect(front.settings.facingMode).toBe('user');
    await media.switchCamera();
    expect(fakeOf(media.videoTrack)!.settings.facingMode).toBe('environment');
    expect(front.readyState).toBe('ended');
    expect(changes).toEqual([['video', 'cam-back']]);
    await media.switchCamera();
    expect(media.deviceIds.cameraId).toBe('cam-front');
  });

  it('keeps mute across a device switch', async () => {
    await media.open({ audio: true, video: true });
    media.setEnabled('audio', false);
    await media.switchMicrophone('mic-2');
    expect(media.audioTrack!.enabled).toBe(false);
    expect(media.deviceIds.microphoneId).toBe('mic-2');
    expect(devices.live('audio')).toHaveLength(1);
  });

  it('holds one camera at a time when switching (iOS Safari cannot hold two)', async () => {
    await media.open({ audio: true, video: true });
    await media.switchCamera();
    await media.switchCamera('cam-back');
    await media.switchCamera();
    // The first entry is the opening request; every switch found no camera still open.
    expect(devices.liveCamerasAtVideoRequest.slice(1)).toEqual([0, 0, 0]);
    expect(devices.live('video')).toHaveLength(1);
  });

  it('reopens the previous camera when the new one fails to start', async () => {
    await media.open({ audio: true, video: true });
    devices.failures.push({ kind: 'video', name: 'NotReadableError' });
    await expect(media.switchCamera('cam-back')).rejects.toThrow();
    expect(media.deviceIds.cameraId).toBe('cam-front');
    expect(devices.live('video')).toHaveLength(1);
  });

  it('falls back to the default device when the one in use is unplugged', async () => {
    await media.open({ audio: true, video: true, microphoneId: 'mic-2' });
    devices.unplug('mic-2');
    await until(() => media.deviceIds.microphoneId === 'mic-1', 'fallback microphone');
    expect(changes).toContainEqual(['audio', 'mic-1']);
    expect(devices.live('audio')).toHaveLength(1);
  });

  it('drops the track when the last camera goes, and picks up a new one', async () => {
    devices.devices = devices.devices.filter((d) => d.deviceId !== 'cam-back');
    await media.open({ audio: true, video: true });
    devices.unplug('cam-front');
    await until(() => media.videoTrack === null, 'no camera');
    expect(changes).toContainEqual(['video', null]);
    devices.plug({ deviceId: 'usb-cam', kind: 'videoinput', label: 'USB', groupId: 'g9' });
    await until(() => media.deviceIds.cameraId === 'usb-cam', 'new camera');
  });

  it('audio-only closes the camera and reopens it', async () => {
    await media.open({ audio: true, video: true, cameraId: 'cam-back' });
    const cam = fakeOf(media.videoTrack)!;
    await media.setAudioOnly(true);
    expect(cam.readyState).toBe('ended');
    expect(media.videoTrack).toBeNull();
    expect(media.flags.video).toBe(false);
    await media.setAudioOnly(false);
    expect(media.deviceIds.cameraId).toBe('cam-back');
    expect(changes.map((c) => c[1])).toEqual([null, 'cam-back']);
  });

  it('stop releases everything', async () => {
    await media.open({ audio: true, video: true });
    media.stop();
    await settle(5);
    expect(devices.live()).toHaveLength(0);
  });
});
