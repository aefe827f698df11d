// Main process (pure). Which origin is "the app": `bedside://app` when packaged, the
// electron-vite dev server only in an unpackaged development run.

export const APP_SCHEME = 'bedside';
export const APP_HOST = 'app';
export const PACKAGED_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * `scheme://host[:port]` for http(s) and our scheme, else null. WHATWG URL gives `"null"` as the
 * origin of non-special schemes, but Chromium treats `bedside:` as standard (it is registered
 * privileged), so the origin is computed here the way Chromium sees it.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const scheme = parsed.protocol;
  if (scheme !== 'http:' && scheme !== 'https:' && scheme !== `${APP_SCHEME}:`) return null;
  if (!parsed.host) return null;
  return `${scheme}//${parsed.host.toLowerCase()}`;
}

export interface RendererEntry {
  /** What the window loads first. */
  url: string;
  /** The one origin trusted for IPC, permissions and navigation. */
  origin: string;
  dev: boolean;
}

/**
 * The dev server is trusted only when not packaged and it is a loopback http URL, so a stray
 * ELECTRON_RENDERER_URL on a clinic machine cannot point the app at a remote page.
 */
export function resolveRendererEntry(input: {
  isPackaged: boolean;
  rendererUrl: string | undefined;
}): RendererEntry {
  if (!input.isPackaged && input.rendererUrl) {
    const origin = originOf(input.rendererUrl);
    const host = origin ? new URL(origin).hostname : '';
    if (origin?.startsWith('http://') && ['localhost', '127.0.0.1', '[::1]'].includes(host)) {
      return { url: input.rendererUrl, origin, dev: true };
    }
  }
  return { url: `${PACKAGED_ORIGIN}/index.html`, origin: PACKAGED_ORIGIN, dev: false };
}

export function isAppUrl(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin;
}
