// DOM, pure: who waits, in the call's waiting badge. One person: their name and part ("Ana
// (Interpreter) is waiting"); more: a count per part ("2 waiting: 1 patient and 1 interpreter"),
// so the doctor sees an interpreter arrive without opening the lobby.
import type { ParticipantRole, WaitingPatient } from '@bedside/shared';
import { roleLabel } from '../guests/guests';
import { localizer, t } from '../i18n/i18n';

/** The badge's order: the patient first, then guests as the invite form offers them. */
const ORDER: readonly ParticipantRole[] = [
  'patient',
  'interpreter',
  'caregiver',
  'clinician',
  'doctor',
];

function countOf(role: ParticipantRole, count: number): string {
  switch (role) {
    case 'patient':
      return t('waiting.role.patient', { count });
    case 'interpreter':
      return t('waiting.role.interpreter', { count });
    case 'caregiver':
      return t('waiting.role.caregiver', { count });
    case 'clinician':
      return t('waiting.role.clinician', { count });
    case 'doctor':
      return t('waiting.role.doctor', { count });
    default: {
      const never: never = role;
      return never;
    }
  }
}

export function waitingSummary(list: readonly WaitingPatient[]): string {
  if (list.length === 0) return t('waiting.count', { count: 0 });
  const first = list[0]!;
  if (list.length === 1)
    return t('waiting.badge.one', { name: first.userName, role: roleLabel(first.role) });
  return t('waiting.badge.many', { count: list.length, who: waitingByRole(list) });
}

/** "1 patient and 2 interpreters": a count per part, in the badge's order. */
export function waitingByRole(list: readonly WaitingPatient[]): string {
  const parts = ORDER.map((role) => [role, list.filter((w) => w.role === role).length] as const)
    .filter(([, n]) => n > 0)
    .map(([role, n]) => countOf(role, n));
  return new Intl.ListFormat(localizer.i18n.locale || 'en', {
    style: 'long',
    type: 'conjunction',
  }).format(parts);
}
