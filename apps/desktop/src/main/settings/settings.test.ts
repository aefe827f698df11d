import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// electron-store is Conf plus Electron's paths; Conf itself runs in plain Node, so the real
// store code (defaults, migrations, atomic writes) is what these tests exercise.
import Conf from 'conf';
import { DEFAULT_SETTINGS } from '@bedside/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, fakeSafeStorage } from '../testing/fakes.js';
import {
  STORE_DEFAULTS,
  sanitizeBounds,
  sanitizeSettings,
  storeOptions,
  type KeyValueStore,
  type StoredState,
} from './schema.js';
import { SettingsService } from './settingsService.js';
import { TokenVault } from './tokenVault.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openStore(cwd: string, projectVersion: string): Conf<StoredState> {
  const { name, ...rest } = storeOptions();
  return new Conf<StoredState>({
    ...rest,
    configName: name,
    cwd,
    projectName: 'bedside-test',
    projectVersion,
  } as ConstructorParameters<typeof Conf<StoredState>>[0]);
}

const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'bedside-settings-'));
  dirs.push(d);
  return d;
};

describe('settings schema', () => {
  it('starts from the defaults: no server yet, 15 min idle timeout', () => {
    const cwd = tempDir();
    const settings = new SettingsService(openStore(cwd, '0.1.0') as unknown as KeyValueStore);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(settings.get().serverUrl).toBeNull();
    expect(settings.get().idleTimeoutMinutes).toBe(15);
  });

  it('persists an update and reads it back from disk', () => {
    const cwd = tempDir();
    const a = new SettingsService(openStore(cwd, '0.1.0') as unknown as KeyValueStore);
    a.update({ serverUrl: 'https://clinic.example', preferredCameraId: 'cam-1' });
    const b = new SettingsService(openStore(cwd, '0.1.0') as unknown as KeyValueStore);
    expect(b.get()).toMatchObject({
      serverUrl: 'https://clinic.example',
      preferredCameraId: 'cam-1',
    });
  });

  it('a hand-edited bad value falls back to its default alone', () => {
    expect(
      sanitizeSettings({
        serverUrl: 'https://clinic.example',
        idleTimeoutMinutes: 9999,
        preferredCameraId: 42,
        extra: 'ignored',
      }),
    ).toEqual({ ...DEFAULT_SETTINGS, serverUrl: 'https://clinic.example' });
    expect(sanitizeSettings('garbage')).toEqual(DEFAULT_SETTINGS);
    expect(sanitizeSettings({ serverUrl: 'javascript:alert(1)' })).toEqual(DEFAULT_SETTINGS);
  });

  it('window bounds are sanitized', () => {
    expect(sanitizeBounds({ x: 10.4, y: 20, width: 1200, height: 800, maximized: true })).toEqual({
      x: 10,
      y: 20,
      width: 1200,
      height: 800,
      maximized: true,
    });
    expect(sanitizeBounds({ x: 0, y: 0, width: 50, height: 800 })).toBeNull();
    expect(sanitizeBounds({ x: Number.NaN, y: 0, width: 1200, height: 800 })).toBeNull();
    expect(sanitizeBounds(null)).toBeNull();
  });

  it('notifies listeners with the previous settings', () => {
    const settings = new SettingsService(new MemoryStore({ ...STORE_DEFAULTS }));
    const seen: Array<[string | null, string | null]> = [];
    settings.onChange((next, prev) => seen.push([prev.serverUrl, next.serverUrl]));
    settings.update({ serverUrl: 'https://a.example' });
    expect(seen).toEqual([[null, 'https://a.example']]);
  });
});

