// DOM: the doctor app's strings, through the same mechanism as the patient page
// (packages/shared/src/i18n). The catalog itself is ../../i18n, shared with the main process.
import { useTranslate, type Translate } from '@bedside/shared/react';
import { localizer, t as translate, type MessageId } from '../../i18n/localizer';

export type { MessageId };
export type T = Translate<MessageId>;
export { localizer };

export const useT = (): T => useTranslate<MessageId>(localizer.i18n);
/** Outside React (e-mail bodies, announcements). */
export const t: T = translate;

/** The languages a patient's page speaks, for the new-visit form (named in themselves). */
export const PATIENT_LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
  { code: 'ar', name: 'العربية' },
] as const;
export type PatientLanguage = (typeof PATIENT_LANGUAGES)[number]['code'];

/**
 * The join link with `?lang=` for the patient's page. It goes before the fragment: the token
 * stays in the fragment (never sent to servers), the language may be seen by them.
 */
export function joinUrlWithLanguage(joinUrl: string, language: PatientLanguage | null): string {
  // None chosen: the page follows the patient's browser.
  if (language === null) return joinUrl;
  const url = new URL(joinUrl);
  url.searchParams.set('lang', language);
  return url.toString();
}
