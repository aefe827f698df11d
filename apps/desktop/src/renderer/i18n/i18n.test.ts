import { describe, expect, it } from 'vitest';
import { joinUrlWithLanguage, t } from './i18n';

describe('joinUrlWithLanguage', () => {
  it('puts ?lang= before the fragment and leaves the token in the fragment', () => {
    const url = joinUrlWithLanguage('https://visit.example/join/room-a1#token=abc.def', 'es');
    expect(url).toBe('https://visit.example/join/room-a1?lang=es#token=abc.def');
    expect(new URL(url).hash).toBe('#token=abc.def');
    expect(joinUrlWithLanguage('https://v.example/join/room-a1#token=x', null)).toBe(
      'https://v.example/join/room-a1#token=x',
    );
    expect(joinUrlWithLanguage(url, 'ar')).toBe(
      'https://visit.example/join/room-a1?lang=ar#token=abc.def',
    );
  });
});

describe('doctor strings', () => {
  it('go through ICU plurals', () => {
    expect(t('waiting.count', { count: 0 })).toBe('No one waiting');
    expect(t('waiting.count', { count: 2 })).toBe('2 patients waiting');
  });
});
