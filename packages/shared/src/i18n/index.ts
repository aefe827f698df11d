// Pure (browser, Electron renderer, Node): the localization mechanism both apps share. Messages
// are ICU MessageFormat, precompiled (scripts/i18n) so the browser ships Lingui's small runtime
// and no parser; plurals use Intl.PluralRules, dates and times Intl.DateTimeFormat.
// Import as `@bedside/shared/i18n`.
import { setupI18n, type I18n, type Messages } from '@lingui/core';

export type { I18n, Messages };

/** Scripts written right to left, by primary language subtag. */
const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv', 'ckb']);

export function textDirection(locale: string): 'ltr' | 'rtl' {
  return RTL.has(baseLanguage(locale)) ? 'rtl' : 'ltr';
}

function baseLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/**
 * The first requested language we have, by exact tag then by base language
 * (`es-MX` → `es`); `fallback` when none fits. `requested` is in preference order, as
 * `navigator.languages` is.
 */
export function negotiateLocale<L extends string>(
  requested: readonly (string | null | undefined)[],
  supported: readonly L[],
  fallback: L,
): L {
  for (const tag of requested) {
    if (!tag) continue;
    const exact = supported.find((l) => l.toLowerCase() === tag.trim().toLowerCase());
    if (exact) return exact;
    const base = supported.find((l) => baseLanguage(l) === baseLanguage(tag));
    if (base) return base;
  }
  return fallback;
}

export interface LocalizerOptions<L extends string> {
  supported: readonly L[];
  /** Bundled with the app: shown at once and used for any message a catalog lacks. */
  fallback: L;
  fallbackMessages: Messages;
  /** Fetches another language's compiled catalog (a dynamic import, so it loads on demand). */
  load: (locale: L) => Promise<Messages>;
}

export interface Localizer<L extends string> {
  readonly i18n: I18n;
  readonly supported: readonly L[];
  locale(): L;
  /** Loads the catalog if needed, then switches; rejects (and stays) when it cannot load. */
  setLocale(locale: L): Promise<void>;
}

export function createLocalizer<L extends string>(options: LocalizerOptions<L>): Localizer<L> {
  const { supported, fallback, fallbackMessages, load } = options;
  const i18n = setupI18n({
    locale: fallback,
    messages: { [fallback]: fallbackMessages },
  });
  const loaded = new Set<L>([fallback]);
  let current: L = fallback;
  return {
    i18n,
    supported,
    locale: () => current,
    async setLocale(locale) {
      if (!loaded.has(locale)) {
        // A message a catalog lacks shows in the fallback language, never as its id.
        i18n.load(locale, { ...fallbackMessages, ...(await load(locale)) });
        loaded.add(locale);
      }
      current = locale;
      i18n.activate(locale);
    },
  };
}
