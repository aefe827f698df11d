// Main process. Settings and window bounds on top of electron-store; every read is sanitized,
// every write validated, so the renderer only ever sees schema-valid Settings.

import { SettingsSchema, type Settings, type SettingsPatch } from '@bedside/shared';
import {
  sanitizeBounds,
  sanitizeSettings,
  type KeyValueStore,
  type WindowBounds,
} from './schema.js';

export type SettingsListener = (next: Settings, previous: Settings) => void;

export class SettingsService {
  private readonly listeners = new Set<SettingsListener>();

  constructor(private readonly store: KeyValueStore) {}

  get(): Settings {
    return sanitizeSettings(this.store.get('settings'));
  }

  /** Applies an already-parsed patch; throws only if the merge is invalid (it cannot be). */
  update(patch: SettingsPatch): Settings {
    const previous = this.get();
    const next = SettingsSchema.parse({ ...previous, ...patch });
    this.store.set('settings', next);
    for (const listener of this.listeners) listener(next, previous);
    return next;
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getWindowBounds(): WindowBounds | null {
    return sanitizeBounds(this.store.get('windowBounds'));
  }

  setWindowBounds(bounds: WindowBounds): void {
    const clean = sanitizeBounds(bounds);
    if (clean) this.store.set('windowBounds', clean);
  }
}
