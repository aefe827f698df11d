// The committed compiled catalogs match their sources, every message is valid ICU, and each
// translation uses the same placeholders as the English message it translates.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APPS,
  compileCatalog,
  compiledPath,
  compiledSource,
  loadCatalogs,
  placeholders,
  ROOT,
} from './compile.ts';

describe('compileCatalog', () => {
  it('compiles ICU plurals and names a broken message', () => {
    expect(compileCatalog({ n: '{count, plural, one {# visit} other {# visits}}' })).toEqual({
      n: [['count', 'plural', { one: ['#', ' visit'], other: ['#', ' visits'] }]],
    });
    expect(() => compileCatalog({ 'bad.id': 'Hello {name' })).toThrow(/bad\.id/);
  });
  it('finds placeholders, also inside plural cases', () => {
    expect(placeholders('{n, plural, one {# from {name}} other {#}} at {time}')).toEqual([
      'n',
      'name',
      'time',
    ]);
    expect(placeholders('no placeholders')).toEqual([]);
  });
});

for (const dir of APPS.filter((d) => existsSync(path.join(ROOT, d, 'catalogs')))) {
  describe(dir, () => {
    it('has compiled catalogs up to date with their sources (npm run i18n:compile)', async () => {
      for (const [lang, source] of await loadCatalogs(dir)) {
        const file = compiledPath(dir, lang);
        expect(existsSync(file), `${file} is missing`).toBe(true);
        expect(readFileSync(file, 'utf8'), `${file} is stale`).toBe(
          await compiledSource(file, lang, source),
        );
      }
    });
    it('translates every English message with the same placeholders', async () => {
      const catalogs = await loadCatalogs(dir);
      const en = catalogs.get('en');
      expect(en).toBeDefined();
      for (const [lang, catalog] of catalogs) {
        expect(Object.keys(catalog).sort(), lang).toEqual(Object.keys(en!).sort());
        for (const [id, message] of Object.entries(catalog)) {
          expect(placeholders(message), `${lang} ${id}`).toEqual(placeholders(en![id]!));
        }
      }
    });
  });
}
