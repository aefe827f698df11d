// DOM (React): re-renders when the language changes and hands back the translate function.
import type { I18n } from '@lingui/core';
import { useMemo, useSyncExternalStore } from 'react';

export interface Translate<Id extends string> {
  (id: Id, values?: Record<string, unknown>): string;
  /** The language the text is in, for Intl formatting beside it. */
  readonly locale?: string;
}

export function useTranslate<Id extends string>(i18n: I18n): Translate<Id> {
  const locale = useSyncExternalStore(
    (onChange) => i18n.on('change', onChange),
    () => i18n.locale,
    // Server rendering (the patient page's markup tests) reads the same locale.
    () => i18n.locale,
  );
  // A new function per language, so memoized children that take it re-render too.
  return useMemo(() => {
    const translate: Translate<Id> = (id, values) => i18n._(id, values);
    return Object.assign(translate, { locale });
  }, [i18n, locale]);
}
