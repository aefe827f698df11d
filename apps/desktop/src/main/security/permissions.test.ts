import { describe, expect, it, vi } from 'vitest';
import {
  decidePermissionCheck,
  decidePermissionRequest,
  installPermissionHandlers,
  type PermissionSessionLike,
} from './permissions.js';

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

  it('lets display capture through to the picker, as each Electron version asks for it', () => {
    // Electron 39–44: getDisplayMedia arrives as 'media' with an empty mediaTypes list, and the
    // display-media handler (our picker) runs only if this is allowed.
    expect(
      decidePermissionRequest(
        'media',
        { requestingUrl: page, isMainFrame: true, mediaTypes: [] },
        APP,
      ),
    ).toBe(true);
    // Electron ≥ 45 (electron#52824): a 'display-capture' request.
    expect(
      decidePermissionRequest('display-capture', { requestingUrl: page, isMainFrame: true }, APP),
    ).toBe(true);
    // Either form from another origin or a subframe stays denied.
    expect(
      decidePermissionRequest(
        'media',
        { requestingUrl: evil, isMainFrame: true, mediaTypes: [] },
        APP,
      ),
    ).toBe(false);
    expect(
      decidePermissionRequest('display-capture', { requestingUrl: page, isMainFrame: false }, APP),
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

  it('allow media checks for camera and microphone only (no type is pan-tilt-zoom)', () => {
    const base = { isMainFrame: true, requestingUrl: page };
    expect(decidePermissionCheck('media', APP, { ...base, mediaType: 'audio' }, APP)).toBe(true);
    expect(decidePermissionCheck('media', APP, { ...base, mediaType: 'video' }, APP)).toBe(true);
    expect(decidePermissionCheck('media', APP, base, APP)).toBe(false);
    expect(decidePermissionCheck('media', APP, { ...base, mediaType: 'unknown' }, APP)).toBe(false);
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
});
