// Main process. Locks navigation down: a Bedside window only ever shows the app's own origin;
// links meant for the outside world open in the system browser, and only http(s) and mailto.

import type {
  GuardedContents,
  NavigationEvent,
  ShellLike,
  WindowOpenResponse,
} from '../electron.js';
import { createLogger } from '../logger.js';
import { isAppUrl } from './origin.js';

const log = createLogger('security/navigation');

/** Schemes the system may open for us. Never file:, javascript:, smb:, custom handlers… */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'mailto:') return true;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  // Credentials in a URL are a phishing pattern; a clinic link never needs them.
  return parsed.username === '' && parsed.password === '' && parsed.hostname !== '';
}

export interface NavigationGuardOptions {
  appOrigin: string;
  shell: ShellLike;
}

export function windowOpenDecision(
  url: string,
  options: NavigationGuardOptions,
): WindowOpenResponse {
  if (isSafeExternalUrl(url)) {
    options.shell.openExternal(url).catch((error: unknown) => {
      log.warn('openExternal failed', { error });
    });
  } else {
    log.warn('window.open refused', { scheme: schemeOf(url) });
  }
  // The app never opens windows of its own from web content.
  return { action: 'deny' };
}

function schemeOf(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return m?.[1]?.toLowerCase() ?? 'invalid';
}

export function attachNavigationGuards(
  contents: GuardedContents,
  options: NavigationGuardOptions,
): void {
  const stayInApp = (kind: string) => (event: NavigationEvent) => {
    if (isAppUrl(event.url, options.appOrigin)) return;
    event.preventDefault();
    log.warn('navigation blocked', { kind, scheme: schemeOf(event.url) });
  };
  contents.on('will-navigate', stayInApp('will-navigate'));
  contents.on('will-frame-navigate', stayInApp('will-frame-navigate'));
  contents.on('will-redirect', stayInApp('will-redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => windowOpenDecision(url, options));
}
