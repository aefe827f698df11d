// DOM, pure: the name the patient types, checked the way the service's UserNameSchema will
// (trimmed, 1–80 characters, no control characters), with messages a patient can act on.
export const NAME_MAX = 80;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function validateName(raw: string): string | null {
  const name = raw.trim();
  if (name === '') return 'Please enter your name so the doctor knows who is waiting.';
  if (name.length > NAME_MAX) return `Please use at most ${NAME_MAX} characters.`;
  if (CONTROL.test(name)) return 'Please use letters, numbers and punctuation only.';
  return null;
}
