// Main process. Creates the Bedside window: secure webPreferences, restored bounds, shown when
// ready (no white flash), navigation locked to the app, registered so IPC trusts it.

import { t } from '../../i18n/localizer.js';
import type { DisplayLike, GuardedContents, ShellLike, TimersLike } from '../electron.js';
import { createLogger } from '../logger.js';
import { attachNavigationGuards } from '../security/navigation.js';
import { secureWebPreferences } from '../security/webPreferences.js';
import type { SettingsService } from '../settings/settingsService.js';
import { initialBounds, MIN_SIZE, trackBounds, type TrackedWindow } from './bounds.js';
import type { WindowRegistry, RegisteredWindow } from './registry.js';

const log = createLogger('windows');

export interface BedsideWindow extends TrackedWindow, RegisteredWindow {
  readonly webContents: GuardedContents & {
    readonly id: number;
    loadURL(url: string): Promise<void>;
    on(
      event: 'render-process-gone',
      listener: (event: unknown, details: { reason: string }) => void,
    ): unknown;
  };
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'resize' | 'move' | 'close' | 'closed', listener: () => void): unknown;
  maximize(): void;
  show(): void;
}

export interface MainWindowDeps<W extends BedsideWindow> {
  createWindow(options: Record<string, unknown>): W;
  registry: WindowRegistry<W>;
  settings: SettingsService;
  displays(): DisplayLike[];
  shell: ShellLike;
  timers: TimersLike;
  appOrigin: string;
  startUrl: string;
  preloadPath: string;
  iconPath?: string;
  devTools: boolean;
}

export function createMainWindow<W extends BedsideWindow>(deps: MainWindowDeps<W>): W {
  const start = initialBounds(deps.settings.getWindowBounds(), deps.displays());
  const win = deps.createWindow({
    ...start.bounds,
    ...MIN_SIZE,
    show: false,
    // Until the page's own <title> replaces it.
    title: t('brand.name'),
    backgroundColor: '#0f172a',
    autoHideMenuBar: true,
    ...(deps.iconPath ? { icon: deps.iconPath } : {}),
    webPreferences: { ...secureWebPreferences(deps.preloadPath), devTools: deps.devTools },
  });
  const unregister = deps.registry.add(win);
  win.on('closed', unregister);
  attachNavigationGuards(win.webContents, { appOrigin: deps.appOrigin, shell: deps.shell });
  trackBounds(win, (b) => deps.settings.setWindowBounds(b), deps.timers);
  win.once('ready-to-show', () => {
    if (start.maximized) win.maximize();
    win.show();
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer process gone', { reason: details.reason });
  });
  win.webContents.loadURL(deps.startUrl).catch((error: unknown) => {
    log.error('renderer failed to load', { error });
  });
  return win;
}
