// DOM: the patient page's languages. English is bundled; Spanish and Arabic are fetched when
// chosen (dynamic imports, their own chunks). The choice follows, in order: `?lang=` in the
// join link (the doctor sets it per visit; it sits outside the token's fragment), then the
// browser's languages. Switching on the page rewrites `?lang=` so a reload keeps it.
import { createLocalizer, negotiateLocale, textDirection } from '@bedside/shared/i18n';
import { useTranslate, type Translate } from '@bedside/shared/react';
import type { MessageId } from './catalogs/en.ts';
import { messages as en } from './compiled/en.ts';

export type { MessageId };
export type T = Translate<MessageId>;

export const LANGUAGES = ['en', 'es', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Each language named in itself, as a patient looking for theirs expects. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  ar: 'العربية',
};

export const localizer = createLocalizer<Language>({
  supported: LANGUAGES,
  fallback: 'en',
  fallbackMessages: en,
  load: async (language) => {
    switch (language) {
      case 'es':
        return (await import('./compiled/es.ts')).messages;
      case 'ar':
        return (await import('./compiled/ar.ts')).messages;
      case 'en':
        return en;
    }
  },
});

export function initialLanguage(search: string, browserLanguages: readonly string[]): Language {
  const requested = new URLSearchParams(search).get('lang');
  return negotiateLocale([requested, ...browserLanguages], LANGUAGES, 'en');
}

/** Loads and switches; marks <html> with the language and its direction. */
export async function applyLanguage(language: Language, doc: Document = document): Promise<void> {
  await localizer.setLocale(language);
  doc.documentElement.lang = language;
  doc.documentElement.dir = textDirection(language);
}

/** `?lang=` in the address bar follows the patient's choice (path and search only). */
export function searchWithLanguage(search: string, language: Language): string {
  const params = new URLSearchParams(search);
  params.set('lang', language);
  return `?${params.toString()}`;
}

export const useT = (): T => useTranslate<MessageId>(localizer.i18n);

export function formatTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' }).format(date);
}
