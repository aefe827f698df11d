// Pure (Electron main and the renderer): the doctor app's one catalog, English only for now.
// Main words its notifications and dialog titles with it, the renderer its screens
// (renderer/i18n wraps it in a React hook); each process bundles its own copy. Another language
// is one more `catalogs/<lang>.ts` and a `load` case here, for both processes at once.
import { createLocalizer } from '@bedside/shared/i18n';
import type { MessageId } from './catalogs/en';
import { messages as en } from './compiled/en';

export type { MessageId };
export type Translate = (id: MessageId, values?: Record<string, unknown>) => string;

export const localizer = createLocalizer<'en'>({
  supported: ['en'],
  fallback: 'en',
  fallbackMessages: en,
  load: () => Promise.resolve(en),
});

/** Outside React: main's notifications and dialogs, the renderer's non-component code. */
export const t: Translate = (id, values) => localizer.i18n._(id, values);
