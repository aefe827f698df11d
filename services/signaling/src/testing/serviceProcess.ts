// Node (tests only): the real service as its own process (tsx from the TypeScript sources,
// the production entry point), so a test can kill it with SIGKILL and start it again on the
// same data directory. Free port, loopback only; `kill()` is a crash, `stop()` a SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot } from '../config/index.js';
import { DEMO_PASSWORD } from './harness.js';

const ENTRY = path.join(repoRoot, 'services/signaling/src/index.ts');
const TSCONFIG = path.join(repoRoot, 'e2e/support/tsconfig.service.json');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface ServiceProcess {
  url: string;
  pid: number;
  /** The instance id it logged when listening. */
  instanceId: string;
  output(): string;
  /** SIGKILL: no shutdown code runs, as in a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown. */
  stop(): Promise<void>;
}

export interface ServiceProcessOptions {
  dataDir: string;
  /** Same secret across restarts, so tokens stay valid. */
  jwtSecret: string;
  env?: Record<string, string>;
  port?: number;
}

export const newJwtSecret = () => randomBytes(32).toString('base64url');

/** Starts the service and resolves once it logged `listening` (and answers /readyz). */
export async function startServiceProcess(o: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? o.dataDir,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: o.dataDir,
      JWT_SECRET: o.jwtSecret,
      DEMO_PASSWORD,
      STUN_URLS: '',
      LOG_LEVEL: 'info',
      PATIENT_WEB_DIR: path.join(o.dataDir, 'no-patient-web'),
      TSX_TSCONFIG_PATH: TSCONFIG,
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const deadline = Date.now() + 60_000;
  let instanceId: string | null = null;
  while (!instanceId) {
    if (child.exitCode !== null) throw new Error(`the service exited early:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start within 60 s:\n${out}`);
    }
    const m = /"instanceId":"([A-Za-z0-9_-]+)"[^\n]*"msg":"listening"/.exec(out);
    if (m) instanceId = m[1]!;
    else await new Promise((r) => setTimeout(r, 100));
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    url,
    pid: child.pid!,
    instanceId,
    output: () => out,
    kill: () => signal('SIGKILL'),
    stop: async () => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
  };
}

const CLI = path.join(repoRoot, 'services/signaling/src/cli.ts');

/** Runs a Node entry point (tsx, from the sources) to its exit: its code and its output. */
function runToExit(
  entry: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        TSX_TSCONFIG_PATH: TSCONFIG,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The operator's CLI (`bedside …`) as its own process on the service's data directory. */
export function runCli(
  args: string[],
  o: { dataDir: string; env?: Record<string, string> },
): Promise<{ code: number | null; output: string }> {
  return runToExit(CLI, args, { NODE_ENV: 'test', DATA_DIR: o.dataDir, ...o.env });
}

/**
 * Starts the service's entry point for a start that is expected to be refused: resolves with
 * its exit code and output. (One that starts instead is killed after 60 s.)
 */
export function runServiceToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return runToExit(ENTRY, [], env);
}
