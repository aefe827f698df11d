// Node: one structured logger (pino, JSON to stdout). Patient data never reaches it: the redact
// list below is the safety net, and callers log ids, not names, tokens, SDP or chat text.
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/index.js';

export type { Logger };

const REDACT_KEYS = [
  'token',
  'accessToken',
  'patientToken',
  'authorization',
  'password',
  'passwordHash',
  'sdp',
  'offer',
  'answer',
  'candidate',
  'message',
  'userName',
  'patientName',
  'displayName',
  'email',
];
// pino's redaction needs explicit paths; cover top level, one level and two levels deep.
// pino's own message key is `msg`, so a `message` field is always user content.
const REDACT_PATHS = REDACT_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

const initialLevel = (): LogLevel => {
  const fromEnv = process.env.LOG_LEVEL as LogLevel | undefined;
  if (fromEnv) return fromEnv;
  return process.env.VITEST || process.env.NODE_ENV === 'test' ? 'silent' : 'info';
};

/** The service's pino options; `destination` is for tests (stdout otherwise). */
export function createRootLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'bedside-signaling' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

const root: Logger = createRootLogger(initialLevel());

const children = new Set<Logger>();

/** A logger for one concern (`http`, `socket`, `store`, …). */
export function createLogger(scope: string): Logger {
  const child = root.child({ scope });
  children.add(child);
  return child;
}

/** Applies the configured level to every logger made so far and those made later. */
export function setLogLevel(level: LogLevel): void {
  root.level = level;
  for (const c of children) c.level = level;
}

/** Serialises an unknown error without its message text when it might carry user content. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      err: { name: err.name, code: typeof code === 'string' ? code : undefined, stack: err.stack },
    };
  }
  return { err: { type: typeof err } };
}
