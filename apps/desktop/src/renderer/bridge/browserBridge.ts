// DOM: the browser stand-in for the preload bridge, so the renderer runs in a plain browser
// (end-to-end tests, `vite` dev). Same contract, same input validation as Electron's main.
import {
  ApiErrorSchema,
  DEFAULT_SETTINGS,
  ExportCsvSchema,
  OpenExternalSchema,
  PatientWaitingSchema,
  RecordingOpenSchema,
  SaveFileSchema,
  SettingsPatchSchema,
  SettingsSchema,
  TokenSchema,
  fail,
  ok,
  type BedsideBridge,
  type CapturePickRequest,
  type ExportCsvRequest,
  type ExportProgress,
  type Result,
  type Settings,
} from '@bedside/shared';
import { t } from '../i18n/i18n';
import { createLogger } from '../logger';

const log = createLogger('browser-bridge');

const SETTINGS_KEY = 'bedside.settings';
const TOKEN_KEY = 'bedside.session';

export interface BrowserBridgeOptions {
  /** Settings (server address, chosen devices): nothing secret, kept across visits. */
  storage?: Storage;
  /**
   * The session token: per tab and gone when the tab closes (`sessionStorage`), never in
   * `localStorage`, where it would outlive the tab and be shared by every tab of the origin.
   */
  sessionStorage?: Storage;
  location?: Pick<Location, 'origin' | 'search'>;
  fetch?: typeof fetch;
}

function readSettings(storage: Storage, location: Pick<Location, 'origin' | 'search'>): Settings {
  let stored: Settings = DEFAULT_SETTINGS;
  const raw = storage.getItem(SETTINGS_KEY);
  if (raw !== null) {
    try {
      const parsed = SettingsSchema.safeParse(JSON.parse(raw));
      if (parsed.success) stored = parsed.data;
    } catch {
      // Unreadable settings fall back to the defaults rather than blocking the app.
    }
  }
  // An explicit `?server=` wins (tests point each run at their own service); otherwise the page
  // is assumed to be served by the service itself.
  const fromQuery = new URLSearchParams(location.search).get('server');
  const candidate = fromQuery ?? stored.serverUrl ?? location.origin;
  const serverUrl = SettingsSchema.shape.serverUrl.safeParse(candidate);
  return { ...stored, serverUrl: serverUrl.success ? serverUrl.data : null };
}

