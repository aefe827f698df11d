// Node: the production hygiene findings of issue 13 (private data files, demo accounts, the
// proxy setting, /metrics), with the real service entry point as its own process and the real
// CLI on its data directory.
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { api, login, tempDir } from './testing/harness.js';
import {
  freePort,
  newJwtSecret,
  runCli,
  runServiceToExit,
  startServiceProcess,
  type ServiceProcess,
} from './testing/serviceProcess.js';

const dirs: { remove(): void }[] = [];
const running = new Set<ServiceProcess>();
afterAll(async () => {
  for (const s of running) await s.stop();
  for (const d of dirs) d.remove();
});

const mode = (file: string) => statSync(file).mode & 0o777;
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

it('keeps the store private, refuses demo accounts and TRUST_PROXY=true in production, guards /metrics', async () => {
  const root = tempDir('bedside-production-');
  dirs.push(root);
  // Not there yet: the service creates it (finding 6: it was 0755 with 0644 files inside).
  const dataDir = path.join(root.dir, 'data');
  const jwtSecret = newJwtSecret();

  // A development start seeds the demo accounts.
  const dev = await startServiceProcess({ dataDir, jwtSecret, env: { NODE_ENV: 'development' } });
  running.add(dev);
  await login(dev.url, 'doctor@demo.test');
  expect(mode(dataDir)).toBe(0o700);
  for (const f of ['bedside.db', 'bedside.db-wal', 'bedside.db-shm']) {
    expect({ f, mode: mode(path.join(dataDir, f)) }).toEqual({ f, mode: 0o600 });
  }
  await dev.stop();
  running.delete(dev);

  const port = await freePort();
  const production = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    JWT_SECRET: jwtSecret,
    STUN_URLS: '',
    PATIENT_WEB_DIR: path.join(root.dir, 'no-patient-web'),
  };

  // Finding 7: the same data dir in production is refused while the demo accounts work.
  const refused = await runServiceToExit(production);
  expect(refused.code).toBe(78);
  expect(refused.output).toContain('doctor@demo.test');
  expect(refused.output).toContain('users disable');

  // Finding 3: TRUST_PROXY=true is refused, naming the variable.
  const proxy = await runServiceToExit({ ...production, TRUST_PROXY: 'true' });
  expect(proxy.code).toBe(78);
  expect(proxy.output).toContain('TRUST_PROXY');

  // Disabled through the CLI, the production start goes ahead; the demo account cannot sign in.
  for (const email of ['doctor@demo.test', 'manager@demo.test']) {
    expect(await runCli(['users', 'disable', '--email', email], { dataDir })).toMatchObject({
      code: 0,
    });
  }
  const prod = await startServiceProcess({
    dataDir,
    jwtSecret,
    port,
    env: { ...production, METRICS_TOKEN },
  });
  running.add(prod);
  const demo = await api(prod.url, 'POST', '/api/auth/login', {
    body: { email: 'doctor@demo.test', password: 'demo-password-for-tests' },
  });
  expect(demo.status).toBe(403);

  // Finding 8: /metrics on the service port needs the token in production.
  expect((await api(prod.url, 'GET', '/metrics')).status).toBe(401);
  const wrong = await api(prod.url, 'GET', '/metrics', { token: 'not-the-metrics-token-at-all' });
  expect(wrong.status).toBe(401);
  const ok = await api(prod.url, 'GET', '/metrics', { token: METRICS_TOKEN });
  expect(ok.status).toBe(200);
  expect(String(ok.body)).toContain('bedside_');
  expect(mode(dataDir)).toBe(0o700);
  expect(mode(path.join(dataDir, 'bedside.db'))).toBe(0o600);
}, 120_000);
