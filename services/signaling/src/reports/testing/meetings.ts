// Test support (Node, tests and benchmarks only): crafted meetings whose figures are worked
// out by hand in the tests that use them.
import type { Meeting, Participant } from '@bedside/shared';

export const DOCTOR_A = 'doc-a';
export const DOCTOR_B = 'doc-b';

export const entry = (
  userType: Participant['userType'],
  joinedAt: string,
  leftAt: string | null,
  userId = userType === 'doctor' ? DOCTOR_A : 'pat-1',
): Participant => ({ userId, userType, joinedAt, leftAt });

/** A completed meeting by default; override what the case needs. */
export function craftMeeting(
  appointmentId: string,
  fields: Partial<Omit<Meeting, 'appointmentId' | 'roomId'>> = {},
): Meeting {
  const scheduledTime = fields.scheduledTime ?? '2026-11-10T09:00:00.000Z';
  return {
    appointmentId,
    roomId: `room-${appointmentId}`,
    doctorId: DOCTOR_A,
    patientId: `pat-${appointmentId}`,
    patientName: null,
    scheduledTime,
    startTime: null,
    endTime: null,
    status: 'scheduled',
    participants: [],
    duration: null,
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: fields.endTime ?? scheduledTime,
    ...fields,
  };
}

/**
 * The report's reference cases (times UTC). Expected figures, by hand:
 * - reconnect: doctor 08:55–09:30 clipped to the 09:00–09:30 call = 1800 s; patient
 *   09:00–09:10 (600) + 09:12–09:30 (1080) = 1680 s; duration 1800.
 * - overlap: patient phone 09:00–09:20 and laptop 09:15–09:30 → 09:00–09:30 = 1800 s;
 *   doctor 09:00–09:30 with a second device 09:05–09:10 inside it = 1800 s; plus a touching
 *   pair for the patient counted as one stretch.
 * - cancelled: never started; doctor 10:00–10:05 (300) and again 10:04, still open when
 *   cancelled at 10:07 (updatedAt) → union 10:00–10:07 = 420 s; patient 0; duration 0 (ended,
 *   never started).
 * - active (now = 11:20:30): started 11:00; doctor joined 10:58, open → 11:00–11:20:30 =
 *   1230 s; patient 11:00–11:05 (300) + 11:06–now (870) = 1170 s; duration 1230.
 * - dst-spring (Berlin 2026-03-29): 00:50Z–01:10Z = 01:50+01:00 → 03:10+02:00, 1200 s.
 * - dst-autumn (Berlin 2026-10-25): 00:50Z–01:10Z = 02:50+02:00 → 02:10+01:00, 1200 s.
 * - fractions: patient 09:00:00.600–09:00:10.500 = 9.9 s → 9.
 */
export function referenceMeetings(): Meeting[] {
  return [
    craftMeeting('reconnect', {
      scheduledTime: '2026-11-10T09:00:00.000Z',
      startTime: '2026-11-10T09:00:00.000Z',
      endTime: '2026-11-10T09:30:00.000Z',
      status: 'completed',
      duration: 1800,
      participants: [
        entry('doctor', '2026-11-10T08:55:00.000Z', '2026-11-10T09:30:00.000Z'),
        entry('patient', '2026-11-10T09:00:00.000Z', '2026-11-10T09:10:00.000Z'),
        entry('patient', '2026-11-10T09:12:00.000Z', '2026-11-10T09:30:00.000Z'),
      ],
    }),
    craftMeeting('overlap', {
      scheduledTime: '2026-11-11T09:00:00.000Z',
      startTime: '2026-11-11T09:00:00.000Z',
      endTime: '2026-11-11T09:30:00.000Z',
      status: 'completed',
      duration: 1800,
      doctorId: 'doc-b',
      participants: [
        entry('doctor', '2026-11-11T09:00:00.000Z', '2026-11-11T09:30:00.000Z', 'doc-b'),
        entry('doctor', '2026-11-11T09:05:00.000Z', '2026-11-11T09:10:00.000Z', 'doc-b'),
        entry('patient', '2026-11-11T09:15:00.000Z', '2026-11-11T09:25:00.000Z'),
        entry('patient', '2026-11-11T09:00:00.000Z', '2026-11-11T09:20:00.000Z'),
        entry('patient', '2026-11-11T09:25:00.000Z', '2026-11-11T09:30:00.000Z'),
      ],
    }),
    craftMeeting('cancelled', {
      scheduledTime: '2026-11-12T10:00:00.000Z',
      status: 'cancelled',
      updatedAt: '2026-11-12T10:07:00.000Z',
      participants: [
        entry('doctor', '2026-11-12T10:00:00.000Z', '2026-11-12T10:05:00.000Z'),
        entry('doctor', '2026-11-12T10:04:00.000Z', null),
      ],
    }),
    craftMeeting('active', {
      scheduledTime: '2026-11-25T11:00:00.000Z',
      startTime: '2026-11-25T11:00:00.000Z',
      status: 'active',
      updatedAt: '2026-11-25T11:06:00.000Z',
      participants: [
        entry('doctor', '2026-11-25T10:58:00.000Z', null),
        entry('patient', '2026-11-25T11:00:00.000Z', '2026-11-25T11:05:00.000Z'),
        entry('patient', '2026-11-25T11:06:00.000Z', null),
      ],
    }),
    craftMeeting('dst-spring', {
      scheduledTime: '2026-03-29T00:45:00.000Z',
      startTime: '2026-03-29T00:50:00.000Z',
      endTime: '2026-03-29T01:10:00.000Z',
      status: 'completed',
      duration: 1200,
      participants: [
        entry('doctor', '2026-03-29T00:50:00.000Z', '2026-03-29T01:10:00.000Z'),
        entry('patient', '2026-03-29T00:50:00.000Z', '2026-03-29T01:10:00.000Z'),
      ],
    }),
    craftMeeting('dst-autumn', {
      scheduledTime: '2026-10-25T00:45:00.000Z',
      startTime: '2026-10-25T00:50:00.000Z',
      endTime: '2026-10-25T01:10:00.000Z',
      status: 'completed',
      duration: 1200,
      participants: [
        entry('doctor', '2026-10-25T00:50:00.000Z', '2026-10-25T01:10:00.000Z'),
        entry('patient', '2026-10-25T00:50:00.000Z', '2026-10-25T01:10:00.000Z'),
      ],
    }),
    craftMeeting('fractions', {
      scheduledTime: '2026-11-13T09:00:00.000Z',
      startTime: '2026-11-13T09:00:00.000Z',
      endTime: '2026-11-13T09:00:10.500Z',
      status: 'completed',
      duration: 10,
      participants: [
        entry('doctor', '2026-11-13T09:00:00.000Z', '2026-11-13T09:00:10.500Z'),
        entry('patient', '2026-11-13T09:00:00.600Z', '2026-11-13T09:00:10.500Z'),
      ],
    }),
  ];
}

export const REFERENCE_NOW = Date.parse('2026-11-25T11:20:30.000Z');
