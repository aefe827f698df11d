// Runs without a MongoDB server: document validation and filter sanitizing are client-side.
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { movableGuard, openEntryGuard } from './mongoDocs.js';
import { connectionOptions } from './mongoStore.js';
import { meetingSchema, registerModels, userSchema } from './schemas.js';

// An unopened connection: models compile and validate, nothing is sent anywhere.
const conn = mongoose.createConnection();
const { Meeting, User, Audit } = registerModels(conn);
afterAll(() => conn.close());

const t = (s: string) => new Date(`2030-03-01T${s}Z`);
const validMeeting = () => ({
  appointmentId: 'appt-1',
  roomId: 'room-appt-1',
  doctorId: 'doc-1',
  patientId: 'pat-1',
  patientName: 'Ada Lovelace',
  scheduledTime: t('09:00:00'),
  startTime: t('09:01:00'),
  endTime: t('09:11:00'),
  status: 'completed',
  participants: [
    { userId: 'doc-1', userType: 'doctor', joinedAt: t('09:00:30'), leftAt: t('09:11:00') },
    { userId: 'pat-1', userType: 'patient', joinedAt: t('09:01:00'), leftAt: null },
  ],
  duration: 600,
  createdAt: t('08:00:00'),
  updatedAt: t('09:11:00'),
});

/** The paths mongoose refused, or [] when the document is valid. */
async function invalidPaths(doc: { validate(): Promise<void> }): Promise<string[]> {
  try {
    await doc.validate();
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(mongoose.Error.ValidationError);
    return Object.keys((err as mongoose.Error.ValidationError).errors).sort();
  }
}

describe('meeting schema', () => {
  it('accepts a complete, valid meeting', async () => {
    expect(await invalidPaths(new Meeting(validMeeting()))).toEqual([]);
    const {
      startTime: _s,
      endTime: _e,
      duration: _d,
      patientName: _p,
      ...minimal
    } = validMeeting();
    const scheduled = new Meeting({ ...minimal, status: 'scheduled', participants: [] });
    expect(await invalidPaths(scheduled)).toEqual([]);
    expect(scheduled.duration).toBeNull();
    expect(scheduled.patientName).toBeNull();
  });

  it('refuses an unknown status and a bad participant type', async () => {
    expect(await invalidPaths(new Meeting({ ...validMeeting(), status: 'archived' }))).toEqual([
      'status',
    ]);
    const m = validMeeting();
    m.participants[1]!.userType = 'admin';
    expect(await invalidPaths(new Meeting(m))).toContain('participants.1.userType');
  });

  it('refuses a malformed or mismatched roomId and a malformed appointmentId', async () => {
    expect(await invalidPaths(new Meeting({ ...validMeeting(), roomId: 'room appt-1' }))).toEqual([
      'roomId',
    ]);
    expect(await invalidPaths(new Meeting({ ...validMeeting(), roomId: 'room-other' }))).toEqual([
      'roomId',
    ]);
    expect(
      await invalidPaths(
        new Meeting({ ...validMeeting(), appointmentId: 'a/b', roomId: 'room-a/b' }),
      ),
    ).toEqual(['appointmentId', 'roomId']);
  });

  it('refuses missing required fields', async () => {
    const { doctorId: _d, scheduledTime: _s, createdAt: _c, ...rest } = validMeeting();
    expect(await invalidPaths(new Meeting(rest))).toEqual([
      'createdAt',
      'doctorId',
      'scheduledTime',
    ]);
    expect(await invalidPaths(new Meeting({ ...validMeeting(), patientId: '' }))).toEqual([
      'patientId',
    ]);
  });

  it('refuses a negative or fractional duration', async () => {
    expect(await invalidPaths(new Meeting({ ...validMeeting(), duration: -1 }))).toEqual([
      'duration',
    ]);
    expect(await invalidPaths(new Meeting({ ...validMeeting(), duration: 1.5 }))).toEqual([
      'duration',
    ]);
  });

  it('refuses $-operator objects where values belong', async () => {
    expect(
      await invalidPaths(
        new Meeting({ ...validMeeting(), doctorId: { $gt: '' }, status: { $ne: 'x' } }),
      ),
    ).toEqual(['doctorId', 'status']);
    expect(
      await invalidPaths(new Meeting({ ...validMeeting(), scheduledTime: { $exists: true } })),
    ).toEqual(['scheduledTime']);
  });

  it('throws on fields the schema does not know', () => {
    expect(() => new Meeting({ ...validMeeting(), isAdmin: true })).toThrow(
      mongoose.Error.StrictModeError,
    );
  });

  it('declares unique appointmentId and roomId and the query indexes', () => {
    const indexes = meetingSchema.indexes().map(([fields, opts]) => [fields, opts.unique ?? false]);
    expect(indexes).toEqual(
      expect.arrayContaining([
        [{ appointmentId: 1 }, true],
        [{ roomId: 1 }, true],
        [{ scheduledTime: 1, _id: 1 }, false],
        [{ doctorId: 1, scheduledTime: 1, _id: 1 }, false],
        [{ status: 1, scheduledTime: 1, _id: 1 }, false],
      ]),
    );
    expect(meetingSchema.get('strictQuery')).toBe(true);
  });
});

