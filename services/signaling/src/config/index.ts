// Node: configuration from the environment, parsed once at start. A bad value stops the service
// with a message naming the variable; tests call `loadConfig` with their own env.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Origin the patient links point at (no trailing slash); null → the bound address is used. */
  publicUrl: string | null;
  dataDir: string;
  mongodbUri: string | null;
  /** Null outside production when unset: a per-data-dir secret is generated and kept. */
  jwtSecret: string | null;
  corsOrigins: string[];
  redisUrl: string | null;
  turnUrls: string[];
  turnSecret: string | null;
  turnTtlSeconds: number;
  stunUrls: string[];
  demoPassword: string;
  clinicTimeZone: string;
  minDesktopVersion: string;
  abandonGraceSeconds: number;
  /** How often this instance records its heartbeat; entries of an instance silent for 3 beats are closed. */
  heartbeatSeconds: number;
  /** The embedded store's durability level (SQLITE_SYNCHRONOUS); see docs/resilience.md. */
  sqliteSynchronous: 'normal' | 'full';
  patientWebDir: string;
  /** Built clinician console (the desktop renderer's web build), served at /app. */
  consoleWebDir: string;
  logLevel: LogLevel;
  /**
   * Express `trust proxy`: false, a hop count, or the proxies' addresses / subnets. Never
   * `true`: that trusts whatever X-Forwarded-For a client sends, so anyone picks their address.
   */
  trustProxy: false | number | string[];
  /** How long a sign-in lasts through refreshes (SESSION_MAX_AGE_HOURS). */
  sessionMaxAgeHours: number;
  /** Bearer token that /metrics on the service port requires (METRICS_TOKEN); null: none. */
  metricsToken: string | null;
  /** A separate ops listener for /metrics (METRICS_PORT, METRICS_HOST); null: none. */
  metricsPort: number | null;
  metricsHost: string;
  /** Live sockets one token (one user, one patient link) may hold on an instance. */
  maxSocketsPerPrincipal: number;
  /** Live connections (sockets and polling sessions) one client address may hold. */
  maxSocketsPerAddress: number;
  /** How far ahead a visit may be scheduled; its patient link lives until a day after it. */
  maxScheduleAheadDays: number;
  /** Per-connection signaling events per second (bursts of twice as many); see socket/rateLimit.ts. */
  socketEventsPerSecond: number;
}

export class ConfigError extends Error {
  readonly code = 'bad-config';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The repository root, from src/config or dist/config alike. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const DESKTOP_ORIGIN = 'bedside://app';
const DEFAULT_STUN = 'stun:stun.l.google.com:19302';

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s ? s : undefined));

const originOf = (url: string): string | null => {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? `${u.protocol}//${u.host}` : u.origin;
  } catch {
    return null;
  }
};

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optionalString,
  PUBLIC_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  CORS_ORIGINS: optionalString,
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  TURN_URLS: optionalString,
  TURN_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  TURN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60, 'must be at least 60')
    .max(3600, 'must be at most 3600 (1 h)')
    .default(3600),
  STUN_URLS: z.string().optional(),
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default('demo-password'),
  CLINIC_TIME_ZONE: z
    .string()
    .trim()
    .default('UTC')
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  MIN_DESKTOP_VERSION: z
    .string()
    .trim()
    .regex(/^\d+\.\d+\.\d+$/, 'must be a version like 1.2.3')
    .default('0.1.0'),
  ABANDON_GRACE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  SQLITE_SYNCHRONOUS: optionalString.pipe(
    z.enum(['normal', 'full'], { message: 'must be normal or full' }).optional(),
  ),
  PATIENT_WEB_DIR: optionalString,
  CONSOLE_WEB_DIR: optionalString,
  LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).optional()),
  TRUST_PROXY: optionalString,
  SESSION_MAX_AGE_HOURS: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(720, 'must be at most 720 (30 days)')
    .default(12),
  METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  METRICS_PORT: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be at most 65535'))
      .optional(),
  ),
  SOCKET_EVENTS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(50),
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  MAX_SOCKETS_PER_PRINCIPAL: z.coerce.number().int().min(1).max(1000).default(8),
  MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(200),
  MAX_SCHEDULE_AHEAD_DAYS: z.coerce.number().int().min(1).max(3660).default(366),
});

