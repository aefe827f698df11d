// The doctor app's renderer shows no English written straight into its components: every
// user-visible string goes through its catalog (apps/desktop/src/i18n/catalogs/en.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './compile.ts';
import {
  rendererFiles,
  scanErrorMessages,
  scanFiles,
  scanMainSource,
  scanSource,
} from './hardcoded.ts';

const RENDERER = path.join(ROOT, 'apps/desktop/src/renderer');
const DESKTOP = path.join(ROOT, 'apps/desktop/src');
/**
 * Not the renderer's own UI: the browser bridge stands in for Electron's main process (its
 * notification uses the catalog like main's; its error messages are for developers, as main's
 * are, and screens word the error code instead: ui/bridgeError.ts), and csp.ts names an HTTP
 * header.
 */
const OUTSIDE = ['bridge/', 'csp.ts'];

describe('the hard-coded string check', () => {
  it('flags JSX text, read attributes and prose literals', () => {
    const found = scanSource(
      'Sample.tsx',
      [
        'export const A = ({ busy }: { busy: boolean }) => (',
        '  <div aria-label="Close the panel" title="Details">',
        '    <p>Hello there</p>',
        "    <button>{busy ? 'Saving…' : 'Save the file'}</button>",
        '  </div>',
        ');',
        "export const message = 'The file could not be sent.';",
        "export const C = ({ own }: { own: boolean }) => <p>{own ? 'You' : 'x'}</p>;",
        'export const D = () => <Select none="No camera found" />;',
      ].join('\n'),
    );
    expect(found.map((f) => [f.line, f.text])).toEqual([
      [2, 'Close the panel'],
      [2, 'Details'],
      [3, 'Hello there'],
      [4, 'Saving…'],
      [4, 'Save the file'],
      [7, 'The file could not be sent.'],
      [8, 'You'],
      [9, 'No camera found'],
    ]);
  });
  it('lets through non-words, ids, class names, logs, errors and opted-out lines', () => {
    const found = scanSource(
      'Sample.tsx',
      [
        "import { t } from './i18n';",
        'export const B = ({ n }: { n: number }) => (',
        '  <div className="call-panel" aria-label={t(\'chat.title\')} data-testid="x">',
        '    <span aria-hidden="true">×</span> {n} — · 42 %',
        "    <p>{t('files.none')}</p>",
        '    <b>Bedside</b> {/* i18n-ignore: brand */}',
        '  </div>',
        ');',
        "log.warn('Call failed to start', { n });",
        "throw new Error('Not a valid token');",
        "const kind: 'Screen share' | 'x' = 'x';",
        "const m = { 'Some Key': 1 };",
      ].join('\n'),
    );
    expect(found).toEqual([]);
  });
});

describe('apps/desktop renderer', () => {
  it('has every user-visible string in its catalog', () => {
    const all = rendererFiles(RENDERER);
    expect(all.length).toBeGreaterThan(20);
    const files = all.filter((f) => !OUTSIDE.some((o) => path.relative(RENDERER, f).startsWith(o)));
    const found = scanFiles(files).map(
      (f) => `${path.relative(RENDERER, f.file)}:${f.line}: ${f.text}`,
    );
    expect(found, 'move these into apps/desktop/src/i18n/catalogs/en.ts and use t(id)').toEqual([]);
  });
  it('shows no error’s message: the service’s, main’s and api.ts’s are for developers', () => {
    const files = rendererFiles(RENDERER).filter(
      (f) => !OUTSIDE.some((o) => path.relative(RENDERER, f).startsWith(o)),
    );
    const found = scanFiles(files, scanErrorMessages).map(
      (f) => `${path.relative(RENDERER, f.file)}:${f.line}: ${f.text}`,
    );
    expect(found, 'word the error code instead: ui/apiError.ts, ui/bridgeError.ts').toEqual([]);
  });
});

