// Main process. One scoped logger: JSON lines on stderr, with fields that might carry patient
// data or secrets redacted by key before anything is written.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
// Names, tokens, SDP, chat text and device labels never reach a log (docs/architecture.md).
const REDACT = /token|password|secret|authorization|cookie|name|sdp|label|message|text|path/i;

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (REDACT.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, code: errorCode(value) };
    else if (value && typeof value === 'object' && !Array.isArray(value))
      out[key] = redact(value as LogFields);
    else out[key] = value;
  }
  return out;
}

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};
const envLevel = process.env.BEDSIDE_LOG_LEVEL;
// Unit tests exercise refusals on purpose; their warnings would only be noise.
let minLevel: LogLevel =
  envLevel === 'debug' || envLevel === 'info' || envLevel === 'warn' || envLevel === 'error'
    ? envLevel
    : process.env.VITEST
      ? 'error'
      : 'info';

/** Tests capture lines here. */
export function setLogSink(next: LogSink, level: LogLevel = minLevel): void {
  sink = next;
  minLevel = level;
}

export function createLogger(scope: string): Logger {
  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    sink(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        scope,
        msg,
        ...(fields ? redact(fields) : {}),
      }),
    );
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}
