// Node: what the MongoDB adapter sends and receives, kept free of I/O so it can be checked
// without a server: document <-> record conversion, the status guards that go into filters,
// and the update pipelines that apply the lifecycle rules of records.ts atomically on the server.
import mongoose from 'mongoose';
import {
  MeetingStatusSchema,
  type Guest,
  type Meeting,
  type MeetingStatus,
  type Participant,
  type ParticipantQuality,
} from '@bedside/shared';
import { isFinal, movableFrom, type StoredParticipant } from './records.js';
import type {
  AuditDoc,
  GuestDoc,
  MeetingDoc,
  ParticipantDoc,
  QualityDoc,
  UserDoc,
} from './schemas.js';
import type { AuditEntry, StoredGuest, StoredUser } from './types.js';

const { trusted } = mongoose;

export const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const dateOrNull = (s: string | null): Date | null => (s === null ? null : new Date(s));

export const toGuest = (d: GuestDoc): Guest => ({
  guestId: d._id,
  role: d.role,
  name: d.name,
  invitedAt: iso(d.invitedAt),
  removedAt: isoOrNull(d.removedAt),
});
export const toStoredGuest = (d: GuestDoc): StoredGuest => ({
  ...toGuest(d),
  linkVersion: d.linkVersion ?? 0,
});

const toParticipant = (p: ParticipantDoc): Participant => ({
  userId: p.userId,
  userType: p.userType,
  ...(p.role ? { role: p.role } : {}),
  joinedAt: iso(p.joinedAt),
  leftAt: isoOrNull(p.leftAt),
});

export const toMeeting = (d: MeetingDoc): Meeting => ({
  appointmentId: d.appointmentId,
  roomId: d.roomId,
  doctorId: d.doctorId,
  patientId: d.patientId,
  patientName: d.patientName ?? null,
  scheduledTime: iso(d.scheduledTime),
  startTime: isoOrNull(d.startTime),
  endTime: isoOrNull(d.endTime),
  status: d.status,
  participants: (d.participants ?? []).map(toParticipant),
  duration: d.duration ?? null,
  ...(d.quality && d.quality.length > 0 ? { quality: d.quality.map(toQuality) } : {}),
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
});

const toQuality = (q: QualityDoc): ParticipantQuality => ({
  userId: q.userId,
  userType: q.userType,
  at: iso(q.at),
  samples: q.samples,
  rttMedianMs: q.rttMedianMs ?? null,
  rttP95Ms: q.rttP95Ms ?? null,
  packetLossMedian: q.packetLossMedian ?? null,
  packetLossP95: q.packetLossP95 ?? null,
  bitrateMedianKbps: q.bitrateMedianKbps ?? null,
  secondsByLevel: {
    good: q.secondsByLevel.good,
    fair: q.secondsByLevel.fair,
    poor: q.secondsByLevel.poor,
    lost: q.secondsByLevel.lost,
  },
  iceRestarts: q.iceRestarts,
  relayUsed: q.relayUsed,
});

export const toQualityDoc = (q: ParticipantQuality): QualityDoc => ({
  ...q,
  secondsByLevel: { ...q.secondsByLevel },
  at: new Date(q.at),
});

export const toParticipantDoc = (p: StoredParticipant): ParticipantDoc => ({
  userId: p.userId,
  userType: p.userType,
  ...(p.role !== undefined ? { role: p.role } : {}),
  joinedAt: new Date(p.joinedAt),
  leftAt: dateOrNull(p.leftAt),
  ...(p.instanceId !== undefined ? { instanceId: p.instanceId } : {}),
});

export const toMeetingDoc = (m: Meeting): Omit<MeetingDoc, '_id'> => ({
  appointmentId: m.appointmentId,
  roomId: m.roomId,
  doctorId: m.doctorId,
  patientId: m.patientId,
  patientName: m.patientName,
  scheduledTime: new Date(m.scheduledTime),
  startTime: dateOrNull(m.startTime),
  endTime: dateOrNull(m.endTime),
  status: m.status,
  participants: m.participants.map(toParticipantDoc),
  duration: m.duration,
  ...(m.quality ? { quality: m.quality.map(toQualityDoc) } : {}),
  createdAt: new Date(m.createdAt),
  updatedAt: new Date(m.updatedAt),
});

export const toUser = (d: UserDoc): StoredUser => ({
  id: d._id,
  email: d.email,
  displayName: d.displayName,
  role: d.role,
  passwordHash: d.passwordHash,
  tokenVersion: d.tokenVersion ?? 0,
  disabled: d.disabled ?? false,
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
});

