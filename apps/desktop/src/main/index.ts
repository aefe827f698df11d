// Main process entry. Wires the real Electron objects into the modules (which take the thin
// facade in electron.ts). Order matters: the scheme is registered privileged and the sandbox
// forced before `ready`; handlers are installed before the first window loads.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import {
  app,
  BrowserWindow,
  desktopCapturer,
  dialog,
  ipcMain,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  systemPreferences,
} from 'electron';
import Store from 'electron-store';
import { IpcChannel, SettingsPatchSchema } from '@bedside/shared';
import { CapturePicker, MAC_SCREEN_RECORDING_SETTINGS } from './capture/picker.js';
import { realTimers, type IpcMainLike } from './electron.js';
import { createIpcHandlers } from './ipc/handlers.js';
import { registerIpcHandlers } from './ipc/register.js';
import { createLogger } from './logger.js';
import { PatientWaitingNotifier } from './notifications/patientWaiting.js';
import { CsvExporter } from './reports/exportCsv.js';
import { RecordingFiles } from './recording/recordingFiles.js';
import { buildCsp } from './security/csp.js';
import { attachNavigationGuards } from './security/navigation.js';
import { resolveRendererEntry, APP_SCHEME } from './security/origin.js';
import {
  installPermissionHandlers,
  refuseBluetoothChooser,
  type PermissionSessionLike,
} from './security/permissions.js';
import { watchScreenLock } from './security/screenLock.js';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './security/protocol.js';
import { storeOptions, type KeyValueStore, type StoredState } from './settings/schema.js';
import { SettingsService } from './settings/settingsService.js';
import { TokenVault } from './settings/tokenVault.js';
import { createMainWindow } from './windows/mainWindow.js';
import { WindowRegistry } from './windows/registry.js';
import { acquireSingleInstance } from './windows/singleInstance.js';

const log = createLogger('main');
const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, '../preload/index.cjs');
const rendererRoot = path.join(here, '../renderer');

// Unpackaged runs (end-to-end tests, `npm run desktop`) may point the profile elsewhere; the
// single-instance lock and the settings file both live under it, so set it before either.
const userDataSwitch = app.commandLine.getSwitchValue('user-data-dir');
if (!app.isPackaged && userDataSwitch) app.setPath('userData', path.resolve(userDataSwitch));

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
// Every renderer sandboxed, whatever a future window forgets to say.
app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId('org.bedside.desktop');

const entry = resolveRendererEntry({
  isPackaged: app.isPackaged,
  rendererUrl: process.env.ELECTRON_RENDERER_URL,
});
const registry = new WindowRegistry<BrowserWindow>();
let mainWindow: BrowserWindow | null = null;

if (acquireSingleInstance(app, () => mainWindow)) {
  // Guards on every WebContents, not only the ones we create (defence in depth).
  app.on('web-contents-created', (_event, contents) => {
    attachNavigationGuards(contents, { appOrigin: entry.origin, shell });
    refuseBluetoothChooser(contents);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('startup failed', { error });
      app.exit(1);
    });
}

