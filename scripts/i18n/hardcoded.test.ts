// The doctor app's renderer shows no English written straight into its components: every
// user-visible string goes through its catalog (apps/desktop/src/i18n/catalogs/en.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './compile.ts';
import { rendererFiles, scanFiles, scanSource } from './hardcoded.ts';

const RENDERER = path.join(ROOT, 'apps/desktop/src/renderer');
/**
 * Not the renderer's own UI: the browser bridge stands in for Electron's main process (whose
 * notifications and errors are the main process's), and csp.ts names an HTTP header.
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
