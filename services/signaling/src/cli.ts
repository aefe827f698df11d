#!/usr/bin/env node
// Node: the operator's CLI. `bedside users add|reset-password|disable|enable|sign-out|list` manage accounts (production
// never seeds any); `bedside report …` exports call durations. Uses the same store as the service
// (DATA_DIR / MONGODB_URI from the environment).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EmailSchema, RoleSchema } from '@bedside/shared';
import { createAudit } from './audit/index.js';
import { createAccount, resetPassword } from './auth/users.js';
import { ConfigError, loadConfig } from './config/index.js';
import { AppError } from './errors.js';
import { runReportCli } from './reports/cli.js';
import { openStore } from './store/index.js';
import type { MeetingStore } from './store/types.js';

export const USAGE = `Usage:
  bedside users add --email <email> --name <display name> --role doctor|manager
  bedside users reset-password --email <email>     (also signs the user out everywhere)
  bedside users disable --email <email>            (refuses sign-in and ends every session)
  bedside users enable --email <email>
  bedside users sign-out --email <email>           (ends every session; the password stays)
  bedside users list
  bedside report --from YYYY-MM-DD --to YYYY-MM-DD [options]   (bedside report --help)

The password comes from BEDSIDE_PASSWORD, or is asked for when run on a terminal.
The store is the service's: DATA_DIR (default ./data) or MONGODB_URI.
`;

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadStream;
}

class UsageError extends Error {}

/** Reads a line from the terminal without echoing it. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  const stdin = io.stdin;
  if (!stdin.isTTY) {
    return Promise.reject(new UsageError('Set BEDSIDE_PASSWORD or run on a terminal to be asked'));
  }
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(buf);
    };
    const onData = (chunk: Buffer | string) => {
      for (const c of chunk.toString('utf8')) {
        if (c === '\r' || c === '\n') return done();
        if (c === '\u0003') return done(new UsageError('cancelled'));
        if (c === '\u007f' || c === '\b') buf = buf.slice(0, -1);
        else buf += c;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readPassword(io: CliIo): Promise<string> {
  const fromEnv = io.env.BEDSIDE_PASSWORD;
  if (fromEnv) return fromEnv;
  const first = await promptHidden(io, 'Password: ');
  const second = await promptHidden(io, 'Repeat password: ');
  if (first !== second) throw new UsageError('The passwords do not match');
  return first;
}

async function users(argv: string[], store: MeetingStore, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const audit = createAudit(store);
  switch (sub) {
    case 'add': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
        strict: true,
      });
      if (!values.email || !values.name || !values.role) {
        throw new UsageError('users add needs --email, --name and --role');
      }
      const role = RoleSchema.safeParse(values.role);
      if (!role.success) throw new UsageError('--role must be doctor or manager');
      const user = await createAccount(store, {
        email: values.email,
        displayName: values.name,
        role: role.data,
        password: await readPassword(io),
      });
      await audit.record({
        actorId: 'cli',
        actorRole: 'system',
        action: 'user.create',
        detail: { userId: user.id, role: user.role },
      });
      out(`added ${user.role} ${user.email} (${user.id})`);
      return 0;
    }
    case 'reset-password': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' } },
        strict: true,
      });
      if (!values.email) throw new UsageError('users reset-password needs --email');
      const user = await resetPassword(store, values.email, await readPassword(io));
      await audit.record({
        actorId: 'cli',
        actorRole: 'system',
        action: 'user.password-reset',
        detail: { userId: user.id },
      });
      out(`password reset for ${user.email}`);
      return 0;
    }
    case 'disable':
    case 'enable':
    case 'sign-out': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' } },
        strict: true,
      });
      if (!values.email) throw new UsageError(`users ${sub} needs --email`);
      const email = EmailSchema.safeParse(values.email);
      const user = email.success ? await store.getUserByEmail(email.data) : null;
      if (!user) throw new AppError('not-found', 'No user with that email');
      if (sub === 'sign-out') await store.revokeSessions(user.id);
      else await store.setDisabled(user.id, sub === 'disable');
      await audit.record({
        actorId: 'cli',
        actorRole: 'system',
        action:
          sub === 'disable' ? 'user.disable' : sub === 'enable' ? 'user.enable' : 'user.logout',
        detail: { userId: user.id },
      });
      out(
        sub === 'sign-out'
          ? `signed out ${user.email} everywhere`
          : `${sub}d ${user.email}${sub === 'disable' ? ' (every session ended)' : ''}`,
      );
      return 0;
    }
    case 'list': {
      parseArgs({ args: rest, options: {}, strict: true });
      for (const u of await store.listUsers()) {
        const state = u.disabled ? 'disabled' : 'active';
        out([u.id, u.role.padEnd(7), u.email, u.displayName, state].join('\t'));
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown users command: ${sub}` : 'users needs a command');
  }
}

/** Runs one CLI command; resolves with the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'users' && command !== 'report') {
    io.stderr.write(`bedside: unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`bedside: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const store = await openStore({
    ...(config.mongodbUri ? { mongodbUri: config.mongodbUri } : {}),
    dataDir: config.dataDir,
  });
  try {
    if (command === 'report') {
      return await runReportCli(rest, {
        store,
        clinicTimeZone: config.clinicTimeZone,
        stdout: io.stdout,
        stderr: io.stderr,
      });
    }
    return await users(rest, store, io);
  } catch (err) {
    const usage =
      err instanceof UsageError ||
      (err as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    io.stderr.write(`bedside: ${(err as Error).message}\n`);
    if (usage) io.stderr.write(`\n${USAGE}`);
    return usage ? 2 : 1;
  } finally {
    await store.close();
  }
}

const invokedDirectly = (() => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`bedside: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