export const toAudit = (d: AuditDoc): AuditEntry => {
  const e: AuditEntry = {
    at: iso(d.at),
    actorId: d.actorId,
    actorRole: d.actorRole,
    action: d.action,
  };
  if (d.roomId != null) e.roomId = d.roomId;
  if (d.detail != null) e.detail = d.detail;
  return e;
};

// ---- Guards: filter parts that make a lifecycle update match only while it is allowed -------

const OPEN_STATUSES: MeetingStatus[] = MeetingStatusSchema.options.filter((s) => !isFinal(s));

/** The meeting still takes joins (not completed or cancelled). */
export const openGuard = () => ({ status: trusted({ $in: OPEN_STATUSES }) });

/** `to` is a real move forward from the stored status (canMoveTo, repeats excluded). */
export const movableGuard = (to: MeetingStatus) => ({ status: trusted({ $in: movableFrom(to) }) });

/** An entry opened through the instance is still open; instanceId must be validated. */
export const openInstanceEntryGuard = (instanceId: string) => ({
  status: trusted({ $in: OPEN_STATUSES }),
  participants: trusted({ $elemMatch: { instanceId, leftAt: null } }),
});

/** The user has an open participant entry; userId must be a validated string. */
export const openEntryGuard = (userId: string) => ({
  participants: trusted({ $elemMatch: { userId, leftAt: null } }),
});

// ---- Update pipelines ---------------------------------------------------------------------
// Pipelines read the stored document, so derived values (duration, which entry to close) are
// computed on the server in the same atomic step. Caller-supplied strings go in as $literal:
// in an expression, a string such as "$roomId" would otherwise be read as a field path.

const literal = (v: string) => ({ $literal: v });

export const activePipeline = (startTime: Date, now: Date) => [
  {
    $set: {
      status: literal('active'),
      startTime: { $ifNull: ['$startTime', startTime] },
      updatedAt: now,
    },
  },
];

/** Mirrors applyTerminal(): endTime, whole-second duration (0 if never started), open entries closed. */
export const terminalPipeline = (to: 'completed' | 'cancelled', endTime: Date, now: Date) => [
  {
    $set: {
      status: literal(to),
      endTime,
      duration: {
        $cond: [
          { $eq: [{ $ifNull: ['$startTime', null] }, null] },
          0,
          { $max: [0, { $floor: { $divide: [{ $subtract: [endTime, '$startTime'] }, 1000] } }] },
        ],
      },
      participants: {
        $map: {
          input: '$participants',
          as: 'p',
          in: { $mergeObjects: ['$$p', { leftAt: { $ifNull: ['$$p.leftAt', endTime] } }] },
        },
      },
      updatedAt: now,
    },
  },
];

/** Mirrors applyInstanceGone(): the instance's open entries close at `at`, or at joinedAt if later. */
export const instanceGonePipeline = (instanceId: string, at: Date, now: Date) => [
  {
    $set: {
      participants: {
        $map: {
          input: '$participants',
          as: 'p',
          in: {
            $cond: [
              {
                $and: [
                  { $eq: ['$$p.instanceId', literal(instanceId)] },
                  { $eq: [{ $ifNull: ['$$p.leftAt', null] }, null] },
                ],
              },
              { $mergeObjects: ['$$p', { leftAt: { $max: ['$$p.joinedAt', at] } }] },
              '$$p',
            ],
          },
        },
      },
      updatedAt: now,
    },
  },
];

/** Mirrors applyLeave(): closes the user's latest open entry (a reconnect may leave two open). */
export function leavePipeline(userId: string, leftAt: Date, now: Date) {
  const isOpenEntryOfUser = {
    $and: [
      { $eq: ['$$p.userId', literal(userId)] },
      { $eq: [{ $ifNull: ['$$p.leftAt', null] }, null] },
    ],
  };
  const latestOpenIndex = {
    $reduce: {
      input: { $range: [0, { $size: '$participants' }] },
      initialValue: -1,
      in: {
        $let: {
          vars: { p: { $arrayElemAt: ['$participants', '$$this'] } },
          in: { $cond: [isOpenEntryOfUser, '$$this', '$$value'] },
        },
      },
    },
  };
  return [
    {
      $set: {
        participants: {
          $let: {
            vars: { idx: latestOpenIndex },
            in: {
              $map: {
                input: { $range: [0, { $size: '$participants' }] },
                as: 'i',
                in: {
                  $let: {
                    vars: { p: { $arrayElemAt: ['$participants', '$$i'] } },
                    in: {
                      $cond: [
                        { $eq: ['$$i', '$$idx'] },
                        { $mergeObjects: ['$$p', { leftAt }] },
                        '$$p',
                      ],
                    },
                  },
                },
              },
            },
          },
        },
        updatedAt: now,
      },
    },
  ];
}
