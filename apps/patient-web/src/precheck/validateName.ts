// DOM, pure: the name the patient types, checked the way the service's UserNameSchema will
// (trimmed, 1–80 characters, no control characters), with messages a patient can act on.
import type { MessageId } from '../i18n/i18n.ts';

export const NAME_MAX = 80;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A message id (`name.tooLong` takes `{ max: NAME_MAX }`), or null when the name is fine. */
export function validateName(raw: string): MessageId | null {
  const name = raw.trim();
  if (name === '') return 'name.empty';
  if (name.length > NAME_MAX) return 'name.tooLong';
  if (CONTROL.test(name)) return 'name.control';
  return null;
}
