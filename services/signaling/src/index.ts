#!/usr/bin/env node
// Node: the service's entry point. Config from the environment (a bad value stops here with a
// message naming it), start, and a graceful shutdown on SIGTERM / SIGINT.
import { ConfigError, loadConfig } from './config/index.js';
import { createLogger, errorFields, setLogLevel } from './logging/index.js';
import { startService } from './server.js';

const log = createLogger('main');
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`bedside-signaling: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  setLogLevel(config.logLevel);
  let service;
  try {
    service = await startService(config);
  } catch (err) {
    // What the store holds can be a configuration problem too (demo accounts in production).
    if (err instanceof ConfigError) {
      process.stderr.write(`bedside-signaling: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  log.info(
    { url: service.url, publicUrl: config.publicUrl, nodeEnv: config.nodeEnv },
    'service started',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error(errorFields(err), 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  log.fatal(errorFields(err), 'service failed to start');
  process.exitCode = 1;
});
