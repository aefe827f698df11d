import { CapturePickRequestSchema, IpcChannel } from '@bedside/shared';
import { describe, expect, it, vi } from 'vitest';
import type { DisplayMediaStreams, FrameLike } from '../electron.js';
import { ManualTimers, fakeFrame, fakeSource, type FakeFrame } from '../testing/fakes.js';
import { CapturePicker, PICK_TIMEOUT_MS, type PickerDeps } from './picker.js';

const APP = 'bedside://app';
const OWN_WINDOW = 'window:4242:0';

let uuid = 0;
const nextUuid = () => `00000000-0000-4000-8000-${String(++uuid).padStart(12, '0')}`;

function setup(overrides: Partial<PickerDeps> = {}) {
  const timers = new ManualTimers();
  const getSources = vi.fn(async () => [
    fakeSource('screen:1:0', 'Entire screen'),
    fakeSource('window:100:0', 'Clinic records'),
    // Our own window, as desktopCapturer reports it (last segment may differ).
    fakeSource('window:4242:1', 'Bedside'),
  ]);
  const picker = new CapturePicker({
    desktopCapturer: { getSources },
    ownMediaSourceIds: () => [OWN_WINDOW],
    appOrigin: APP,
    platform: 'linux',
    env: { XDG_SESSION_TYPE: 'x11' },
    randomUUID: nextUuid,
    timers,
    ...overrides,
  });
  const frame = fakeFrame(`${APP}/index.html`);
  const results: DisplayMediaStreams[] = [];
  const callback = (s: DisplayMediaStreams) => results.push(s);
  return { picker, timers, getSources, frame, results, callback };
}

async function request(
  picker: CapturePicker,
  frame: FrameLike | null,
  callback: (s: DisplayMediaStreams) => void,
  audioRequested = false,
) {
  picker.handleRequest({ frame, audioRequested, videoRequested: true }, callback);
  await vi.waitFor(() => {
    if (frame && (frame as FakeFrame).sent.length === 0 && picker.pendingCount === 0) {
      throw new Error('not sent yet');
    }
  });
}

const lastPick = (frame: FakeFrame) => {
  const msg = frame.sent.at(-1);
  expect(msg?.channel).toBe(IpcChannel.capturePickRequest);
  return CapturePickRequestSchema.parse(msg?.args[0]);
};

