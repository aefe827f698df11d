// DOM: the patient switches the page's language. The next language loads on demand; `?lang=`
// follows the choice so a reload keeps it.
import { useId, useState } from 'react';
import {
  applyLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  localizer,
  searchWithLanguage,
  useT,
  type Language,
} from '../i18n/i18n.ts';

export function LanguagePicker() {
  const t = useT();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const change = (language: Language) => {
    setBusy(true);
    void applyLanguage(language)
      .then(() => {
        const { pathname, search } = window.location;
        window.history.replaceState(null, '', pathname + searchWithLanguage(search, language));
      })
      .catch(() => {
        // Offline: the page stays in the language it has.
      })
      .finally(() => setBusy(false));
  };
  return (
    <div className="language">
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        value={localizer.locale()}
        disabled={busy}
        onChange={(e) => change(e.target.value as Language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
