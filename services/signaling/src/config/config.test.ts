import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, repoRoot } from './index.js';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('has sensible development defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      publicUrl: null,
      jwtSecret: null,
      mongodbUri: null,
      redisUrl: null,
      turnUrls: [],
      turnTtlSeconds: 3600,
      demoPassword: 'demo-password',
      clinicTimeZone: 'UTC',
      minDesktopVersion: '0.1.0',
      abandonGraceSeconds: 120,
      heartbeatSeconds: 5,
      sqliteSynchronous: 'normal',
      logLevel: 'info',
      trustProxy: false,
      socketEventsPerSecond: 50,
    });
    expect(c.corsOrigins).toEqual(['bedside://app']);
    expect(c.stunUrls.length).toBeGreaterThan(0);
    expect(c.patientWebDir).toBe(`${repoRoot}apps/patient-web/dist`);
    expect(c.dataDir).toMatch(/\/data$/);
  });

  it('reads every variable', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      PORT: '8443',
      PUBLIC_URL: 'https://visits.example.org/',
      JWT_SECRET: 's'.repeat(40),
      CORS_ORIGINS: 'https://admin.example.org, http://localhost:5173',
      MONGODB_URI: 'mongodb+srv://db.example.org/bedside',
      REDIS_URL: 'redis://cache:6379',
      TURN_URLS: 'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349',
      TURN_SECRET: 't'.repeat(32),
      TURN_TTL_SECONDS: '600',
      STUN_URLS: '',
      CLINIC_TIME_ZONE: 'Europe/Berlin',
      MIN_DESKTOP_VERSION: '1.2.3',
      ABANDON_GRACE_SECONDS: '300',
      HEARTBEAT_SECONDS: '2',
      SQLITE_SYNCHRONOUS: 'full',
      PATIENT_WEB_DIR: '/srv/patient-web',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '1',
    });
    expect(c).toMatchObject({
      nodeEnv: 'production',
      port: 8443,
      host: '0.0.0.0',
      publicUrl: 'https://visits.example.org',
      turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
      turnTtlSeconds: 600,
      stunUrls: [],
      clinicTimeZone: 'Europe/Berlin',
      minDesktopVersion: '1.2.3',
      abandonGraceSeconds: 300,
      heartbeatSeconds: 2,
      sqliteSynchronous: 'full',
      patientWebDir: '/srv/patient-web',
      logLevel: 'warn',
      trustProxy: 1,
    });
    expect(c.corsOrigins).toEqual([
      'bedside://app',
      'https://visits.example.org',
      'https://admin.example.org',
      'http://localhost:5173',
    ]);
  });

  it('stops on bad values with a message naming each variable', () => {
    const p = problems({
      PORT: 'eighty',
      PUBLIC_URL: 'ftp://x',
      TURN_TTL_SECONDS: '7200',
      CLINIC_TIME_ZONE: 'Mars/Olympus',
      MIN_DESKTOP_VERSION: 'latest',
      LOG_LEVEL: 'loud',
      MONGODB_URI: 'postgres://x',
    });
    const named = p.map((x) => x.split(':')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'PORT',
        'PUBLIC_URL',
        'TURN_TTL_SECONDS',
        'CLINIC_TIME_ZONE',
        'MIN_DESKTOP_VERSION',
        'LOG_LEVEL',
        'MONGODB_URI',
      ]),
    );
    expect(p.find((x) => x.startsWith('TURN_TTL_SECONDS'))).toContain('3600');
    const err = (() => {
      try {
        loadConfig({ PORT: '99999' });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message).toMatch(/^Invalid configuration:\n {2}- PORT: /);
  });

  it('requires a strong JWT_SECRET and PUBLIC_URL in production', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET: required in production (≥ 32 characters)',
      'PUBLIC_URL: required in production (patient links point at it)',
    ]);
    expect(problems({ JWT_SECRET: 'short' })[0]).toMatch(/^JWT_SECRET: must be at least 32/);
  });

  it('checks TURN, STUN and CORS lists', () => {
    expect(problems({ TURN_URLS: 'turn:x:3478' })).toEqual([
      'TURN_SECRET: required when TURN_URLS is set',
    ]);
    expect(problems({ TURN_URLS: 'http://x', TURN_SECRET: 'x'.repeat(20) })[0]).toMatch(
      /^TURN_URLS: /,
    );
    expect(problems({ STUN_URLS: 'turn:x' })[0]).toMatch(/^STUN_URLS: /);
    expect(problems({ HEARTBEAT_SECONDS: '0' })[0]).toMatch(/^HEARTBEAT_SECONDS: /);
    expect(problems({ SQLITE_SYNCHRONOUS: 'off' })).toEqual([
      'SQLITE_SYNCHRONOUS: must be normal or full',
    ]);
    expect(problems({ CORS_ORIGINS: 'https://a.example/path' })[0]).toMatch(/^CORS_ORIGINS: /);
    expect(problems({ TRUST_PROXY: 'maybe' })[0]).toMatch(/^TRUST_PROXY: /);
    expect(problems({ ABANDON_GRACE_SECONDS: '0' })[0]).toMatch(/^ABANDON_GRACE_SECONDS: /);
  });

  it('takes TRUST_PROXY as a hop count or proxy addresses, never true (issue 13)', () => {
    expect(problems({ TRUST_PROXY: 'true' })).toEqual([
      expect.stringMatching(/^TRUST_PROXY: true would trust any X-Forwarded-For/),
    ]);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, loopback' }).trustProxy).toEqual([
      '10.0.0.5',
      'loopback',
    ]);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(problems({ METRICS_TOKEN: 'short' })[0]).toMatch(/^METRICS_TOKEN: /);
    expect(problems({ SESSION_MAX_AGE_HOURS: '0' })[0]).toMatch(/^SESSION_MAX_AGE_HOURS: /);
  });
});