/** TRUST_PROXY → Express's setting, or a problem naming what is wrong. */
function parseTrustProxy(
  raw: string | undefined,
): { value: Config['trustProxy'] } | { problem: string } {
  if (raw === undefined || raw === 'false') return { value: false };
  if (raw === 'true') {
    return {
      problem:
        'TRUST_PROXY: true would trust any X-Forwarded-For a client sends (anyone could pick ' +
        'their address and dodge the sign-in limits); give the number of proxies in front ' +
        '(e.g. 1) or their addresses (e.g. 10.0.0.5,loopback)',
    };
  }
  if (/^\d{1,2}$/.test(raw)) return { value: Number(raw) };
  const entries = list(raw);
  try {
    proxyAddr.compile(entries);
  } catch {
    return {
      problem: `TRUST_PROXY: "${raw}" must be false, a hop count, or a comma-separated list of proxy addresses or subnets (loopback, linklocal, uniquelocal, 10.0.0.0/8 …)`,
    };
  }
  return { value: entries };
}

/** Parses and checks the environment; throws `ConfigError` naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const production = e.NODE_ENV === 'production';

  if (production && !e.JWT_SECRET)
    problems.push('JWT_SECRET: required in production (≥ 32 characters)');
  if (production && !e.PUBLIC_URL)
    problems.push('PUBLIC_URL: required in production (patient links point at it)');

  const turnUrls = list(e.TURN_URLS);
  for (const u of turnUrls) {
    if (!/^turns?:[^\s]+$/.test(u))
      problems.push(`TURN_URLS: "${u}" must start with turn: or turns:`);
  }
  if (turnUrls.length > 0 && !e.TURN_SECRET)
    problems.push('TURN_SECRET: required when TURN_URLS is set');

  const stunUrls = e.STUN_URLS === undefined ? [DEFAULT_STUN] : list(e.STUN_URLS);
  for (const u of stunUrls) {
    if (!/^stuns?:[^\s]+$/.test(u))
      problems.push(`STUN_URLS: "${u}" must start with stun: or stuns:`);
  }

  const corsOrigins = new Set<string>([DESKTOP_ORIGIN]);
  if (e.PUBLIC_URL) corsOrigins.add(originOf(e.PUBLIC_URL)!);
  for (const o of list(e.CORS_ORIGINS)) {
    const origin = originOf(o);
    if (!origin || origin !== o.replace(/\/+$/, '')) {
      problems.push(`CORS_ORIGINS: "${o}" is not an origin (scheme://host[:port])`);
    } else {
      corsOrigins.add(origin);
    }
  }

  const patientWebDir = e.PATIENT_WEB_DIR
    ? path.resolve(e.PATIENT_WEB_DIR)
    : path.join(repoRoot, 'apps/patient-web/dist');
  const consoleWebDir = e.CONSOLE_WEB_DIR
    ? path.resolve(e.CONSOLE_WEB_DIR)
    : path.join(repoRoot, 'apps/desktop/dist-web');

  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if ('problem' in trustProxy) problems.push(trustProxy.problem);

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    publicUrl: e.PUBLIC_URL ?? null,
    dataDir: path.resolve(e.DATA_DIR),
    mongodbUri: e.MONGODB_URI ?? null,
    jwtSecret: e.JWT_SECRET ?? null,
    corsOrigins: [...corsOrigins],
    redisUrl: e.REDIS_URL ?? null,
    turnUrls,
    turnSecret: e.TURN_SECRET ?? null,
    turnTtlSeconds: e.TURN_TTL_SECONDS,
    stunUrls,
    demoPassword: e.DEMO_PASSWORD,
    clinicTimeZone: e.CLINIC_TIME_ZONE,
    minDesktopVersion: e.MIN_DESKTOP_VERSION,
    abandonGraceSeconds: e.ABANDON_GRACE_SECONDS,
    heartbeatSeconds: e.HEARTBEAT_SECONDS,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS ?? 'normal',
    patientWebDir,
    consoleWebDir,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    trustProxy: 'value' in trustProxy ? trustProxy.value : false,
    sessionMaxAgeHours: e.SESSION_MAX_AGE_HOURS,
    metricsToken: e.METRICS_TOKEN ?? null,
    metricsPort: e.METRICS_PORT ?? null,
    metricsHost: e.METRICS_HOST,
    maxSocketsPerPrincipal: e.MAX_SOCKETS_PER_PRINCIPAL,
    maxSocketsPerAddress: e.MAX_SOCKETS_PER_ADDRESS,
    maxScheduleAheadDays: e.MAX_SCHEDULE_AHEAD_DAYS,
    socketEventsPerSecond: e.SOCKET_EVENTS_PER_SECOND,
  };
}

/** True when the built patient page is where the config says. */
export const patientWebAvailable = (config: Config): boolean =>
  existsSync(path.join(config.patientWebDir, 'index.html'));
