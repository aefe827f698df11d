// Node: development seeding. An empty store outside production gets a demo doctor and manager
// (password DEMO_PASSWORD) so `npm start` is usable at once. Production never seeds.
import { createAccount } from './auth/users.js';
import type { Config } from './config/index.js';
import { createLogger } from './logging/index.js';
import type { MeetingStore } from './store/types.js';

const log = createLogger('seed');

export const DEMO_DOCTOR = {
  email: 'doctor@demo.test',
  displayName: 'Dr. Demo',
  role: 'doctor',
} as const;
export const DEMO_MANAGER = {
  email: 'manager@demo.test',
  displayName: 'Clinic Manager',
  role: 'manager',
} as const;

export async function seedDemoUsers(store: MeetingStore, config: Config): Promise<boolean> {
  if (config.nodeEnv === 'production') return false;
  if ((await store.countUsers()) > 0) return false;
  try {
    for (const u of [DEMO_DOCTOR, DEMO_MANAGER]) {
      await createAccount(store, { ...u, password: config.demoPassword });
    }
  } catch (err) {
    // Another instance sharing the store may have seeded first.
    if ((err as { code?: unknown }).code === 'conflict') return false;
    throw err;
  }
  log.info('seeded demo users doctor@demo.test and manager@demo.test');
  return true;
}

/** Demo accounts present and not disabled (production refuses to start with any). */
export async function demoUsersIn(store: MeetingStore): Promise<string[]> {
  const found: string[] = [];
  for (const u of [DEMO_DOCTOR, DEMO_MANAGER]) {
    const user = await store.getUserByEmail(u.email);
    if (user && !user.disabled) found.push(user.email);
  }
  return found;
}
