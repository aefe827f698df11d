// Node: security headers (helmet). The CSP fits the patient page: own scripts only, media and
// images from blob:/data:, and signaling to this origin (ws/wss spelled out for older Safari,
// where 'self' does not cover WebSocket URLs).
import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import type { Config } from '../config/index.js';

const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function originParts(config: Config) {
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl) : null;
  const https = publicOrigin?.protocol === 'https:';
  const wsSelf = (req: IncomingMessage): string => {
    const host = publicOrigin?.host ?? req.headers.host ?? '';
    if (!SAFE_HOST.test(host)) return "'self'";
    return `${https ? 'wss' : 'ws'}://${host}`;
  };
  return { https, wsSelf };
}

export function securityHeaders(config: Config) {
  const { https, wsSelf } = originParts(config);
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // 'wasm-unsafe-eval': background blur compiles MediaPipe's WebAssembly (served from
        // /assets). It allows WebAssembly compilation only — not eval() or new Function().
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", (req) => wsSelf(req)],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only when the service is really reached over https.
    strictTransportSecurity: https ? { maxAge: 15_552_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'no-referrer' },
    // The desktop renderer (bedside://app) reads API responses through CORS.
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
}

/**
 * The clinician console's CSP at /app: the renderer's own policy (its index.html, the one
 * Electron enforces) with `connect-src` narrowed to this origin, since the page served here only
 * ever talks to the service that served it. No inline script or style, no eval, no framing.
 * It replaces the patient page's header on those routes; the page's meta policy still applies
 * on top (a browser enforces both).
 */
export function consoleContentSecurityPolicy(config: Config) {
  const { https, wsSelf } = originParts(config);
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'blob:', 'mediastream:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", (req) => wsSelf(req)],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
      ...(https ? { upgradeInsecureRequests: [] } : {}),
    },
  });
}
