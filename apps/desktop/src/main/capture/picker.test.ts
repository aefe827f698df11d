import { CapturePickRequestSchema, IpcChannel } from '@bedside/shared';
import { describe, expect, it, vi } from 'vitest';
import type { CapturerSourceLike, FrameLike } from '../electron.js';
import {
  ManualTimers,
  fakeDisplayMediaCallback,
  fakeFrame,
  fakeMacSystemPreferences,
  fakePortalCapturer,
  fakeSource,
  type FakeFrame,
} from '../testing/fakes.js';
import { CapturePicker, PICK_TIMEOUT_MS, isWayland, type PickerDeps } from './picker.js';

const APP = 'bedside://app';
const OWN_WINDOW = 'window:4242:0';

let uuid = 0;
const nextUuid = () => `00000000-0000-4000-8000-${String(++uuid).padStart(12, '0')}`;

const SOURCES = [
  fakeSource('screen:1:0', 'Entire screen'),
  fakeSource('window:100:0', 'Clinic records'),
  // Our own window, as desktopCapturer reports it (last segment may differ).
  fakeSource('window:4242:1', 'Bedside'),
];

function setup(overrides: Partial<PickerDeps> = {}) {
  const timers = new ManualTimers();
  const getSources = vi.fn(async () => SOURCES);
  const picker = new CapturePicker({
    desktopCapturer: { getSources },
    ownMediaSourceIds: () => [OWN_WINDOW],
    appOrigin: APP,
    platform: 'linux',
    env: { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' },
    randomUUID: nextUuid,
    timers,
    ...overrides,
  });
  const frame = fakeFrame(`${APP}/index.html`);
  // Electron's own rules: null cancels, `{}` throws, a second call throws.
  const { callback, answers } = fakeDisplayMediaCallback();
  return { picker, timers, getSources, frame, answers, callback };
}

async function request(
  picker: CapturePicker,
  frame: FrameLike | null,
  callback: ReturnType<typeof fakeDisplayMediaCallback>['callback'],
  audioRequested = false,
) {
  picker.handleRequest({ frame, audioRequested, videoRequested: true }, callback);
  await vi.waitFor(() => {
    if (frame && (frame as FakeFrame).sent.length === 0) throw new Error('not sent yet');
  });
}

const picks = (frame: FakeFrame) =>
  frame.sent.filter((m) => m.channel === IpcChannel.capturePickRequest);
const lastPick = (frame: FakeFrame) => CapturePickRequestSchema.parse(picks(frame).at(-1)?.args[0]);
const cancels = (frame: FakeFrame) =>
  frame.sent.filter((m) => m.channel === IpcChannel.capturePickCancelled).map((m) => m.args[0]);

/** A getSources that waits until the test lets it answer. */
function deferredSources() {
  let resolve: (s: CapturerSourceLike[]) => void = () => undefined;
  const getSources = vi.fn(() => new Promise<CapturerSourceLike[]>((r) => (resolve = r)));
  return { getSources, resolve: (s: CapturerSourceLike[]) => resolve(s) };
}

describe('CapturePicker round trip', () => {
  it('sends a pick request without Bedside windows, and answers with the chosen source', async () => {
    const { picker, frame, answers, callback, getSources } = setup();
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
    expect(answers).toEqual([]);

    const answer = picker.choose(
      { requestId: pick.requestId, sourceId: 'window:100:0', audio: false },
      frame,
    );
    expect(answer).toEqual({ ok: true, data: null });
    expect(answers).toEqual([{ video: { id: 'window:100:0', name: 'Clinic records' } }]);
    expect(picker.pendingCount).toBe(0);
  });

  it('cancels with null (the only cancel Electron accepts) when the user picks nothing', async () => {
    const { picker, frame, answers, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    expect(picker.choose({ requestId, sourceId: null, audio: false }, frame).ok).toBe(true);
    expect(answers).toEqual([null]);
  });

  it('answers a request id once; a second or unknown answer is refused', async () => {
    const { picker, frame, answers, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    picker.choose({ requestId, sourceId: 'screen:1:0', audio: false }, frame);
    const again = picker.choose({ requestId, sourceId: 'window:100:0', audio: false }, frame);
    expect(again).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const unknown = picker.choose({ requestId: nextUuid(), sourceId: null, audio: false }, frame);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(answers).toHaveLength(1);
  });

  it('refuses a source that was not offered (our own window) and keeps the request open', async () => {
    const { picker, frame, answers, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    const own = picker.choose({ requestId, sourceId: 'window:4242:1', audio: false }, frame);
    expect(own).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(answers).toEqual([]);
    expect(picker.pendingCount).toBe(1);
  });

  it('refuses an answer from another frame than the one that asked', async () => {
    const { picker, frame, answers, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    const other = fakeFrame(`${APP}/index.html`);
    const res = picker.choose({ requestId, sourceId: 'screen:1:0', audio: false }, other);
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(answers).toEqual([]);
  });

  it('times out an unanswered request as a cancel, tells the renderer, refuses the late answer', async () => {
    const { picker, frame, answers, callback, timers } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    timers.advance(PICK_TIMEOUT_MS - 1);
    expect(answers).toEqual([]);
    timers.advance(1);
    expect(answers).toEqual([null]);
    expect(cancels(frame)).toEqual([{ requestId, reason: 'timeout' }]);
    const late = picker.choose({ requestId, sourceId: 'screen:1:0', audio: false }, frame);
    expect(late).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('starts the timeout before listing sources, and answers once if the list comes late', async () => {
    const sources = deferredSources();
    const { picker, frame, answers, callback, timers } = setup({
      desktopCapturer: { getSources: sources.getSources },
    });
    picker.handleRequest({ frame, videoRequested: true }, callback);
    await vi.waitFor(() => expect(sources.getSources).toHaveBeenCalled());
    expect(timers.pending).toBe(1);
    timers.advance(PICK_TIMEOUT_MS);
    expect(answers).toEqual([null]);
    sources.resolve(SOURCES);
    await new Promise((r) => setTimeout(r, 0));
    // No pick request for a request already answered, and no second callback (it would throw).
    expect(picks(frame)).toEqual([]);
    expect(answers).toEqual([null]);
    expect(picker.pendingCount).toBe(0);
  });

  it('clears the timeout once answered', async () => {
    const { picker, frame, callback, timers } = setup();
    await request(picker, frame, callback);
    picker.choose({ requestId: lastPick(frame).requestId, sourceId: null, audio: false }, frame);
    expect(timers.pending).toBe(0);
  });

  // Each platform as Electron reports a `getDisplayMedia({ video: true, audio: true })`.
  const withAudio = (platform: NodeJS.Platform) => {
    const env = setup({
      platform,
      ...(platform === 'darwin' ? { systemPreferences: fakeMacSystemPreferences('granted') } : {}),
    });
    return { ...env, ...fakeDisplayMediaCallback({ audioRequested: true }) };
  };

  it("offers the computer's sound on Windows when the page asked for it, as loopback when chosen", async () => {
    const win = withAudio('win32');
    await request(win.picker, win.frame, win.callback, true);
    const pick = lastPick(win.frame);
    expect(pick.audioAvailable).toBe(true);
    win.picker.choose(
      { requestId: pick.requestId, sourceId: 'screen:1:0', audio: true },
      win.frame,
    );
    expect(win.answers).toEqual([
      { video: { id: 'screen:1:0', name: 'Entire screen' }, audio: 'loopback' },
    ]);
    expect(win.delivered).toEqual([{ video: 'screen:1:0', audio: 'loopback' }]);
  });

  it('on Windows, sound left unticked answers the screen alone, with no audio key', async () => {
    const win = withAudio('win32');
    await request(win.picker, win.frame, win.callback, true);
    const pick = lastPick(win.frame);
    win.picker.choose(
      { requestId: pick.requestId, sourceId: 'window:100:0', audio: false },
      win.frame,
    );
    expect(win.answers).toEqual([{ video: { id: 'window:100:0', name: 'Clinic records' } }]);
  });

  it('on Windows, a request without audio offers no sound and answers none', async () => {
    const win = setup({ platform: 'win32' });
    await request(win.picker, win.frame, win.callback, false);
    const pick = lastPick(win.frame);
    expect(pick.audioAvailable).toBe(false);
    // A renderer claiming the box was ticked anyway changes nothing.
    win.picker.choose(
      { requestId: pick.requestId, sourceId: 'screen:1:0', audio: true },
      win.frame,
    );
    expect(win.answers).toEqual([{ video: { id: 'screen:1:0', name: 'Entire screen' } }]);
  });

  it.each(['darwin', 'linux'] as const)(
    'on %s the sound is never offered and the answer has no audio key',
    async (platform) => {
      const env = withAudio(platform);
      await request(env.picker, env.frame, env.callback, true);
      const pick = lastPick(env.frame);
      expect(pick.audioAvailable).toBe(false);
      env.picker.choose(
        { requestId: pick.requestId, sourceId: 'screen:1:0', audio: true },
        env.frame,
      );
      expect(env.answers).toEqual([{ video: { id: 'screen:1:0', name: 'Entire screen' } }]);
      expect(env.delivered).toEqual([{ video: 'screen:1:0' }]);
    },
  );

  it('cancelling a request that asked for sound is still null, answered once', async () => {
    const win = withAudio('win32');
    await request(win.picker, win.frame, win.callback, true);
    const { requestId } = lastPick(win.frame);
    expect(win.picker.choose({ requestId, sourceId: null, audio: true }, win.frame).ok).toBe(true);
    win.picker.cancelAll();
    win.timers.advance(PICK_TIMEOUT_MS);
    expect(win.answers).toEqual([null]);
    expect(win.delivered).toEqual([null]);
  });

  it('refuses requests from other origins, subframes or a vanished frame, with null', async () => {
    const { picker, getSources } = setup();
    const foreign = fakeFrame('https://evil.example/');
    const sub = fakeFrame(`${APP}/index.html`, { parent: fakeFrame(`${APP}/index.html`) });
    const all = [foreign, sub, null].map((frame) => {
      const cb = fakeDisplayMediaCallback();
      picker.handleRequest({ frame, videoRequested: true }, cb.callback);
      return cb.answers;
    });
    await vi.waitFor(() => expect(all.flat()).toHaveLength(3));
    expect(all).toEqual([[null], [null], [null]]);
    expect(getSources).not.toHaveBeenCalled();
    expect(foreign.sent).toEqual([]);
  });

  it('on macOS with Screen Recording denied still lists sources once (that raises the prompt), then explains', async () => {
    // First use looks exactly like this: the status is never 'not-determined' (electron#28540).
    const prefs = fakeMacSystemPreferences('denied');
    const { picker, frame, answers, callback, getSources } = setup({
      platform: 'darwin',
      systemPreferences: prefs,
    });
    await request(picker, frame, callback);
    expect(getSources).toHaveBeenCalledTimes(1);
    const pick = lastPick(frame);
    expect(pick).toMatchObject({ blocked: 'screen-permission', sources: [] });
    // Only cancelling is possible.
    const res = picker.choose(
      { requestId: pick.requestId, sourceId: 'screen:1:0', audio: false },
      frame,
    );
    expect(res.ok).toBe(false);
    picker.choose({ requestId: pick.requestId, sourceId: null, audio: false }, frame);
    expect(answers).toEqual([null]);
  });

  it('detects Wayland as WebRTC does: XDG_SESSION_TYPE=wayland and WAYLAND_DISPLAY both', () => {
    expect(isWayland({ XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(isWayland({ XDG_SESSION_TYPE: 'wayland' })).toBe(false);
    expect(isWayland({ WAYLAND_DISPLAY: 'wayland-0' })).toBe(false);
    expect(isWayland({ XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0' })).toBe(false);
  });

  const WAYLAND = { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' };

  it('on Wayland answers the portal’s choice directly when exactly one source comes back', async () => {
    const portal = fakePortalCapturer([{ id: 'screen:99:0', name: 'Portal choice' }]);
    const { picker, frame, answers, callback } = setup({
      env: WAYLAND,
      desktopCapturer: portal.capturer,
    });
    expect(picker.handlerOptions()).toEqual({ useSystemPicker: true });
    picker.handleRequest({ frame, videoRequested: true }, callback);
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    expect(answers[0]).toEqual({ video: { id: 'screen:99:0', name: 'Portal choice' } });
    expect(frame.sent).toEqual([]);
  });

  it('on Wayland cancels with null when the portal dialog was cancelled (no source)', async () => {
    const portal = fakePortalCapturer([]);
    const { picker, frame, answers, callback } = setup({
      env: WAYLAND,
      desktopCapturer: portal.capturer,
    });
    picker.handleRequest({ frame, videoRequested: true }, callback);
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    expect(answers).toEqual([null]);
  });

  it('on Wayland lets the doctor choose when the portal returns more than one source', async () => {
    const portal = fakePortalCapturer([
      { id: 'screen:98:0', name: 'Screen' },
      { id: 'window:97:0', name: 'Window' },
    ]);
    const { picker, frame, answers, callback } = setup({
      env: WAYLAND,
      desktopCapturer: portal.capturer,
    });
    await request(picker, frame, callback);
    const pick = lastPick(frame);
    expect(pick.sources.map((s) => s.id)).toEqual(['screen:98:0', 'window:97:0']);
    picker.choose({ requestId: pick.requestId, sourceId: 'window:97:0', audio: false }, frame);
    expect(answers).toEqual([{ video: { id: 'window:97:0', name: 'Window' } }]);
  });

  it('cancels with null, once, when listing sources fails', async () => {
    const { picker, frame, answers, callback } = setup({
      desktopCapturer: { getSources: async () => Promise.reject(new Error('capturer broke')) },
    });
    picker.handleRequest({ frame, videoRequested: true }, callback);
    await vi.waitFor(() => expect(answers).toEqual([null]));
    await new Promise((r) => setTimeout(r, 0));
    expect(answers).toEqual([null]);
  });

  it('does not call the callback again when Electron throws from it', async () => {
    const { picker, frame } = setup();
    let calls = 0;
    picker.handleRequest({ frame, videoRequested: true }, () => {
      calls++;
      throw new Error('render frame was disposed');
    });
    await vi.waitFor(() => expect(picks(frame)).toHaveLength(1));
    picker.choose(
      { requestId: lastPick(frame).requestId, sourceId: 'screen:1:0', audio: false },
      frame,
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(1);
    expect(picker.pendingCount).toBe(0);
  });

  it('cancelAll answers every open request with null and tells the renderer', async () => {
    const { picker, frame, answers, callback } = setup();
    await request(picker, frame, callback);
    const { requestId } = lastPick(frame);
    picker.cancelAll();
    expect(answers).toEqual([null]);
    expect(cancels(frame)).toEqual([{ requestId, reason: 'cancelled' }]);
    expect(picker.pendingCount).toBe(0);
  });

  it('on a closed window cancels with null and sends nothing to the destroyed frame', async () => {
    const { picker, frame, answers, callback } = setup();
    await request(picker, frame, callback);
    frame.destroyed = true;
    picker.cancelAll('window-closed');
    expect(answers).toEqual([null]);
    expect(cancels(frame)).toEqual([]);
  });
});
