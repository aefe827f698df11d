// Main process (pure). The renderer's Content-Security-Policy, sent as a response header by the
// `bedside:` protocol handler. Only the service may be reached: fetch and Socket.io go to the
// configured server (https/wss anywhere, plain http/ws only on loopback or the configured
// origin itself, read at each page load).

import { originOf } from './origin.js';

const LOOPBACK_HTTP = [
  'http://localhost:*',
  'http://127.0.0.1:*',
  'ws://localhost:*',
  'ws://127.0.0.1:*',
];

export function connectSources(serverUrl: string | null): string[] {
  const sources = ["'self'", 'https:', 'wss:', ...LOOPBACK_HTTP];
  const origin = serverUrl ? originOf(serverUrl) : null;
  if (origin?.startsWith('http://')) {
    sources.push(origin, origin.replace(/^http:/, 'ws:'));
  }
  return [...new Set(sources)];
}

export function buildCsp(serverUrl: string | null): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
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
