import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCsp, connectSources } from './csp.js';
import { originOf, resolveRendererEntry } from './origin.js';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, resolveAppFile } from './protocol.js';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'bedside-proto-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Bedside</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(base, 'secret.txt'), 'outside the renderer');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const handler = () => createAppProtocolHandler({ root, csp: () => buildCsp(null) });
const get = (url: string, method = 'GET') => handler()(new Request(url, { method }));

describe('bedside:// protocol handler', () => {
  it('serves the app shell with the CSP and nosniff headers', async () => {
    const res = await get('bedside://app/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(buildCsp(null));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Bedside</title>');
  });

  it('serves assets with their type, and the shell for routes', async () => {
    const js = await get('bedside://app/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect(await (await get('bedside://app/')).text()).toContain('Bedside');
    expect(await (await get('bedside://app/call/room-1')).text()).toContain('Bedside');
  });

  it('refuses path traversal however it is encoded', async () => {
    for (const url of [
      'bedside://app/%2e%2e/secret.txt',
      'bedside://app/%2E%2E%2Fsecret.txt',
      'bedside://app/assets/%2e%2e/%2e%2e/secret.txt',
      'bedside://app/..%5csecret.txt',
      'bedside://app/assets%5c..%5c..%5csecret.txt',
      'bedside://app/index.html%00.js',
      'bedside://app/%E0%A4%A',
    ]) {
      // The URL parser already folds %2e%2e segments (→ 404 inside the root); whatever survives
      // it decoded is refused (403). Never the file outside.
      const res = await get(url);
      expect([403, 404], url).toContain(res.status);
      expect(await res.text(), url).not.toContain('outside the renderer');
    }
  });

  it('refuses a decoded .. segment that the URL parser left alone', async () => {
    expect(resolveAppFile(root, 'bedside://app/a/..%2F..%2Fsecret.txt')).toEqual({
      kind: 'forbidden',
    });
    expect(resolveAppFile(root, 'bedside://app/..%5Csecret.txt')).toEqual({ kind: 'forbidden' });
  });

  it('refuses other hosts, missing files and non-GET methods', async () => {
    expect((await get('bedside://other/index.html')).status).toBe(403);
    expect((await get('bedside://app/missing.js')).status).toBe(404);
    expect((await get('bedside://app/index.html', 'POST')).status).toBe(405);
  });

  it('resolveAppFile keeps every resolved path inside the root', () => {
    const r = resolveAppFile(root, 'bedside://app/assets/app.js');
    expect(r).toEqual({ kind: 'file', filePath: path.join(root, 'assets', 'app.js') });
    expect(resolveAppFile(root, 'https://app/index.html')).toEqual({ kind: 'forbidden' });
  });

  it('registers the scheme as standard, secure and fetch-capable, nothing more', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'bedside',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
  });
});

describe('CSP', () => {
  it('is strict: no inline or eval script, no objects, frames or base changes', () => {
    const csp = buildCsp(null);
    expect(csp).toContain("default-src 'none'");
    // WebAssembly compilation (background blur) is the one thing allowed beyond own scripts.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp.replaceAll("'wasm-unsafe-eval'", '')).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
  });

  it('before a server is set, allows https/wss anywhere and plain http on loopback only', () => {
    expect(connectSources(null)).toEqual(expect.arrayContaining(["'self'", 'https:', 'wss:']));
    expect(connectSources(null)).not.toContain('http:');
    expect(connectSources(null)).not.toContain('ws:');
  });

  it('once a server is set, allows only that origin (http and websocket forms)', () => {
    expect(connectSources('https://clinic.example/some/path')).toEqual([
      "'self'",
      'https://clinic.example',
      'wss://clinic.example',
    ]);
    expect(connectSources('http://clinic.lan:8080')).toEqual([
      "'self'",
      'http://clinic.lan:8080',
      'ws://clinic.lan:8080',
    ]);
    expect(buildCsp('https://clinic.example')).toContain(
      "connect-src 'self' https://clinic.example wss://clinic.example;",
    );
    expect(buildCsp('https://clinic.example')).not.toMatch(/connect-src[^;]* https: /);
  });
});

describe('renderer entry', () => {
  it('uses bedside://app when packaged, whatever the environment says', () => {
    expect(
      resolveRendererEntry({ isPackaged: true, rendererUrl: 'http://localhost:5173' }),
    ).toEqual({
      url: 'bedside://app/index.html',
      origin: 'bedside://app',
      dev: false,
    });
  });

  it('uses the dev server only unpackaged and only on loopback', () => {
    expect(
      resolveRendererEntry({ isPackaged: false, rendererUrl: 'http://localhost:5173/' }),
    ).toEqual({
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
      dev: true,
    });
    expect(
      resolveRendererEntry({ isPackaged: false, rendererUrl: 'http://evil.example/' }).origin,
    ).toBe('bedside://app');
    expect(resolveRendererEntry({ isPackaged: false, rendererUrl: undefined }).origin).toBe(
      'bedside://app',
    );
  });

  it('computes origins the way Chromium does for the standard bedside: scheme', () => {
    expect(originOf('bedside://APP/index.html?x#y')).toBe('bedside://app');
    expect(originOf('https://a.example:8443/x')).toBe('https://a.example:8443');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('nonsense')).toBeNull();
  });
});
