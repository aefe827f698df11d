// Main process. The `bedside://app/…` protocol: serves the built renderer (out/renderer) with
// the CSP as a response header. Anything that would resolve outside the renderer folder is
// refused, however it is encoded.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './origin.js';

/** For `protocol.registerSchemesAsPrivileged`, which must run before `app` is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    // Not bypassCSP, not corsEnabled beyond what fetch needs, not stream: nothing else is needed.
  },
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export type Resolution =
  { kind: 'file'; filePath: string } | { kind: 'forbidden' } | { kind: 'not-found' };

/** Maps a request URL to a file under `root`, or refuses it. Pure apart from `path`. */
export function resolveAppFile(root: string, requestUrl: string): Resolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'forbidden' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { kind: 'forbidden' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'forbidden' };
  }
  // Backslashes are separators on Windows; NUL truncates paths in native code.
  if (pathname.includes('\0') || pathname.includes('\\')) return { kind: 'forbidden' };
  const segments = pathname.split('/');
  if (segments.some((s) => s === '..')) return { kind: 'forbidden' };
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.slice(1);
  // History-style routes (no extension) get the app shell.
  const withShell = path.extname(relative) === '' ? 'index.html' : relative;
  const base = path.resolve(root);
  const filePath = path.resolve(base, withShell);
  if (filePath !== base && !filePath.startsWith(base + path.sep)) return { kind: 'forbidden' };
  return { kind: 'file', filePath };
}

export interface AppProtocolOptions {
  root: string;
  /** Computed per response, so a changed server URL applies at the next page load. */
  csp: () => string;
  read?: (filePath: string) => Promise<Buffer>;
  isFile?: (filePath: string) => Promise<boolean>;
}

const securityHeaders = (csp: string): Record<string, string> => ({
  'Content-Security-Policy': csp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
});

export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: Request) => Promise<Response> {
  const read = options.read ?? ((p: string) => readFile(p));
  const isFile =
    options.isFile ??
    (async (p: string) => {
      try {
        return (await stat(p)).isFile();
      } catch {
        return false;
      }
    });
  return async (request) => {
    const headers = securityHeaders(options.csp());
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers });
    }
    const resolved = resolveAppFile(options.root, request.url);
    if (resolved.kind === 'forbidden') return new Response(null, { status: 403, headers });
    if (resolved.kind === 'not-found' || !(await isFile(resolved.filePath))) {
      return new Response(null, { status: 404, headers });
    }
    const type = TYPES[path.extname(resolved.filePath).toLowerCase()] ?? 'application/octet-stream';
    const body = request.method === 'HEAD' ? null : new Uint8Array(await read(resolved.filePath));
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': type } });
  };
}
