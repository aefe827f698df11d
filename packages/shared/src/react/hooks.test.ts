import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FakeMediaDevices } from '../call/testing/fakeMedia.js';
import { levelFromSamples } from './useAudioLevel.js';
import { useCallEngine, useCallSnapshot } from './useCallEngine.js';
import { splitDevices } from './useMediaDevices.js';
import { openPreview } from './useLocalPreview.js';
import type { CallEngineApi, CallSnapshot } from '../call/types.js';

describe('levelFromSamples', () => {
  it('maps silence to 0, full scale to 1, and -30 dBFS to the middle', () => {
    expect(levelFromSamples(new Float32Array(512))).toBe(0);
    expect(levelFromSamples(new Float32Array(512).fill(1))).toBe(1);
    const a = 10 ** (-30 / 20); // RMS of a constant signal is its amplitude
    expect(levelFromSamples(new Float32Array(512).fill(a))).toBeCloseTo(0.5, 5);
    expect(levelFromSamples([])).toBe(0);
  });
});

describe('splitDevices', () => {
  it('splits by kind', async () => {
    const md = new FakeMediaDevices();
    const lists = splitDevices(await md.enumerateDevices());
    expect(lists.cameras.map((d) => d.deviceId)).toEqual(['cam-front', 'cam-back']);
    expect(lists.microphones.map((d) => d.deviceId)).toEqual(['mic-1', 'mic-2']);
    expect(lists.speakers.map((d) => d.deviceId)).toEqual(['spk-1']);
  });
});

describe('openPreview', () => {
  const c = { audio: true, video: true };
  const md = (f?: FakeMediaDevices['failures']) => {
    const d = new FakeMediaDevices();
    if (f) d.failures.push(...f);
    return d;
  };

  it('opens both', async () => {
    const r = await openPreview(md() as unknown as MediaDevices, c);
    expect(r.error).toBeNull();
    expect(r.stream?.getTracks()).toHaveLength(2);
  });

  it('keeps the microphone when the camera is in use', async () => {
    const r = await openPreview(
      md([{ kind: 'video', name: 'NotReadableError' }]) as unknown as MediaDevices,
      c,
    );
    expect(r.error).toBe('in-use');
    expect(r.stream?.getAudioTracks()).toHaveLength(1);
    expect(r.stream?.getVideoTracks()).toHaveLength(0);
  });

  it('reports denial without asking again', async () => {
    const d = md([{ kind: 'any', name: 'NotAllowedError' }]);
    const r = await openPreview(d as unknown as MediaDevices, c);
    expect(r).toEqual({ stream: null, error: 'denied' });
    expect(d.requests).toHaveLength(1);
  });

  it('maps a missing mediaDevices (http page) to insecure', async () => {
    expect(await openPreview(null, c)).toEqual({ stream: null, error: 'insecure' });
  });

  it('maps a vanished preferred device to missing', async () => {
    const r = await openPreview(md() as unknown as MediaDevices, {
      audio: true,
      video: { deviceId: { exact: 'gone' } },
    });
    expect(r.error).toBe('missing');
    expect(r.stream?.getAudioTracks()).toHaveLength(1);
  });
});

describe('hooks on a server render', () => {
  it('useCallEngine has no engine before mount; useCallSnapshot reads the engine', () => {
    const snap = { state: { kind: 'idle' } } as CallSnapshot;
    const fake: CallEngineApi = {
      getSnapshot: () => snap,
      subscribe: () => () => {},
    } as unknown as CallEngineApi;
    const seen: unknown[] = [];
    function Probe() {
      const engine = useCallEngine({
        serverUrl: 'http://x',
        token: 't',
        roomId: 'room-a',
        userId: 'u',
        userType: 'patient',
        userName: 'n',
      });
      seen.push(engine, useCallSnapshot(fake), useCallSnapshot(null));
      return null;
    }
    renderToString(createElement(Probe));
    expect(seen).toEqual([null, snap, null]);
  });
});
