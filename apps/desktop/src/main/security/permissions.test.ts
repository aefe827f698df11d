import { describe, expect, it, vi } from 'vitest';
import {
  decidePermissionCheck,
  decidePermissionRequest,
  installPermissionHandlers,
  refuseBluetoothChooser,
  type PermissionSessionLike,
} from './permissions.js';
import { displayCapturePermission } from '../testing/fakes.js';

const APP = 'bedside://app';
const page = `${APP}/index.html`;
const evil = 'https://evil.example/';

describe('permission requests', () => {
  it('allows camera and microphone for the app origin', () => {
    expect(
      decidePermissionRequest(
        'media',
        {
          requestingUrl: page,
          isMainFrame: true,
          mediaTypes: ['video', 'audio'],
          securityOrigin: APP,
        },
        APP,
      ),
    ).toBe(true);
    expect(
      decidePermissionRequest(
        'media',
        { requestingUrl: page, isMainFrame: true, mediaTypes: ['audio'] },
        APP,
      ),
    ).toBe(true);
  });

  it('denies media for other origins', () => {
    expect(
      decidePermissionRequest(
        'media',
        { requestingUrl: evil, isMainFrame: true, mediaTypes: ['video'] },
        APP,
      ),
    ).toBe(false);
    expect(
      decidePermissionRequest(
        'media',
        { requestingUrl: page, isMainFrame: true, mediaTypes: ['video'], securityOrigin: evil },
        APP,
      ),
    ).toBe(false);
  });

  it('denies media with unexpected media types', () => {
    expect(
      decidePermissionRequest(
        'media',
        { requestingUrl: page, isMainFrame: true, mediaTypes: ['video', 'desktop'] },
        APP,
      ),
    ).toBe(false);
  });

  it("lets getDisplayMedia through to the picker as Electron 39 reports it: 'media', no types", () => {
    const { permission, details } = displayCapturePermission(39, page);
    expect(decidePermissionRequest(permission, details, APP, { electronMajor: 39 })).toBe(true);
    const foreign = displayCapturePermission(39, evil);
    expect(
      decidePermissionRequest(foreign.permission, foreign.details, APP, { electronMajor: 39 }),
    ).toBe(false);
  });

  it("lets getDisplayMedia through as Electron 45+ reports it: 'display-capture' (electron#52824)", () => {
    const { permission, details } = displayCapturePermission(45, page);
    expect(decidePermissionRequest(permission, details, APP, { electronMajor: 45 })).toBe(true);
    // From 45 an empty 'media' request is no longer screen capture: nothing legitimate asks it.
    const legacy = displayCapturePermission(39, page);
    expect(
      decidePermissionRequest(legacy.permission, legacy.details, APP, { electronMajor: 45 }),
    ).toBe(false);
    expect(
      decidePermissionRequest('media', { requestingUrl: page, isMainFrame: true }, APP, {
        electronMajor: 45,
      }),
    ).toBe(false);
  });

  it('allows display capture, notifications and sanitized clipboard writes for the app only', () => {
    for (const p of ['display-capture', 'notifications', 'clipboard-sanitized-write']) {
      expect(decidePermissionRequest(p, { requestingUrl: page, isMainFrame: true }, APP), p).toBe(
        true,
      );
      expect(decidePermissionRequest(p, { requestingUrl: evil, isMainFrame: true }, APP), p).toBe(
        false,
      );
    }
  });

  it('denies everything else, even for the app origin', () => {
    for (const p of [
      'geolocation',
      'midi',
      'midiSysex',
      'clipboard-read',
      'pointerLock',
      'keyboardLock',
      'openExternal',
      'idle-detection',
      'mediaKeySystem',
      'window-management',
      'storage-access',
      'top-level-storage-access',
      'fileSystem',
      'unknown',
    ]) {
      expect(decidePermissionRequest(p, { requestingUrl: page, isMainFrame: true }, APP), p).toBe(
        false,
      );
    }
  });

  it('denies requests from subframes and requests without a URL', () => {
    expect(
      decidePermissionRequest(
        'media',
        { requestingUrl: page, isMainFrame: false, mediaTypes: ['video'] },
        APP,
      ),
    ).toBe(false);
    expect(decidePermissionRequest('notifications', { isMainFrame: true }, APP)).toBe(false);
  });

  it('treats the dev server origin as the app only when it is the configured origin', () => {
    const dev = 'http://localhost:5173';
    expect(
      decidePermissionRequest(
        'notifications',
        { requestingUrl: `${dev}/`, isMainFrame: true },
        dev,
      ),
    ).toBe(true);
    expect(
      decidePermissionRequest(
        'notifications',
        { requestingUrl: `${dev}/`, isMainFrame: true },
        APP,
      ),
    ).toBe(false);
  });
});

