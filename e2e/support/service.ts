// Node (Playwright worker): runs the real Bedside service for end-to-end tests, as its own
// process, from its TypeScript sources (tsx; no build step), on a free loopback port with a
// throwaway data directory. Production runs the same entry point (`services/signaling/src/index.ts`
// built to dist/index.js) with the same environment variables.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = path.join(REPO_ROOT, 'services/signaling/src/index.ts');
/** What `npm run serve` (and a production `npm start`) runs: the built service, no rebuild. */
const START_SCRIPT = path.join(REPO_ROOT, 'scripts/start.mjs');
export const SERVICE_DIST = path.join(REPO_ROOT, 'services/signaling/dist/index.js');
const TSCONFIG = fileURLToPath(new URL('./tsconfig.service.json', import.meta.url));
export const PATIENT_WEB_DIST = path.join(REPO_ROOT, 'apps/patient-web/dist');

export interface TestService {
  /** e.g. `http://127.0.0.1:41234` (also the service's PUBLIC_URL). */
  url: string;
  port: number;
  dataDir: string;
  /** The service's JWT_SECRET, so tests can mint tokens the service accepts (e.g. expired ones). */
  jwtSecret: string;
  /** What the service printed (warnings and errors; LOG_LEVEL=warn unless overridden). */
  output(): string;
  /** SIGKILL, as in a crash: no shutdown code runs; the data directory stays. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

/** To start the service again where a killed one ran: same port, data and secret. */
export interface RestartFrom {
  port: number;
  dataDir: string;
  jwtSecret: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitReady(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `the service exited with code ${child.exitCode} before it was ready:\n${output()}`,
      );
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `readyz answered ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the service was not ready within ${timeoutMs} ms (${last}):\n${output()}`);
}

/**
 * Starts the service. `env` adds or overrides variables (REDIS_URL, TURN_URLS, …). STUN is off
 * by default: there is no internet here, and loopback host candidates connect two local peers.
 */
export async function startTestService(
  env: Record<string, string> = {},
  options: { built?: boolean; from?: RestartFrom } = {},
): Promise<TestService> {
  const { from } = options;
  if (!existsSync(ENTRY)) throw new Error(`service entry point missing: ${ENTRY}`);
  if (options.built && !existsSync(SERVICE_DIST))
    throw new Error(`the service is not built (${SERVICE_DIST}): run \`npm run build\` first`);
  const port = from?.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const dataDir = from?.dataDir ?? mkdtempSync(path.join(tmpdir(), 'bedside-e2e-'));
  const jwtSecret = from?.jwtSecret ?? randomBytes(32).toString('base64url');
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    JWT_SECRET: jwtSecret,
    STUN_URLS: '',
    LOG_LEVEL: 'warn',
    TSX_TSCONFIG_PATH: TSCONFIG,
    ...env,
  };
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    // Bounded: a chatty service must not grow the test worker's memory.
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  // `built`: exactly what `npm run serve` runs (scripts/start.mjs --no-build → dist/index.js).
  const args = options.built ? [START_SCRIPT, '--no-build'] : ['--import', 'tsx', ENTRY];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => out;

  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGKILL');
      await exited;
    }
  };

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitReady(url, child, output, 60_000);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, port, dataDir, jwtSecret: fullEnv.JWT_SECRET!, output, kill, close };
}