describe('user and audit schemas', () => {
  const user = {
    _id: 'u-1',
    email: '  Dr.Who@Clinic.TEST ',
    displayName: 'Dr Who',
    role: 'doctor',
    passwordHash: 'scrypt$x',
    createdAt: t('08:00:00'),
    updatedAt: t('08:00:00'),
  };

  it('stores emails lowercased and trimmed, with a unique index', async () => {
    const u = new User(user);
    expect(await invalidPaths(u)).toEqual([]);
    expect(u.email).toBe('dr.who@clinic.test');
    expect(userSchema.indexes()).toContainEqual([
      { email: 1 },
      expect.objectContaining({ unique: true }),
    ]);
  });

  it('refuses an unknown role and a missing hash', async () => {
    const { passwordHash: _p, ...noHash } = user;
    expect(await invalidPaths(new User({ ...noHash, role: 'admin' }))).toEqual([
      'passwordHash',
      'role',
    ]);
  });

  it('refuses an unknown audit action or role', async () => {
    const ok = {
      at: t('09:00:00'),
      actorId: 'doc-1',
      actorRole: 'doctor',
      action: 'meeting.create',
    };
    expect(await invalidPaths(new Audit(ok))).toEqual([]);
    expect(
      await invalidPaths(new Audit({ ...ok, action: 'meeting.delete', actorRole: 'root' })),
    ).toEqual(['action', 'actorRole']);
  });
});

describe('query filters', () => {
  it('the store connection turns sanitizeFilter on', () => {
    expect(connectionOptions({ uri: 'mongodb://127.0.0.1/x' })).toMatchObject({
      sanitizeFilter: true,
    });
  });

  it('sanitizeFilter neutralises $ operators smuggled in as values', () => {
    const filter = mongoose.sanitizeFilter({
      roomId: { $ne: null },
      doctorId: 'doc-1',
      $or: [{ patientId: { $gt: '' } }],
    });
    expect(filter).toEqual({
      roomId: { $eq: { $ne: null } },
      doctorId: 'doc-1',
      $or: [{ patientId: { $eq: { $gt: '' } } }],
    });
    expect(() => mongoose.sanitizeFilter({ $where: 'sleep(1000)' })).toThrow(/not allowed/);
  });

  it("keeps the adapter's own guards, which are marked trusted", () => {
    const filter = mongoose.sanitizeFilter({
      roomId: 'room-a',
      ...movableGuard('completed'),
      ...openEntryGuard('pat-1'),
    }) as Record<string, Record<string, unknown>>;
    expect(Object.keys(filter.status!)).toEqual(['$in']);
    expect(filter.status!.$in).toEqual(['scheduled', 'active']);
    expect(Object.keys(filter.participants!)).toEqual(['$elemMatch']);
  });

  it('strictQuery drops filter keys the schema does not know', () => {
    const q = Meeting.find({ roomId: 'room-a', isAdmin: true });
    expect(q.cast(Meeting)).toEqual({ roomId: 'room-a' });
  });
});
