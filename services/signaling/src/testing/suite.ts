// Node (tests only): the real service for one `describe` block, on its own data dir — started
// before the block's tests, every client socket closed after each test, stopped and its data
// removed after the block.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Config } from '../config/index.js';
import { closeAllSockets, startTestService, tempDir } from './harness.js';

export type TestService = Awaited<ReturnType<typeof startTestService>>;

export interface ServiceSuite {
  /** The running service (inside a test or hook; it starts in `beforeAll`). */
  readonly service: TestService;
  /** Stops the service and starts it again on the same data dir, as a process restart would. */
  restart(): Promise<TestService>;
}

export function useTestService(overrides: Partial<Config> = {}): ServiceSuite {
  const data = tempDir();
  let running: TestService | undefined;
  const start = async () => {
    running = await startTestService({ ...overrides, dataDir: data.dir });
    return running;
  };

  beforeAll(start);
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await running?.close();
    data.remove();
  });

  return {
    get service() {
      if (!running) throw new Error('The test service starts in beforeAll; use it inside a test');
      return running;
    },
    async restart() {
      await running?.close();
      running = undefined;
      return start();
    },
  };
}