describe('CapturePicker round trip', () => {
  it('sends a pick request without Bedside windows, and answers with the chosen source', async () => {
    const { picker, frame, results, callback, getSources } = setup();
    await request(picker, frame, callback);

    const pick = lastPick(frame);
    expect(pick.sources.map((s) => s.id)).toEqual(['screen:1:0', 'window:100:0']);
    expect(pick.sources[0]).toMatchObject({ kind: 'screen', appIcon: null });
    expect(pick.sources[1]).toMatchObject({ kind: 'window', name: 'Clinic records' });
    expect(pick.sources[1]?.thumbnail).toMatch(/^data:image\/png;base64,/);
    expect(pick.audioAvailable).toBe(false);
    expect(getSources).toHaveBeenCalledWith(
      expect.objectContaining({ types: ['screen', 'window'], fetchWindowIcons: true }),
    );
    expect(results).toEqual([]);

    const answer = picker.choose(
      { requestId: pick.requestId, sourceId: 'window:100:0', audio: false },
      frame,
    );
    expect(answer).toEqual({ ok: true, data: null });
    expect(results).toEqual([{ video: { id: 'window:100:0', name: 'Clinic records' } }]);
    expect(picker.pendingCount).toBe(0);
  });

  it('cancels with an empty answer when the user picks nothing', async () => {
    const { picker, frame, results, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    expect(picker.choose({ requestId, sourceId: null, audio: false }, frame).ok).toBe(true);
    expect(results).toEqual([{}]);
  });

  it('answers a request id once; a second or unknown answer is refused', async () => {
    const { picker, frame, results, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    picker.choose({ requestId, sourceId: 'screen:1:0', audio: false }, frame);
    const again = picker.choose({ requestId, sourceId: 'window:100:0', audio: false }, frame);
    expect(again).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const unknown = picker.choose({ requestId: nextUuid(), sourceId: null, audio: false }, frame);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(results).toHaveLength(1);
  });

  it('refuses a source that was not offered (our own window) and keeps the request open', async () => {
    const { picker, frame, results, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    const own = picker.choose({ requestId, sourceId: 'window:4242:1', audio: false }, frame);
    expect(own).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(results).toEqual([]);
    expect(picker.pendingCount).toBe(1);
  });

  it('refuses an answer from another frame than the one that asked', async () => {
    const { picker, frame, results, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    const other = fakeFrame(`${APP}/index.html`);
    const res = picker.choose({ requestId, sourceId: 'screen:1:0', audio: false }, other);
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(results).toEqual([]);
  });

  it('times out an unanswered request as a cancel, and then refuses the late answer', async () => {
    const { picker, frame, results, callback, timers } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    timers.advance(PICK_TIMEOUT_MS - 1);
    expect(results).toEqual([]);
    timers.advance(1);
    expect(results).toEqual([{}]);
    const late = picker.choose({ requestId, sourceId: 'screen:1:0', audio: false }, frame);
    expect(late).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('clears the timeout once answered', async () => {
    const { picker, frame, callback, timers } = setup();
    await request(picker, frame, callback);
    picker.choose({ requestId: lastPick(frame).requestId, sourceId: null, audio: false }, frame);
    expect(timers.pending).toBe(0);
  });

  it('offers system audio on Windows only, as loopback when chosen', async () => {
    const win = setup({ platform: 'win32' });
    await request(win.picker, win.frame, win.callback, true);
    const pick = lastPick(win.frame);
    expect(pick.audioAvailable).toBe(true);
    win.picker.choose(
      { requestId: pick.requestId, sourceId: 'screen:1:0', audio: true },
      win.frame,
    );
    expect(win.results).toEqual([
      { video: { id: 'screen:1:0', name: 'Entire screen' }, audio: 'loopback' },
    ]);

    const mac = setup({
      platform: 'darwin',
      systemPreferences: { getMediaAccessStatus: () => 'granted' },
    });
    await request(mac.picker, mac.frame, mac.callback, true);
    const macPick = lastPick(mac.frame);
    expect(macPick.audioAvailable).toBe(false);
    mac.picker.choose(
      { requestId: macPick.requestId, sourceId: 'screen:1:0', audio: true },
      mac.frame,
    );
    expect(mac.results).toEqual([{ video: { id: 'screen:1:0', name: 'Entire screen' } }]);
  });

  it('refuses requests from other origins, subframes or a vanished frame', async () => {
    const { picker, results, callback, getSources } = setup();
    const foreign = fakeFrame('https://evil.example/');
    picker.handleRequest({ frame: foreign }, callback);
    const sub = fakeFrame(`${APP}/index.html`, { parent: fakeFrame(`${APP}/index.html`) });
    picker.handleRequest({ frame: sub }, callback);
    picker.handleRequest({ frame: null }, callback);
    await vi.waitFor(() => expect(results).toHaveLength(3));
    expect(results).toEqual([{}, {}, {}]);
    expect(getSources).not.toHaveBeenCalled();
    expect(foreign.sent).toEqual([]);
  });

  it('on macOS without Screen Recording permission sends a blocked request, no sources', async () => {
    const { picker, frame, results, callback, getSources } = setup({
      platform: 'darwin',
      systemPreferences: { getMediaAccessStatus: () => 'denied' },
    });
    await request(picker, frame, callback);
    const pick = lastPick(frame);
    expect(pick).toMatchObject({ blocked: 'screen-permission', sources: [] });
    expect(getSources).not.toHaveBeenCalled();
    // Only cancelling is possible.
    const res = picker.choose(
      { requestId: pick.requestId, sourceId: 'screen:1:0', audio: false },
      frame,
    );
    expect(res.ok).toBe(false);
    picker.choose({ requestId: pick.requestId, sourceId: null, audio: false }, frame);
    expect(results).toEqual([{}]);
  });

  it('on Wayland lets the portal pick: first source answered directly, no own picker', async () => {
    const getSources = vi.fn(async () => [fakeSource('screen:99:0', 'Portal choice')]);
    const { picker, frame, results, callback } = setup({
      env: { XDG_SESSION_TYPE: 'wayland' },
      desktopCapturer: { getSources },
    });
    expect(picker.handlerOptions()).toEqual({ useSystemPicker: true });
    picker.handleRequest({ frame }, callback);
    await vi.waitFor(() => expect(results).toHaveLength(1));
    expect(results[0]).toEqual({ video: { id: 'screen:99:0', name: 'Portal choice' } });
    expect(frame.sent).toEqual([]);
  });

  it('cancels when listing sources fails', async () => {
    const { picker, frame, results, callback } = setup({
      desktopCapturer: { getSources: async () => Promise.reject(new Error('capturer broke')) },
    });
    picker.handleRequest({ frame }, callback);
    await vi.waitFor(() => expect(results).toEqual([{}]));
  });

  it('cancelAll answers every open request', async () => {
    const { picker, frame, results, callback } = setup();
    await request(picker, frame, callback);
    picker.cancelAll();
    expect(results).toEqual([{}]);
    expect(picker.pendingCount).toBe(0);
  });
});