describe('the error-message check', () => {
  it('flags an error’s message used for anything but a log or another error', () => {
    const found = scanErrorMessages(
      'Sample.tsx',
      [
        'try { await api.login(body); } catch (err) {',
        '  setError(err instanceof ApiError ? err.message : fallback);',
        '}',
        'const text = state.error.message;',
        'export const E = ({ error }: { error: Error }) => <p>{error.message}</p>;',
        'const saveError = new Error("x"); show(saveError.message);',
      ].join('\n'),
    );
    expect(found.map((f) => [f.line, f.text])).toEqual([
      [2, 'err.message'],
      [4, 'state.error.message'],
      [5, 'error.message'],
      [6, 'saveError.message'],
    ]);
  });
  it('lets through logs, wrapped errors, other messages and opted-out lines', () => {
    const found = scanErrorMessages(
      'Sample.tsx',
      [
        "log.warn('failed', { why: error.message });",
        'throw new ApiError(body.error.code, body.error.message, 400);',
        'const said = err.message; // i18n-ignore: matched, never shown',
        'const chat = <p>{m.message}</p>;',
        "const failed = t('recording.failed', { message: phase.message });",
      ].join('\n'),
    );
    expect(found).toEqual([]);
  });
});

describe('the main-process check', () => {
  it('flags what the OS shows: notifications, dialogs, file filters, window titles', () => {
    const found = scanMainSource(
      'sample.ts',
      [
        "const note = notifications.create({ title: 'Bedside', body: n === 1 ? 'One' : `${n} more` });",
        'await dialog.showSaveDialog({',
        "  title: 'Save file',",
        "  filters: [{ name: 'WebM video', extensions: ['webm'] }],",
        '});',
        "dialog.showMessageBox(win, { message: 'Quit?', detail: 'A visit is running.', buttons: ['Quit', 'Stay'] });",
        "dialog.showErrorBox('Bedside failed', String(error));",
        "tray.setToolTip('Patients waiting');",
      ].join('\n'),
    );
    expect(found.map((f) => [f.line, f.text])).toEqual([
      [1, 'Bedside'],
      [1, 'One'],
      [1, 'more'],
      [3, 'Save file'],
      [4, 'WebM video'],
      [6, 'Quit?'],
      [6, 'A visit is running.'],
      [6, 'Quit'],
      [6, 'Stay'],
      [7, 'Bedside failed'],
      [8, 'Patients waiting'],
    ]);
  });
  it('lets through catalog calls, logs, errors, IPC error bodies and non-UI names', () => {
    const found = scanMainSource(
      'sample.ts',
      [
        "notifications.create({ title: t('brand.name'), body: t('notify.waiting', { count }) });",
        "return fail('unavailable', 'The file could not be saved there.');",
        "log.warn('report download failed', { message: 'Stream closed early', title: 'x y' });",
        "throw new Error('No such recording is open.');",
        "const error = { code: 'internal', message: 'Something went wrong.' };",
        "const source = { name: 'Entire screen', kind: 'screen' };",
        'win.setTitle(`(${n})`); // i18n-ignore: a count, no words',
        "const w = createWindow({ title: 'Bedside' }); // i18n-ignore: test of the opt-out",
      ].join('\n'),
    );
    expect(found).toEqual([]);
  });
});

describe('apps/desktop main process', () => {
  it('has every string the OS shows (notifications, dialogs) in the catalog', () => {
    // The browser bridge stands in for main in a plain browser, so it is held to main's rule.
    const files = ['main', 'preload', 'renderer/bridge'].flatMap((d) =>
      rendererFiles(path.join(DESKTOP, d)).filter(
        (f) => !f.includes(`${path.sep}testing${path.sep}`),
      ),
    );
    expect(files.length).toBeGreaterThan(20);
    const found = scanFiles(files, scanMainSource).map(
      (f) => `${path.relative(DESKTOP, f.file)}:${f.line}: ${f.text}`,
    );
    expect(found, 'move these into apps/desktop/src/i18n/catalogs/en.ts and use t(id)').toEqual([]);
  });
});

describe('apps/patient-web', () => {
  it('has every patient-facing string in its catalogs (en, es, ar)', () => {
    const dir = path.join(ROOT, 'apps/patient-web/src');
    const files = rendererFiles(dir);
    expect(files.length).toBeGreaterThan(20);
    const found = scanFiles(files).map((f) => `${path.relative(dir, f.file)}:${f.line}: ${f.text}`);
    expect(found, 'move these into src/i18n/catalogs/*.ts and use t(id)').toEqual([]);
  });
});
