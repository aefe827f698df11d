// The clinician console at /app through real HTTP: `/` leads there, the page is never cached and
// carries the renderer's strict CSP, hashed assets are cached for good, nothing escapes the
// folder, and an unbuilt console says how to build it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestService, tempDir } from '../testing/harness.js';

type Service = Awaited<ReturnType<typeof startTestService>>;

/** A CSP header as `directive → sources`. */
function parseCsp(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

describe('clinician console at /app', () => {
  const dir = tempDir();
  const web = path.join(dir.dir, 'console');
  let s: Service;

  beforeAll(async () => {
    mkdirSync(path.join(web, 'assets'), { recursive: true });
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Bedside console</title>');
    writeFileSync(path.join(web, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir.dir, 'secret.txt'), 'outside');
    s = await startTestService({ consoleWebDir: web });
  });
  afterAll(async () => {
    await s?.close();
    dir.remove();
  });

  it('/ and /app lead to /app/', async () => {
    const root = await fetch(`${s.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app/');
    const app = await fetch(`${s.url}/app`, { redirect: 'manual' });
    expect(app.status).toBe(301);
    expect(app.headers.get('location')).toBe('/app/');
    const followed = await fetch(`${s.url}/`);
    expect(followed.url).toBe(`${s.url}/app/`);
    expect(await followed.text()).toContain('<title>Bedside console</title>');
  });

  it('serves the page uncached, under the strict console CSP', async () => {
    const page = await fetch(`${s.url}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = parseCsp(page.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    // Only this origin (and its WebSocket form): not the renderer's any-server allowance.
    const host = new URL(s.url).host;
    expect(csp.get('connect-src')).toEqual(["'self'", `ws://${host}`]);
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves hashed assets for a year and nothing outside the folder', async () => {
    const asset = await fetch(`${s.url}/app/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    expect((await fetch(`${s.url}/app/assets/missing.js`)).status).toBe(404);
    const traversal = await fetch(`${s.url}/app/assets/..%2f..%2fsecret.txt`);
    expect(traversal.status).toBeGreaterThanOrEqual(400);
    expect(await traversal.text()).not.toContain('outside');
    expect((await fetch(`${s.url}/app/anything-else`)).status).toBe(404);
  });

  it('the API keeps its own headers (the console CSP is for the page only)', async () => {
    const r = await api(s.url, 'GET', '/healthz');
    expect(r.status).toBe(200);
    expect(parseCsp(r.headers.get('content-security-policy')).get('style-src')).toContain(
      "'unsafe-inline'",
    );
  });
});

describe('clinician console not built', () => {
  it('answers 503 saying how to build it', async () => {
    const s = await startTestService();
    try {
      const r = await api(s.url, 'GET', '/app/');
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({
        error: {
          code: 'unavailable',
          message: expect.stringContaining('npm run build:web -w apps/desktop'),
        },
      });
    } finally {
      await s.close();
    }
  });
});
