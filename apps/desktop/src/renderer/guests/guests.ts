// DOM, pure: the doctor's side of guests in a visit (DESIGN.md, "Visits with more than two
// people"): role names, what a refused invitation means, and the guest's e-mail.
import {
  MAX_GUESTS,
  MAX_VISIT_PEOPLE,
  type Guest,
  type GuestRole,
  type ParticipantRole,
} from '@bedside/shared';
import { ApiError } from '../api';
import { t } from '../i18n/i18n';
import { apiErrorText } from '../ui/apiError';

/** The roles a guest can be invited as, in the order the form offers them. */
export const GUEST_ROLES: readonly GuestRole[] = ['interpreter', 'caregiver', 'clinician'];

/** "Interpreter", "Family member", …: how the app names a person's part in a visit. */
export function roleLabel(role: ParticipantRole): string {
  switch (role) {
    case 'doctor':
      return t('role.doctor');
    case 'patient':
      return t('role.patient');
    case 'interpreter':
      return t('role.interpreter');
    case 'caregiver':
      return t('role.caregiver');
    case 'clinician':
      return t('role.clinician');
    default: {
      const never: never = role;
      return never;
    }
  }
}

/** Guests whose link still works (removal revokes it), oldest first as the service lists them. */
export const activeGuests = (guests: readonly Guest[]): Guest[] =>
  guests.filter((g) => g.removedAt === null);

/** True when one more invitation would be refused with the cap. */
export const visitFull = (guests: readonly Guest[]): boolean =>
  activeGuests(guests).length >= MAX_GUESTS;

/**
 * What the doctor reads when listing, inviting, removing or renewing fails: the reason, and what
 * to do. Worded by code (ui/apiError.ts); the service's message is never shown.
 */
export function guestErrorText(err: unknown, what: 'list' | 'change' = 'change'): string {
  // The service answers 409 both for the cap and for a visit that is over; only its developer
  // message tells them apart, so it is matched here, never shown.
  const conflict = err instanceof ApiError && err.code === 'conflict';
  const said = conflict ? err.message : ''; // i18n-ignore: matched, never shown
  if (/full/i.test(said))
    return t('guests.error.full', { max: MAX_VISIT_PEOPLE, guests: MAX_GUESTS });
  return apiErrorText(t, what === 'list' ? 'guests.list' : 'guests.change', err);
}

/** A `mailto:` with the guest's link; the address is left for the doctor to fill in. */
export function guestMailto(input: {
  link: string;
  name: string;
  role: GuestRole;
  when: string;
}): string {
  const subject = t('guests.mail.subject');
  const body = [
    t('guests.mail.greeting', { name: input.name }),
    '',
    t('guests.mail.invited', { role: roleLabel(input.role).toLowerCase(), when: input.when }),
    t('guests.mail.how'),
    '',
    input.link,
    '',
    t('guests.mail.personal'),
  ].join('\n');
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
