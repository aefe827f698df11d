// Node (Playwright worker): a static server for a built renderer (e.g. apps/desktop/dist-web),
// giving it an origin of its own as a clinic's hosting of the web build would.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  // MediaPipe's WebAssembly (background blur): streaming compilation wants this type.
  '.wasm': 'application/wasm',
};

export interface ServeOptions {
  /** Extra response headers on every file served (e.g. a Content-Security-Policy). */
  headers?: Record<string, string>;
}

export interface StaticSite {
  origin: string;
  close(): Promise<void>;
}

/** Serves the files under `dir` (a path ending in a separator) on a free loopback port. */
export async function serveDir(dir: string, options: ServeOptions = {}): Promise<StaticSite> {
  const root = dir.endsWith(path.sep) ? dir : dir + path.sep;
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, pathname === '/' ? 'index.html' : pathname);
    // Nothing outside the folder, whatever the request path says.
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      ...options.headers,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('static server has no address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
