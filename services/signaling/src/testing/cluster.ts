// Node (tests only): real processes for multi-instance tests — redis-server, service instances
// (the production entry point, src/index.ts under tsx) and nginx running deploy/nginx/bedside.conf
// — each on a free loopback port, in temp dirs, stopped by `stopAll()` (afterAll) even when a
// test failed. Nothing here outlives the test run: children die with SIGKILL after a short grace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as ioClient } from 'socket.io-client';
import type { ClientSocket } from './harness.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const ENTRY = path.join(REPO, 'services/signaling/src/index.ts');
// Maps @bedside/shared to its sources, so the children need no build (as the e2e service does).
const TSCONFIG = path.join(REPO, 'e2e/support/tsconfig.service.json');
export const NGINX_CONF = path.join(REPO, 'deploy/nginx/bedside.conf');
const NGINX = ['/usr/sbin/nginx', 'nginx'].find(
  (bin) => spawnSync(bin, ['-v'], { stdio: 'ignore' }).status === 0,
);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What is missing to run these tests (null: nothing). */
export function missingTools(opts: { nginx?: boolean } = {}): string | null {
  const missing: string[] = [];
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0)
    missing.push('redis-server (apt-get install redis-server)');
  if (opts.nginx && !NGINX) missing.push('nginx (apt-get install nginx-light)');
  if (opts.nginx && spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0)
    missing.push('openssl');
  return missing.length ? missing.join(', ') : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

function track(child: ChildProcess, name: string): { output(): string } {
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (err) => (out += `\n[${name}] ${String(err)}`));
  return { output: () => out };
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // A frozen (SIGSTOP) process must be thawed to hear SIGTERM.
  child.kill('SIGCONT');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Stops every process started here and removes the temp dirs. Safe to call twice. */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...children].map((c) => stopChild(c)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs: number,
  details: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== null) return v;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms (${String(last)})\n${details()}`);
}

// ---- Redis ----------------------------------------------------------------------------------

export interface RedisProcess {
  url: string;
  port: number;
  /** SIGSTOP: the process keeps its connections but answers nothing. */
  freeze(): void;
  thaw(): void;
  /** kill -9; `start()` brings a fresh, empty one up on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const c = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = c;
    const { output } = track(c, 'redis');
    await until(
      'redis-server',
      async () => (output().includes('Ready to accept connections') ? true : null),
      10_000,
      output,
    );
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    kill: async () => {
      if (child) await stopChild(child, 'SIGKILL');
    },
    start,
  };
}

// ---- service instances ----------------------------------------------------------------------

export interface Instance {
  name: string;
  url: string;
  port: number;
  pid: number;
  output(): string;
  /** kill -9: no shutdown, no leave recorded, connections reset by the kernel. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  redisUrl: string;
  /** Shared by the instances: one embedded store file, as a MongoDB replica set would be. */
  dataDir: string;
  jwtSecret: string;
  publicUrl?: string;
  env?: Record<string, string>;
}

export const newSecret = () => randomBytes(32).toString('base64url');
export const clusterDataDir = () => tempDir('bedside-cluster-');

export async function startInstance(name: string, o: ClusterOptions): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: o.publicUrl ?? url,
      DATA_DIR: o.dataDir,
      JWT_SECRET: o.jwtSecret,
      REDIS_URL: o.redisUrl,
      DEMO_PASSWORD: 'demo-password-for-tests',
      STUN_URLS: '',
      TRUST_PROXY: '1',
      LOG_LEVEL: 'warn',
      PATIENT_WEB_DIR: path.join(o.dataDir, 'no-patient-web'),
      TSX_TSCONFIG_PATH: TSCONFIG,
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output } = track(child, name);
  await until(
    `instance ${name}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      return r.ok ? true : null;
    },
    30_000,
    output,
  );
  return {
    name,
    url,
    port,
    pid: child.pid!,
    output,
    kill: () => stopChild(child, 'SIGKILL'),
    stop: () => stopChild(child),
  };
}

/** A gauge or counter's value from an instance's /metrics (0 when absent). */
export async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

export const readyz = async (base: string): Promise<number> =>
  (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3000) })).status;

// ---- nginx ----------------------------------------------------------------------------------

export interface Nginx {
  /** `https://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The self-signed certificate clients must trust. */
  ca: string;
  output(): string;
}

/**
 * deploy/nginx/bedside.conf with the lines marked `# test:` swapped for the test's own
 * (upstreams, listen address, certificate, log path) inside a minimal nginx.conf. Everything
 * else — upgrade headers, timeouts, hashing, max_fails / fail_timeout, next-upstream — is the
 * production file's. One addition: a header naming the upstream that answered, so the test can
 * see where the load balancer sent each client.
 */