export function createBrowserBridge(options: BrowserBridgeOptions = {}): BedsideBridge {
  const storage = options.storage ?? window.localStorage;
  const tokens = options.sessionStorage ?? window.sessionStorage;
  // A token left behind by builds that kept it in localStorage is removed, never used.
  storage.removeItem(TOKEN_KEY);
  const location = options.location ?? window.location;
  const doFetch = options.fetch ?? window.fetch.bind(window);

  let settings = readSettings(storage, location);
  storage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  let lastWaiting = 0;
  const recordings = new Map<string, { name: string; parts: BlobPart[]; bytes: number }>();
  let askedPermission = false;
  let notifiedFor = 0;
  const showWaiting = (n: number) => {
    notifiedFor = n;
    // No names: a notification can show on a screen the patient or others can see.
    new Notification(t('brand.name'), {
      body: t('notify.waiting', { count: n }),
      tag: 'bedside-waiting',
    });
  };

  const invalid = (message: string) => fail<never>('bad-request', message);

  return {
    kind: 'browser',
    app: {
      async getInfo() {
        return ok({
          version: __BEDSIDE_VERSION__,
          platform: 'browser',
          secureStorage: false,
        });
      },
      async openExternal(url) {
        const parsed = OpenExternalSchema.safeParse({ url });
        if (!parsed.success) return invalid('Only https: and mailto: links can be opened.');
        const a = document.createElement('a');
        a.href = parsed.data.url;
        a.rel = 'noopener noreferrer';
        if (parsed.data.url.startsWith('https:')) a.target = '_blank';
        a.click();
        return ok(null);
      },
    },
    settings: {
      async get() {
        return ok(settings);
      },
      async set(patch) {
        const parsed = SettingsPatchSchema.safeParse(patch);
        if (!parsed.success) return invalid('Those settings are not valid.');
        const next = SettingsSchema.safeParse({ ...settings, ...parsed.data });
        if (!next.success) return invalid('Those settings are not valid.');
        settings = next.data;
        storage.setItem(SETTINGS_KEY, JSON.stringify(settings));
        return ok(settings);
      },
    },
    session: {
      async getToken() {
        return ok(tokens.getItem(TOKEN_KEY));
      },
      async setToken(token) {
        const parsed = TokenSchema.safeParse({ token });
        if (!parsed.success) return invalid('Not a valid session token.');
        if (parsed.data.token === null) tokens.removeItem(TOKEN_KEY);
        else tokens.setItem(TOKEN_KEY, parsed.data.token);
        return ok(null);
      },
    },
    capture: {
      // Chromium shows its own picker for getDisplayMedia (or auto-selects under
      // --use-fake-ui-for-media-stream), so no pick request ever reaches the renderer.
      onPickRequest(_listener: (request: CapturePickRequest) => void) {
        return () => {};
      },
      async choose() {
        return ok(null);
      },
    },
    notify: {
      async patientWaiting(count) {
        const parsed = PatientWaitingSchema.safeParse({ count });
        if (!parsed.success) return invalid('Not a valid patient count.');
        const n = parsed.data.count;
        const base = t('brand.name');
        document.title = n > 0 ? t('title.waiting', { count: n, app: base }) : base;
        // Asked for when it first matters (a patient is waiting), not at sign-in: browsers
        // quietly block prompts that arrive without a reason. Once answered, never asked again.
        if (
          n > 0 &&
          !askedPermission &&
          typeof Notification !== 'undefined' &&
          Notification.permission === 'default'
        ) {
          askedPermission = true;
          // Promise.resolve: Safari before 15 answers through a callback and returns nothing.
          void Promise.resolve(Notification.requestPermission()).then(
            (answer) => {
              // The patient who prompted the question is still announced once allowed.
              if (answer === 'granted' && lastWaiting > notifiedFor) showWaiting(lastWaiting);
            },
            () => undefined,
          );
        }
        if (
          n > lastWaiting &&
          typeof Notification !== 'undefined' &&
          Notification.permission === 'granted'
        ) {
          showWaiting(n);
        }
        lastWaiting = n;
        return ok(null);
      },
    },
    reports: {
      async exportCsv(request, onProgress) {
        const parsed = ExportCsvSchema.safeParse(request);
        if (!parsed.success) return invalid('Not a valid export request.');
        const token = tokens.getItem(TOKEN_KEY);
        if (settings.serverUrl === null || token === null)
          return fail('unauthorized', 'Sign in to export reports.');
        return downloadCsv(doFetch, settings.serverUrl, token, parsed.data, onProgress);
      },
    },
    files: {
      async save(request) {
        const parsed = SaveFileSchema.safeParse(request);
        if (!parsed.success) return invalid('Not a file that can be saved.');
        download(
          new Blob([parsed.data.data as BlobPart], { type: parsed.data.type }),
          parsed.data.suggestedName,
        );
        return ok({ path: null });
      },
    },
    // A browser cannot stream to a file it chose; the chunks stay in memory until the download.
    recording: {
      async open(suggestedName) {
        const parsed = RecordingOpenSchema.safeParse({ suggestedName });
        if (!parsed.success) return invalid('Not a recording file name.');
        const id = crypto.randomUUID();
        recordings.set(id, { name: parsed.data.suggestedName, parts: [], bytes: 0 });
        return ok({ id });
      },
      async write(id, chunk) {
        const r = recordings.get(id);
        if (!r) return fail('not-found', 'No such recording is open.');
        r.parts.push(chunk as BlobPart);
        r.bytes += chunk.byteLength;
        return ok(null);
      },
      async close(id) {
        const r = recordings.get(id);
        if (!r) return fail('not-found', 'No such recording is open.');
        recordings.delete(id);
        download(new Blob(r.parts, { type: 'video/webm' }), r.name);
        return ok({ path: null, bytes: r.bytes });
      },
      async abort(id) {
        recordings.delete(id);
        return ok(null);
      },
    },
  };
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function downloadCsv(
  doFetch: typeof fetch,
  serverUrl: string,
  token: string,
  request: ExportCsvRequest,
  onProgress?: (progress: ExportProgress) => void,
): Promise<Result<{ path: string | null; bytes: number }>> {
  const url = new URL('/api/reports/call-durations', serverUrl);
  for (const [k, v] of Object.entries(request.query)) url.searchParams.set(k, v);
  url.searchParams.set('format', 'csv');
  let response: Response;
  try {
    response = await doFetch(url, { headers: { Authorization: `Bearer ${token}` } });
  } catch (error) {
    log.warn('export-network-error', { error });
    return fail('unavailable', 'The server could not be reached.');
  }
  if (!response.ok) {
    const body = ApiErrorSchema.safeParse(await response.json().catch(() => null));
    return body.success
      ? { ok: false, error: body.data.error }
      : fail('internal', `The export failed (HTTP ${response.status}).`);
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      onProgress?.({ bytes, done: false });
    }
  }
  onProgress?.({ bytes, done: true });
  const href = URL.createObjectURL(new Blob(chunks, { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = href;
  a.download = request.suggestedName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: Chromium reads the blob asynchronously after the click.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  // A browser never tells the page where the file went; the download's name is the best answer.
  return ok({ path: request.suggestedName, bytes });
}
