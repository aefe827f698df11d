// Main process (pure). The renderer's Content-Security-Policy, sent as a response header by the
// `bedside:` protocol handler and read at each page load. Once a server is configured, fetch
// and Socket.io may reach that origin only (its http(s) and ws(s) forms). Before that — the
// first-run screen, which tests the address the doctor types — any https/wss origin, and plain
// http/ws on loopback only. Changing the server reloads the page, so the new origin applies.

import { originOf } from './origin.js';

const LOOPBACK_HTTP = [
  'http://localhost:*',
  'http://127.0.0.1:*',
  'ws://localhost:*',
  'ws://127.0.0.1:*',
];

export function connectSources(serverUrl: string | null): string[] {
  const origin = serverUrl ? originOf(serverUrl) : null;
  if (!origin || !/^https?:\/\//.test(origin))
    return ["'self'", 'https:', 'wss:', ...LOOPBACK_HTTP];
  return ["'self'", origin, origin.replace(/^http/, 'ws')];
}

export function buildCsp(serverUrl: string | null): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    // Background blur compiles MediaPipe's WebAssembly; this allows wasm only, not eval().
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['style-src', ["'self'"]],
    // Picker thumbnails and app icons arrive as data: URLs; video frames as blob:/mediastream:.
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['media-src', ["'self'", 'blob:', 'mediastream:']],
    ['font-src', ["'self'"]],
    ['connect-src', connectSources(serverUrl)],
    ['worker-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['child-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}
