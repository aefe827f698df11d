// Main process. Permission decisions for the default session: the app's own origin, in its main
// frame, may use camera/microphone, screen capture (through our picker), notifications,
// sanitized clipboard writes, speaker selection (preferred speaker) and fullscreen video.
// Everything else, and everything from any other origin, is denied.

import type { PermissionCheckDetails, PermissionRequestDetails } from '../electron.js';
import { originOf } from './origin.js';

const ALLOWED_FOR_APP = new Set([
  'media',
  'display-capture',
  'notifications',
  'clipboard-sanitized-write',
  'speaker-selection',
  'fullscreen',
]);

const MEDIA_TYPES = new Set(['video', 'audio']);

/** Electron's major version, where the display-capture permission changed form. */
export interface PermissionOptions {
  electronMajor: number;
}

/** electron#52824 (45.0, breaking): screen capture is asked as `display-capture` from here on. */
export const DISPLAY_CAPTURE_PERMISSION_SINCE = 45;

export function decidePermissionRequest(
  permission: string,
  details: PermissionRequestDetails,
  appOrigin: string,
  options: PermissionOptions = { electronMajor: DISPLAY_CAPTURE_PERMISSION_SINCE },
): boolean {
  if (!ALLOWED_FOR_APP.has(permission)) return false;
  if (details.isMainFrame === false) return false;
  if (!details.requestingUrl || originOf(details.requestingUrl) !== appOrigin) return false;
  if (permission === 'media') {
    if (details.securityOrigin && originOf(details.securityOrigin) !== appOrigin) return false;
    const types = details.mediaTypes ?? [];
    if (types.length === 0) {
      // Before Electron 45 getDisplayMedia arrives here as 'media' with no types, and the
      // display-media handler (our picker) is consulted only if this is allowed. From 45 it
      // arrives as 'display-capture', and an empty 'media' request has no legitimate caller.
      return options.electronMajor < DISPLAY_CAPTURE_PERMISSION_SINCE;
    }
    return types.every((t) => MEDIA_TYPES.has(t));
  }
  return true;
}

export function decidePermissionCheck(
  permission: string,
  requestingOrigin: string,
  details: PermissionCheckDetails,
  appOrigin: string,
): boolean {
  if (!ALLOWED_FOR_APP.has(permission)) return false;
  if (details.embeddingOrigin && originOf(details.embeddingOrigin) !== appOrigin) return false;
  if (originOf(requestingOrigin) !== appOrigin) return false;
  if (details.requestingUrl && originOf(details.requestingUrl) !== appOrigin) return false;
  if (permission === 'media') {
    if (details.securityOrigin && originOf(details.securityOrigin) !== appOrigin) return false;
    // Camera and microphone only. A media check without a type is Chromium asking about
    // camera pan-tilt-zoom, which the app never uses.
    return details.mediaType !== undefined && MEDIA_TYPES.has(details.mediaType);
  }
  return true;
}

export interface PermissionSessionLike {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: PermissionRequestDetails,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (
      webContents: unknown,
      permission: string,
      requestingOrigin: string,
      details: PermissionCheckDetails,
    ) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

export function installPermissionHandlers(
  session: PermissionSessionLike,
  appOrigin: string,
  options?: PermissionOptions,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(decidePermissionRequest(permission, details, appOrigin, options));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    decidePermissionCheck(permission, requestingOrigin, details, appOrigin),
  );
  // USB, HID, serial and Bluetooth devices: a video-visit app has no use for them.
  session.setDevicePermissionHandler(() => false);
}

export interface BluetoothChooserContents {
  on(
    event: 'select-bluetooth-device',
    listener: (
      event: { preventDefault(): void },
      devices: unknown[],
      callback: (deviceId: string) => void,
    ) => void,
  ): unknown;
}

/**
 * `navigator.bluetooth.requestDevice` waits for an answer to `select-bluetooth-device`; without
 * a listener Electron picks the first device. Answer "none" (an empty id) so it rejects.
 */
export function refuseBluetoothChooser(contents: BluetoothChooserContents): void {
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
}
