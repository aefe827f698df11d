// Main process. The signed-in session token. Kept on disk only as safeStorage ciphertext (OS
// keychain / DPAPI / libsecret); where no real encryption exists it lives in memory only and is
// gone when the app quits — never written in plain text.

import type { SafeStorageLike } from '../electron.js';
import { createLogger } from '../logger.js';
import type { KeyValueStore } from './schema.js';

const log = createLogger('settings/token');

export class TokenVault {
  private memory: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly safeStorage: SafeStorageLike,
  ) {}

  /**
   * Whether the token survives a restart encrypted. On Linux without a keyring Electron falls
   * back to `basic_text`: "available", but with a hard-coded key, so it does not count.
   */
  isSecure(): boolean {
    try {
      if (!this.safeStorage.isEncryptionAvailable()) return false;
      return this.safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
    } catch {
      return false;
    }
  }

  get(): string | null {
    if (this.memory !== null) return this.memory;
    const stored = this.store.get('encryptedToken');
    if (typeof stored !== 'string' || stored === '' || !this.isSecure()) return null;
    try {
      this.memory = this.safeStorage.decryptString(Buffer.from(stored, 'base64'));
      return this.memory;
    } catch (error) {
      // Keychain changed or the file came from another machine: the token is useless.
      log.warn('stored token could not be decrypted; cleared', { error });
      this.store.set('encryptedToken', null);
      return null;
    }
  }

  set(token: string | null): void {
    this.memory = token;
    if (token === null) {
      this.store.set('encryptedToken', null);
      return;
    }
    if (this.isSecure()) {
      this.store.set('encryptedToken', this.safeStorage.encryptString(token).toString('base64'));
    } else {
      this.store.set('encryptedToken', null);
    }
  }

  /** Sign-out from main (screen locked, suspend): forget everywhere, tell listeners. */
  clear(): void {
    const had = this.memory !== null || this.store.get('encryptedToken') !== null;
    this.memory = null;
    this.store.set('encryptedToken', null);
    if (had) for (const listener of this.listeners) listener();
  }

  onCleared(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
