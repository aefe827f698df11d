// The operator CLI against a real embedded store in a temp data dir; then the service signs in
// with what the CLI wrote.
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { login, startTestService, tempDir } from './testing/harness.js';

const data = tempDir();
afterAll(() => data.remove());

async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(argv, {
    env: { NODE_ENV: 'test', DATA_DIR: data.dir, ...env },
    stdout,
    stderr,
    stdin: process.stdin,
  });
  return { code, out, err };
}

describe('bedside CLI', () => {
  it('adds users, lists them, resets a password; the service accepts it', async () => {
    const added = await cli(
      ['users', 'add', '--email', 'Lee@Clinic.Example', '--name', 'Dr. Lee', '--role', 'doctor'],
      {
        BEDSIDE_PASSWORD: 'first-password',
      },
    );
    expect(added).toMatchObject({ code: 0, err: '' });
    expect(added.out).toMatch(/^added doctor lee@clinic\.example \(u-[\w-]+\)\n$/);

    const dup = await cli(
      ['users', 'add', '--email', 'lee@clinic.example', '--name', 'X', '--role', 'doctor'],
      {
        BEDSIDE_PASSWORD: 'first-password',
      },
    );
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('already exists');

    await cli(
      ['users', 'add', '--email', 'boss@clinic.example', '--name', 'Boss', '--role', 'manager'],
      {
        BEDSIDE_PASSWORD: 'manager-password',
      },
    );
    const list = await cli(['users', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('lee@clinic.example\tDr. Lee');
    expect(list.out).toContain('manager\tboss@clinic.example');
    expect(list.out).not.toMatch(/scrypt/);

    const reset = await cli(['users', 'reset-password', '--email', 'lee@clinic.example'], {
      BEDSIDE_PASSWORD: 'second-password',
    });
    expect(reset).toMatchObject({ code: 0, out: 'password reset for lee@clinic.example\n' });

    const service = await startTestService({ dataDir: data.dir });
    try {
      expect(
        (await login(service.url, 'lee@clinic.example', 'second-password')).user.displayName,
      ).toBe('Dr. Lee');
      await expect(login(service.url, 'lee@clinic.example', 'first-password')).rejects.toThrow(
        /401/,
      );
      // The store had users already, so nothing was seeded.
      await expect(login(service.url, 'doctor@demo.test')).rejects.toThrow(/401/);
      const audit = await service.store.listAudit({});
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['user.create', 'user.password-reset']),
      );
    } finally {
      await service.close();
    }
  });

  it('explains bad usage with exit code 2', async () => {
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command');
    const role = await cli(
      ['users', 'add', '--email', 'a@b.example', '--name', 'A', '--role', 'admin'],
      {
        BEDSIDE_PASSWORD: 'long-enough-pw',
      },
    );
    expect(role).toMatchObject({ code: 2 });
    expect(role.err).toContain('--role must be doctor or manager');
    const noPassword = await cli([
      'users',
      'add',
      '--email',
      'a@b.example',
      '--name',
      'A',
      '--role',
      'doctor',
    ]);
    expect(noPassword.code).toBe(2);
    expect(noPassword.err).toContain('BEDSIDE_PASSWORD');
    const weak = await cli(
      ['users', 'add', '--email', 'a@b.example', '--name', 'A', '--role', 'doctor'],
      {
        BEDSIDE_PASSWORD: 'short',
      },
    );
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('at least 8');
    const badFlag = await cli(['users', 'list', '--all']);
    expect(badFlag.code).toBe(2);
    const badEnv = await cli(['users', 'list'], { CLINIC_TIME_ZONE: 'Nowhere/Land' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.err).toContain('CLINIC_TIME_ZONE');
  });

  it('dispatches report to the report exporter', async () => {
    const r = await cli([
      'report',
      '--from',
      '2030-01-01',
      '--to',
      '2030-01-31',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ rows: [] });
  });
});
