// Main process. "A patient is waiting": a native notification (no names — it may show on a
// shared or shared-out screen), the dock/taskbar badge, and on Windows a flashing taskbar
// button, since Windows has no badge count.

import { t } from '../../i18n/localizer.js';
import type { NotificationFactory, NotificationLike } from '../electron.js';
import { createLogger } from '../logger.js';

const log = createLogger('notifications');

export interface AttentionWindow {
  isDestroyed(): boolean;
  isFocused(): boolean;
  flashFrame(flag: boolean): void;
  show(): void;
  focus(): void;
}

export interface PatientWaitingDeps {
  notifications: NotificationFactory;
  setBadgeCount(count: number): boolean;
  mainWindow(): AttentionWindow | null;
  platform: NodeJS.Platform;
}

export function waitingText(count: number): { title: string; body: string } {
  return { title: t('brand.name'), body: t('notify.waiting', { count }) };
}

export class PatientWaitingNotifier {
  private count = 0;
  // Held so the notification (and its click handler) is not garbage-collected while shown.
  private lastNote: NotificationLike | null = null;

  constructor(private readonly deps: PatientWaitingDeps) {}

  get current(): number {
    return this.count;
  }

  update(count: number): void {
    const previous = this.count;
    this.count = count;
    this.deps.setBadgeCount(count);
    const win = this.deps.mainWindow();
    const usable = win && !win.isDestroyed() ? win : null;
    if (this.deps.platform === 'win32' && usable) {
      usable.flashFrame(count > 0 && !usable.isFocused());
    }
    // Only a new arrival is announced; a count going down (admitted, left) is silent.
    if (count > previous && this.deps.notifications.isSupported()) {
      const note = this.deps.notifications.create({ ...waitingText(count), silent: false });
      note.on('click', () => {
        const target = this.deps.mainWindow();
        if (target && !target.isDestroyed()) {
          target.show();
          target.focus();
        }
      });
      note.show();
      this.lastNote = note;
      log.info('patient waiting notification shown', { count });
    }
  }
}