function start(): void {
  const store = new Store<StoredState>(storeOptions());
  const kv = store as unknown as KeyValueStore;
  const settings = new SettingsService(kv);
  const vault = new TokenVault(kv, safeStorage);
  // `npm run desktop` and the end-to-end tests pre-fill the first-run server address; a
  // packaged app ignores the variable (the clinic's address comes from the first-run screen).
  const presetServer = process.env.BEDSIDE_SERVER_URL;
  if (!app.isPackaged && presetServer && settings.get().serverUrl === null) {
    const preset = SettingsPatchSchema.safeParse({ serverUrl: presetServer });
    if (preset.success) settings.update(preset.data);
  }
  const ses = session.defaultSession;

  installPermissionHandlers(ses as unknown as PermissionSessionLike, entry.origin, {
    electronMajor: Number.parseInt(process.versions.electron ?? '0', 10),
  });
  // Downloads come only through the export dialog in main, never from web content.
  ses.on('will-download', (event) => event.preventDefault());

  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({ root: rendererRoot, csp: () => buildCsp(settings.get().serverUrl) }),
  );

  const picker = new CapturePicker({
    desktopCapturer,
    ownMediaSourceIds: registry.mediaSourceIds,
    appOrigin: entry.origin,
    platform: process.platform,
    env: process.env,
    systemPreferences,
    randomUUID,
    timers: realTimers,
  });
  ses.setDisplayMediaRequestHandler(picker.handleRequest, picker.handlerOptions());

  const notifier = new PatientWaitingNotifier({
    notifications: {
      isSupported: () => Notification.isSupported(),
      create: (options) => new Notification(options),
    },
    setBadgeCount: (count) => app.setBadgeCount(count),
    mainWindow: () => mainWindow,
    platform: process.platform,
  });

  const exporter = new CsvExporter({
    dialog: {
      showSaveDialog: (options) =>
        mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options),
    },
    // Chromium's network stack: system proxy and certificate store, as a clinic's IT set them.
    fetch: (input, init) => net.fetch(input, init),
    serverUrl: () => settings.get().serverUrl,
    token: () => vault.get(),
    downloadsDir: () => app.getPath('downloads'),
  });

  const recordings = new RecordingFiles({
    dialog: {
      showSaveDialog: (options) =>
        mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options),
    },
    downloadsDir: () => app.getPath('downloads'),
  });
  app.on('web-contents-created', (_event, contents) => {
    const id = contents.id;
    contents.once('destroyed', () => void recordings.abortAllOf(id));
  });

  registerIpcHandlers(
    ipcMain as unknown as IpcMainLike,
    { appOrigin: entry.origin, isBedsideContents: registry.isBedsideContents },
    createIpcHandlers({
      appInfo: () => ({ version: app.getVersion(), platform: process.platform }),
      settings,
      vault,
      picker,
      notifier,
      exporter,
      recordings,
      shell,
      openScreenPermissionSettings: async () => {
        if (process.platform !== 'darwin') return false;
        await shell.openExternal(MAC_SCREEN_RECORDING_SETTINGS);
        return true;
      },
    }),
  );

  // A new server means a new identity: the old token is worthless there.
  settings.onChange((next, previous) => {
    if (next.serverUrl !== previous.serverUrl) vault.clear();
  });
  vault.onCleared(() => {
    for (const win of registry.all()) win.webContents.send(IpcChannel.sessionCleared);
  });
  // Clinic workstations are shared: locking the screen or sleeping signs the doctor out.
  watchScreenLock({ powerMonitor, platform: process.platform, timers: realTimers }, () =>
    vault.clear(),
  );
  powerMonitor.on('suspend', () => vault.clear());

  const openWindow = () => {
    mainWindow = createMainWindow({
      createWindow: (options) =>
        new BrowserWindow({
          ...options,
          webPreferences: {
            ...(options.webPreferences as Electron.WebPreferences),
            // Restated as literals where the window is made, so a reviewer (and Electronegativity)
            // sees them at the construction site; secureWebPreferences() holds the full set.
            contextIsolation: true,
            sandbox: true,
            nodeIntegration: false,
            webSecurity: true,
            allowRunningInsecureContent: false,
            experimentalFeatures: false,
            webviewTag: false,
            // Middle-click would open links in new windows; they are denied anyway.
            disableBlinkFeatures: 'Auxclick',
          },
        }),
      registry,
      settings,
      displays: () => screen.getAllDisplays(),
      shell,
      timers: realTimers,
      appOrigin: entry.origin,
      startUrl: entry.url,
      preloadPath,
      devTools: !app.isPackaged,
    });
    mainWindow.on('closed', () => {
      picker.cancelAll('window-closed');
      mainWindow = null;
    });
  };
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  openWindow();
  log.info('started', { version: app.getVersion(), dev: entry.dev, secure: vault.isSecure() });
}
