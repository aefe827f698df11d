// Pure: shared by browser, Electron and Node. Schemas for values that many messages reuse.
// Written with zod/mini (functions, not methods), like socket.ts and ice.ts: these are the
// schemas the browser bundles, and zod/mini lets the bundler keep only what is used.
import { z } from 'zod/mini';

/** Error codes every boundary (REST, socket acks, IPC) speaks. */
export const ErrorCodeSchema = z.enum([
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'conflict',
  'rate-limited',
  'payload-too-large',
  'client-outdated',
  'room-closed',
  'not-in-room',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorBodySchema = z.object({
  code: ErrorCodeSchema,
  message: z.string().check(z.maxLength(500)),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** REST error envelope: `{ "error": { "code", "message" } }`. */
export const ApiErrorSchema = z.object({ error: ErrorBodySchema });
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** Results across sockets and IPC are values, never thrown errors. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message },
});

/** Who a socket is in a call; a guest is an invited interpreter, family member or clinician. */
export const UserTypeSchema = z.enum(['doctor', 'patient', 'guest']);
export type UserType = z.infer<typeof UserTypeSchema>;

/** What an invited guest is there for (DESIGN.md, "Visits with more than two people"). */
export const GuestRoleSchema = z.enum(['interpreter', 'caregiver', 'clinician']);
export type GuestRole = z.infer<typeof GuestRoleSchema>;

/** A person's part in a visit: carried on room users, waiting entries and the record. */
export const ParticipantRoleSchema = z.enum([
  'doctor',
  'patient',
  'interpreter',
  'caregiver',
  'clinician',
]);
export type ParticipantRole = z.infer<typeof ParticipantRoleSchema>;

/** At most this many people in one visit: doctor, patient and two guests. */
export const MAX_VISIT_PEOPLE = 4;
export const MAX_GUESTS = MAX_VISIT_PEOPLE - 2;

export const RoleSchema = z.enum(['doctor', 'manager']);
export type Role = z.infer<typeof RoleSchema>;

/** Appointment ids come from clinic systems; keep them to a safe, URL-friendly alphabet. */
export const AppointmentIdSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9_-]+$/, 'appointmentId may hold letters, digits, "_" and "-" only'),
  );

/** `room-{appointmentId}` */
export const RoomIdSchema = z
  .string()
  .check(
    z.minLength(6),
    z.maxLength(69),
    z.regex(/^room-[A-Za-z0-9_-]+$/, 'roomId must look like room-{appointmentId}'),
  );
export type RoomId = z.infer<typeof RoomIdSchema>;

export const roomIdFor = (appointmentId: string): string => `room-${appointmentId}`;

export const UserIdSchema = z.string().check(z.minLength(1), z.maxLength(128));
/** Display names: printable, trimmed, bounded. */
export const UserNameSchema = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(80),
  // eslint-disable-next-line no-control-regex
  z.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'name must not contain control characters'),
);

export const SocketIdSchema = z.string().check(z.minLength(1), z.maxLength(64));

/** ISO-8601 date-time with a zone designator (Z or ±hh:mm). */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
