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

export function decidePermissionRequest(
  permission: string,
  details: PermissionRequestDetails,
  appOrigin: string,
): boolean {
  if (!ALLOWED_FOR_APP.has(permission)) return false;
  if (details.isMainFrame === false) return false;
  if (!details.requestingUrl || originOf(details.requestingUrl) !== appOrigin) return false;
  if (permission === 'media') {
    if (details.securityOrigin && originOf(details.securityOrigin) !== appOrigin) return false;
    // An empty list is what a legacy getUserMedia({ chromeMediaSource: 'desktop' }) asks for:
    // screen capture that would bypass the picker. Only camera and microphone pass here.
    const types = details.mediaTypes ?? [];
    return types.length > 0 && types.every((t) => MEDIA_TYPES.has(t));
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
    // Device enumeration checks with `unknown`; a check grants nothing by itself, the request
    // handler above still decides each capture.
    return ['video', 'audio', 'unknown', undefined].includes(details.mediaType);
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

export function installPermissionHandlers(session: PermissionSessionLike, appOrigin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(decidePermissionRequest(permission, details, appOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    decidePermissionCheck(permission, requestingOrigin, details, appOrigin),
  );
  // USB, HID, serial and Bluetooth devices: a video-visit app has no use for them.
  session.setDevicePermissionHandler(() => false);
}
