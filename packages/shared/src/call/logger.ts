// Pure: the call engine's logger. No console here: apps inject their own sink (pino in the
// service, a ring buffer or IPC in the apps). Context values are numbers, booleans and short
// codes only — never names, tokens, SDP, chat text or device labels.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogContext = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
}

export type LogSink = (
  level: LogLevel,
  scope: string,
  message: string,
  context?: LogContext,
) => void;

const noop = (): void => {};
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** A scoped logger writing to `sink` (silent without one). */
export function createLogger(scope: string, sink?: LogSink): Logger {
  if (!sink) return silentLogger;
  return {
    debug: (m, c) => sink('debug', scope, m, c),
    info: (m, c) => sink('info', scope, m, c),
    warn: (m, c) => sink('warn', scope, m, c),
    error: (m, c) => sink('error', scope, m, c),
  };
}

/** An error's name only: messages may quote SDP or device labels. */
export const errorName = (err: unknown): string =>
  err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err)
    ? String((err as { name: unknown }).name).slice(0, 64)
    : typeof err;
