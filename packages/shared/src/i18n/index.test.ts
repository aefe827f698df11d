import { describe, expect, it } from 'vitest';
import { negotiateLocale, textDirection } from './index.js';

describe('negotiateLocale', () => {
  const supported = ['en', 'es', 'ar'] as const;
  it('matches exact tags, then base languages, in preference order', () => {
    expect(negotiateLocale(['es-MX', 'en'], supported, 'en')).toBe('es');
    expect(negotiateLocale([null, 'AR'], supported, 'en')).toBe('ar');
    expect(negotiateLocale(['fr', 'de'], supported, 'en')).toBe('en');
  });
  it('knows which scripts run right to left', () => {
    expect(textDirection('ar-EG')).toBe('rtl');
    expect(textDirection('he')).toBe('rtl');
    expect(textDirection('es')).toBe('ltr');
  });
});
