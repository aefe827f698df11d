import { describe, expect, it } from 'vitest';
import {
  applyLanguage,
  formatTime,
  initialLanguage,
  localizer,
  searchWithLanguage,
} from './i18n.ts';

describe('initialLanguage', () => {
  it('takes ?lang= from the join link before the browser languages', () => {
    expect(initialLanguage('?lang=es', ['ar', 'en'])).toBe('es');
    expect(initialLanguage('?lang=xx', ['ar-EG', 'en'])).toBe('ar');
    expect(initialLanguage('', ['fr-FR', 'es-MX'])).toBe('es');
    expect(initialLanguage('', ['de'])).toBe('en');
  });
  it('keeps other query parameters when the patient switches', () => {
    expect(searchWithLanguage('?lang=es&x=1', 'ar')).toBe('?lang=ar&x=1');
    expect(searchWithLanguage('', 'es')).toBe('?lang=es');
  });
});

describe('catalogs at run time', () => {
  it('loads Spanish and Arabic on demand, with plural rules per language, and sets dir', async () => {
    const html = { lang: '', dir: '' };
    const doc = { documentElement: html } as unknown as Document;
    const t = (id: string, v?: Record<string, unknown>) => localizer.i18n._(id, v);
    await applyLanguage('en', doc);
    expect(t('call.openChat', { unread: 1 })).toBe('Open chat, 1 unread');
    expect(t('duration.seconds', { seconds: 1 })).toBe('1 second');
    await applyLanguage('es', doc);
    expect(html).toEqual({ lang: 'es', dir: 'ltr' });
    expect(t('duration.minutes', { minutes: 2 })).toBe('2 minutos');
    await applyLanguage('ar', doc);
    expect(html).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(t('duration.minutes', { minutes: 2 })).toBe('دقيقتان');
    expect(t('duration.minutes', { minutes: 5 })).toBe('5 دقائق');
    await applyLanguage('en', doc);
  });
  it('formats times through Intl for the language', () => {
    expect(formatTime('2026-12-03T14:05:00Z', 'en')).toMatch(/\d{1,2}:05/);
    expect(formatTime('not a date', 'en')).toBe('');
  });
});
