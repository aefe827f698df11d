// Main process (pure). What electron-store keeps on disk: the renderer-visible `Settings`
// (validated with SettingsSchema from the IPC contract), the main window's bounds, and the
// session token — only ever as safeStorage ciphertext.

import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '@bedside/shared';

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface StoredState {
  settings: Settings;
  windowBounds: WindowBounds | null;
  /** base64 of `safeStorage.encryptString(token)`; never the token itself. */
  encryptedToken: string | null;
}

export const STORE_DEFAULTS: StoredState = {
  settings: DEFAULT_SETTINGS,
  windowBounds: null,
  encryptedToken: null,
};

/**
 * Reads whatever is on disk into valid Settings, field by field: one bad value (hand-edited
 * file, older or newer version) falls back to its default instead of losing every setting.
 */
export function sanitizeSettings(raw: unknown): Settings {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const whole = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...source });
  if (whole.success) return whole.data;
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    const candidate = { ...out, [key]: source[key] };
    if (SettingsSchema.safeParse(candidate).success) out[key] = source[key];
  }
  return SettingsSchema.parse(out);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function sanitizeBounds(raw: unknown): WindowBounds | null {
  if (!raw || typeof raw !== 'object') return null;
  const b = raw as Record<string, unknown>;
  if (!finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height)) return null;
  if (b.width < 200 || b.height < 200 || b.width > 20_000 || b.height > 20_000) return null;
  return {
    x: Math.round(b.x),
    y: Math.round(b.y),
    width: Math.round(b.width),
    height: Math.round(b.height),
    maximized: b.maximized === true,
  };
}

/** The part of electron-store (Conf) that migrations and the service use. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  has(key: string): boolean;
}

/**
 * electron-store migrations, keyed by the app version that introduces them; they run once when
 * the app is upgraded to (or past) that version.
 */
export const STORE_MIGRATIONS: Record<string, (store: KeyValueStore) => void> = {
  // From 0.2.0 on, what 0.1 wrote is re-validated once against the current schema: a value the
  // older build accepted but the schema now refuses (say an idle timeout outside 5–240 min)
  // falls back to its default, and bounds that make no sense are dropped.
  '0.2.0': (store) => {
    store.set('settings', sanitizeSettings(store.get('settings')));
    store.set('windowBounds', sanitizeBounds(store.get('windowBounds')));
  },
};

/** Options shared by electron-store (production) and Conf (tests): one source of truth. */
export function storeOptions() {
  return {
    name: 'bedside-settings',
    defaults: STORE_DEFAULTS,
    migrations: STORE_MIGRATIONS,
    // A corrupt file is replaced by defaults rather than crashing the app at start.
    clearInvalidConfig: true,
    accessPropertiesByDotNotation: false,
  } as const;
}
