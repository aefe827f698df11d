// DOM: the renderer's one logger. Values under keys that can carry patient data or secrets
// are replaced before anything reaches the console (which Electron may persist to disk).
type Level = 'debug' | 'info' | 'warn' | 'error';

const REDACTED_KEYS =
  /token|password|name|sdp|candidate|message|text|label|email|url|link|patient/i;
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = import.meta.env.DEV ? LEVELS.debug : LEVELS.info;

export type LogFields = Record<string, unknown>;

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (REDACTED_KEYS.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, code: codeOf(value) };
    else if (value !== null && typeof value === 'object' && !Array.isArray(value))
      out[key] = redact(value as LogFields);
    else out[key] = value;
  }
  return out;
}

// Error messages may echo user input, so only the name and code are logged.
function codeOf(error: Error): unknown {
  return 'code' in error ? (error as { code: unknown }).code : undefined;
}

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createLogger(scope: string): Logger {
  const emit = (level: Level, event: string, fields?: LogFields) => {
    if (LEVELS[level] < threshold) return;
    const line = { level, scope, event, ...(fields ? redact(fields) : {}) };
    // eslint-disable-next-line no-console -- the logger is the one place that writes to the console
    console[level === 'debug' ? 'log' : level](JSON.stringify(line));
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
}
