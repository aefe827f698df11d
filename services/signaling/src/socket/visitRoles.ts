// Node: who may be in a visit and as what (DESIGN.md, "Visits with more than two people"): the
// role each principal joins with, and the cap of four people. Kept apart from signaling.ts so
// the rules read in one place.
import { MAX_VISIT_PEOPLE, type ParticipantRole, type UserType } from '@bedside/shared';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors.js';

/** The userType a principal must claim in `join-room`, and the role it then has. */
export function identityOf(p: Principal): { userType: UserType; role: ParticipantRole } {
  switch (p.kind) {
    case 'user':
      return { userType: 'doctor', role: 'doctor' };
    case 'patient':
      return { userType: 'patient', role: 'patient' };
    case 'guest':
      return { userType: 'guest', role: p.role };
    default: {
      const never: never = p;
      return never;
    }
  }
}

export const VISIT_FULL_MESSAGE = `This visit is full: at most ${MAX_VISIT_PEOPLE} people can be in it`;

/** Refuses one more person in a room that holds `members` people already. */
export function requireRoomFor(members: number): void {
  if (members >= MAX_VISIT_PEOPLE) throw new AppError('conflict', VISIT_FULL_MESSAGE);
}