describe('settings migration', () => {
  it('0.2.0 re-validates what 0.1.0 wrote, keeping the good values', () => {
    const cwd = tempDir();
    const old = openStore(cwd, '0.1.0');
    // What an older build could have written: values the current schema refuses.
    old.set('settings', {
      ...DEFAULT_SETTINGS,
      serverUrl: 'https://clinic.example',
      idleTimeoutMinutes: 2,
    } as StoredState['settings']);
    old.set('windowBounds', { x: 0, y: 0, width: 10, height: 10, maximized: false });
    const file = old.path;
    expect(JSON.parse(readFileSync(file, 'utf8')).settings.idleTimeoutMinutes).toBe(2);

    const upgraded = openStore(cwd, '0.2.0');
    expect(upgraded.get('settings')).toEqual({
      ...DEFAULT_SETTINGS,
      serverUrl: 'https://clinic.example',
      idleTimeoutMinutes: 15,
    });
    expect(upgraded.get('windowBounds')).toBeNull();
    // Written back to disk, so the migration ran once and is recorded.
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(onDisk.settings.idleTimeoutMinutes).toBe(15);
    expect(onDisk.__internal__.migrations.version).toBe('0.2.0');
  });

  it('does not run before 0.2.0', () => {
    const cwd = tempDir();
    const s = openStore(cwd, '0.1.0');
    s.set('windowBounds', { x: 0, y: 0, width: 10, height: 10, maximized: false });
    expect(openStore(cwd, '0.1.5').get('windowBounds')).toEqual({
      x: 0,
      y: 0,
      width: 10,
      height: 10,
      maximized: false,
    });
  });

  it('a corrupt file is replaced by defaults instead of crashing', () => {
    const cwd = tempDir();
    const first = openStore(cwd, '0.1.0');
    writeFileSync(first.path, '{ not json');
    expect(openStore(cwd, '0.1.0').get('settings')).toEqual(DEFAULT_SETTINGS);
  });
});

describe('token vault (safeStorage)', () => {
  it('keeps the token encrypted on disk and reads it back after a restart', () => {
    const cwd = tempDir();
    const safe = fakeSafeStorage();
    const store = openStore(cwd, '0.1.0') as unknown as KeyValueStore;
    const vault = new TokenVault(store, safe);
    expect(vault.isSecure()).toBe(true);
    vault.set('jwt.secret-token');
    const raw = readFileSync((store as unknown as Conf).path, 'utf8');
    expect(raw).not.toContain('jwt.secret-token');
    expect(JSON.parse(raw).encryptedToken).toMatch(/^[A-Za-z0-9+/=]+$/);

    const restarted = new TokenVault(openStore(cwd, '0.1.0') as unknown as KeyValueStore, safe);
    expect(restarted.get()).toBe('jwt.secret-token');
  });

  it('without encryption keeps the token in memory only, never on disk', () => {
    const cwd = tempDir();
    const safe = fakeSafeStorage({ available: false });
    const store = openStore(cwd, '0.1.0') as unknown as KeyValueStore;
    const vault = new TokenVault(store, safe);
    expect(vault.isSecure()).toBe(false);
    vault.set('jwt.memory-only');
    expect(vault.get()).toBe('jwt.memory-only');
    expect(readFileSync((store as unknown as Conf).path, 'utf8')).not.toContain('jwt.memory-only');
    expect(store.get('encryptedToken')).toBeNull();
    // "Restart": a new vault has nothing.
    expect(
      new TokenVault(openStore(cwd, '0.1.0') as unknown as KeyValueStore, safe).get(),
    ).toBeNull();
  });

  it("treats Linux's basic_text backend (hard-coded key) as not secure", () => {
    const store = new MemoryStore({ ...STORE_DEFAULTS });
    const safe = fakeSafeStorage({ backend: 'basic_text' });
    const vault = new TokenVault(store, safe);
    expect(vault.isSecure()).toBe(false);
    vault.set('jwt.x');
    expect(store.get('encryptedToken')).toBeNull();
    expect(safe.encryptCalls).toBe(0);
  });

  it('a token that no longer decrypts is dropped, not returned', () => {
    const store = new MemoryStore({
      ...STORE_DEFAULTS,
      encryptedToken: Buffer.from('junk').toString('base64'),
    });
    const vault = new TokenVault(store, fakeSafeStorage());
    expect(vault.get()).toBeNull();
    expect(store.get('encryptedToken')).toBeNull();
  });

  it('clear() forgets memory and disk and tells listeners (lock screen, suspend)', () => {
    const store = new MemoryStore({ ...STORE_DEFAULTS });
    const vault = new TokenVault(store, fakeSafeStorage());
    let cleared = 0;
    vault.onCleared(() => cleared++);
    vault.set('jwt.y');
    vault.clear();
    expect(vault.get()).toBeNull();
    expect(store.get('encryptedToken')).toBeNull();
    expect(cleared).toBe(1);
    vault.clear(); // nothing left: no second sign-out event
    expect(cleared).toBe(1);
  });
});