export function deriveNginxConfig(o: {
  upstreams: number[];
  port: number;
  cert: string;
  key: string;
  dir: string;
}): string {
  const site = readFileSync(NGINX_CONF, 'utf8');
  let upstreamsWritten = false;
  const lines: string[] = [];
  for (const line of site.split('\n')) {
    const marker = /#\s*test:\s*([a-z-]+)\s*$/.exec(line)?.[1];
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    switch (marker) {
      case undefined:
        lines.push(line);
        break;
      case 'drop':
        break;
      case 'upstream': {
        if (upstreamsWritten) break;
        upstreamsWritten = true;
        const rest = /server\s+\S+\s+([^;#]*);/.exec(line)?.[1] ?? '';
        for (const p of o.upstreams) lines.push(`${indent}server 127.0.0.1:${p} ${rest};`);
        break;
      }
      case 'listen':
        lines.push(`${indent}listen 127.0.0.1:${o.port} ssl;`);
        lines.push(`${indent}add_header X-Bedside-Upstream $upstream_addr always;`);
        break;
      case 'cert':
        lines.push(`${indent}ssl_certificate ${o.cert};`);
        break;
      case 'key':
        lines.push(`${indent}ssl_certificate_key ${o.key};`);
        break;
      case 'access-log':
        lines.push(`${indent}access_log ${path.join(o.dir, 'access.log')} bedside_path;`);
        break;
      default:
        throw new Error(`unknown "# test: ${marker}" marker in ${NGINX_CONF}`);
    }
  }
  if (!upstreamsWritten) throw new Error(`no "# test: upstream" line in ${NGINX_CONF}`);
  const tmp = (n: string) => path.join(o.dir, n);
  return [
    'worker_processes 1;',
    `pid ${tmp('nginx.pid')};`,
    `error_log ${tmp('error.log')} warn;`,
    'daemon off;',
    'events { worker_connections 1024; }',
    'http {',
    `  client_body_temp_path ${tmp('client_body')};`,
    `  proxy_temp_path ${tmp('proxy')};`,
    `  fastcgi_temp_path ${tmp('fastcgi')};`,
    `  uwsgi_temp_path ${tmp('uwsgi')};`,
    `  scgi_temp_path ${tmp('scgi')};`,
    ...lines.map((l) => `  ${l}`),
    '}',
    '',
  ].join('\n');
}

export async function startNginx(upstreams: number[], port?: number): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed (apt-get install nginx-light)');
  const dir = tempDir('bedside-nginx-');
  // Workers run as an unprivileged user when the test runs as root: let them into the dir.
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'logs'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const ssl = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'pipe' },
  );
  if (ssl.status !== 0) throw new Error(`openssl failed: ${ssl.stderr.toString()}`);
  const listen = port ?? (await freePort());
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, deriveNginxConfig({ upstreams, port: listen, cert, key, dir }));
  const test = spawnSync(NGINX, ['-p', dir, '-c', conf, '-t'], { stdio: 'pipe' });
  if (test.status !== 0) throw new Error(`nginx -t refused the config:\n${test.stderr.toString()}`);
  const child = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { output } = track(child, 'nginx');
  const url = `https://127.0.0.1:${listen}`;
  const ca = readFileSync(cert, 'utf8');
  const logs = () => {
    let err = '';
    try {
      err = readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      // not written yet
    }
    return output() + err;
  };
  await until(
    'nginx',
    async () => (await httpsGet(url, '/healthz', { ca })).status === 200 || null,
    10_000,
    logs,
  );
  return { url, port: listen, ca, output: logs };
}

/** GET over TLS through nginx, from a chosen loopback address (nginx hashes on it). */
export function httpsGet(
  base: string,
  urlPath: string,
  o: { ca: string; localAddress?: string },
): Promise<{ status: number; upstream: string | null; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${urlPath}`,
      { ca: o.ca, ...(o.localAddress ? { localAddress: o.localAddress } : {}), timeout: 5000 },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            upstream: (res.headers['x-bedside-upstream'] as string | undefined) ?? null,
            body,
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * A Socket.io client through nginx from `localAddress`, as the product's clients connect
 * (WebSocket) and reconnect (socket.io-client's own backoff). Closed by `closeClients()`.
 */
const clients = new Set<ClientSocket>();
export function connectVia(
  lb: Nginx,
  auth: Record<string, unknown>,
  localAddress: string,
): Promise<ClientSocket> {
  const socket: ClientSocket = ioClient(lb.url, {
    auth,
    forceNew: true,
    transports: ['websocket'],
    reconnection: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    ca: lb.ca,
    localAddress,
  } as Parameters<typeof ioClient>[1]);
  clients.add(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect through nginx timed out')), 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}

export function closeClients(): void {
  for (const s of clients) s.close();
  clients.clear();
}

/**
 * Loopback source addresses that nginx's `hash $remote_addr consistent` sends to each upstream
 * port, found by asking (the ring is nginx's business, not the test's).
 */
export async function addressesByUpstream(
  lb: Nginx,
  ports: number[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(ports.map((p) => [p, []]));
  for (let i = 2; i < 250 && [...out.values()].some((a) => a.length < 2); i++) {
    const localAddress = `127.0.0.${i}`;
    const r = await httpsGet(lb.url, '/healthz', { ca: lb.ca, localAddress });
    const port = Number(r.upstream?.split(':').at(-1));
    out.get(port)?.push(localAddress);
  }
  return out;
}