describe('permission checks', () => {
  it('allow media checks for the app origin and deny others', () => {
    expect(
      decidePermissionCheck(
        'media',
        APP,
        { mediaType: 'video', isMainFrame: true, requestingUrl: page },
        APP,
      ),
    ).toBe(true);
    expect(
      decidePermissionCheck('media', evil, { mediaType: 'video', isMainFrame: true }, APP),
    ).toBe(false);
    expect(
      decidePermissionCheck(
        'media',
        APP,
        { mediaType: 'audio', isMainFrame: false, embeddingOrigin: evil },
        APP,
      ),
    ).toBe(false);
  });

  it('allow media checks only for audio and video: an absent type is pan-tilt-zoom', () => {
    const check = (mediaType?: string) =>
      decidePermissionCheck(
        'media',
        APP,
        { mediaType, isMainFrame: true, requestingUrl: page },
        APP,
      );
    expect(check('audio')).toBe(true);
    expect(check('video')).toBe(true);
    expect(check(undefined)).toBe(false);
    expect(check('unknown')).toBe(false);
  });

  it('deny permissions outside the list', () => {
    for (const p of ['geolocation', 'hid', 'serial', 'usb', 'clipboard-read', 'openExternal']) {
      expect(
        decidePermissionCheck(p, APP, { isMainFrame: true, requestingUrl: page }, APP),
        p,
      ).toBe(false);
    }
  });
});

describe('installPermissionHandlers', () => {
  it('wires both handlers and denies every device', () => {
    let request: Parameters<PermissionSessionLike['setPermissionRequestHandler']>[0] | null = null;
    let check: Parameters<PermissionSessionLike['setPermissionCheckHandler']>[0] | null = null;
    let device: ((details: unknown) => boolean) | null = null;
    installPermissionHandlers(
      {
        setPermissionRequestHandler: (h) => (request = h),
        setPermissionCheckHandler: (h) => (check = h),
        setDevicePermissionHandler: (h) => (device = h),
      },
      APP,
    );
    const callback = vi.fn();
    request!({}, 'geolocation', callback, { requestingUrl: page, isMainFrame: true });
    request!({}, 'media', callback, {
      requestingUrl: page,
      isMainFrame: true,
      mediaTypes: ['video'],
    });
    expect(callback.mock.calls).toEqual([[false], [true]]);
    expect(check!({}, 'notifications', APP, { isMainFrame: true })).toBe(true);
    expect(device!({ deviceType: 'usb', origin: APP })).toBe(false);
  });

  it('answers select-bluetooth-device with no device, so the chooser never hangs', () => {
    const listeners: Array<
      (event: { preventDefault(): void }, devices: unknown[], cb: (id: string) => void) => void
    > = [];
    const contents = {
      on: (_e: 'select-bluetooth-device', l: (typeof listeners)[number]) => listeners.push(l),
    };
    refuseBluetoothChooser(contents);
    const prevented = vi.fn();
    const answer = vi.fn();
    listeners[0]!(
      { preventDefault: prevented },
      [{ deviceId: 'aa:bb', deviceName: 'Headset' }],
      answer,
    );
    expect(prevented).toHaveBeenCalled();
    // An empty id is Electron's "no device": navigator.bluetooth.requestDevice rejects.
    expect(answer).toHaveBeenCalledWith('');
  });
});
