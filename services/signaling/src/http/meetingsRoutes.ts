// Node: meetings over REST. Doctors create, read and cancel their own meetings; managers read all.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import {
  CreateMeetingRequestSchema,
  ListMeetingsQuerySchema,
  roomIdFor,
  type CreateMeetingResponse,
  type ListMeetingsResponse,
  type Meeting,
} from '@bedside/shared';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logging/index.js';
import type { MeetingQuery } from '../store/types.js';
import { authenticate, requireRole, userOf, type UserPrincipal } from './authMiddleware.js';
import { meetingAccess } from './meetingAccess.js';
import { parseInput } from './validate.js';

const log = createLogger('meetings');

/** Patient names are for the treating doctor; managers see the record without them. */
const viewFor = (me: UserPrincipal, m: Meeting): Meeting =>
  me.role === 'doctor' ? m : { ...m, patientName: null };

export function meetingsRouter(ctx: ServiceContext): { create: Router; meetings: Router } {
  const auth = authenticate(ctx);

  const joinUrl = async (m: Meeting): Promise<string> => {
    const { token } = await ctx.tokens.signPatient({
      patientId: m.patientId,
      roomId: m.roomId,
      scheduledTime: m.scheduledTime,
    });
    return `${ctx.publicUrl()}/join/${m.roomId}#token=${token}`;
  };

  const { roomParam, loadFor } = meetingAccess(ctx);

  const create = Router();
  create.post('/', auth, requireRole('doctor'), async (req, res) => {
    const me = userOf(req);
    const body = parseInput(CreateMeetingRequestSchema, req.body, 'meeting request');
    // The patient link lives until a day after the visit: a visit decades away would make a
    // link that works for decades. (A past time is fine: its link lives a day from now.)
    const days = ctx.config.maxScheduleAheadDays;
    if (Date.parse(body.scheduledTime) - Date.now() > days * 24 * 60 * 60 * 1000) {
      throw new AppError('bad-request', `scheduledTime must be at most ${days} days from now`);
    }
    const roomId = roomIdFor(body.appointmentId);
    const { meeting, created } = await ctx.store.createMeeting({
      appointmentId: body.appointmentId,
      roomId,
      doctorId: me.userId,
      patientId: body.patientId ?? `p-${randomUUID()}`,
      patientName: body.patientName ?? null,
      scheduledTime: body.scheduledTime,
    });
    if (meeting.doctorId !== me.userId) {
      throw new AppError('conflict', 'This appointment already has a meeting with another doctor');
    }
    if (created) {
      await ctx.audit.record({
        actorId: me.userId,
        actorRole: me.role,
        action: 'meeting.create',
        roomId,
      });
      log.info({ roomId }, 'meeting created');
    }
    const response: CreateMeetingResponse = {
      meeting,
      roomId,
      patientJoinUrl: await joinUrl(meeting),
    };
    res.status(created ? 201 : 200).json(response);
  });

  const meetings = Router();
  meetings.post('/', create);

  meetings.get('/', auth, requireRole('doctor', 'manager'), async (req, res) => {
    const me = userOf(req);
    const q = parseInput(ListMeetingsQuerySchema, req.query, 'query');
    const query: MeetingQuery = {};
    if (me.role === 'doctor') query.doctorId = me.userId;
    if (q.status) query.status = q.status;
    if (q.from) query.from = q.from;
    if (q.to) query.to = q.to;
    const { items, total } = await ctx.store.listMeetings(query, { page: q.page, limit: q.limit });
    const body: ListMeetingsResponse = {
      items: items.map((m) => viewFor(me, m)),
      page: q.page,
      limit: q.limit,
      total,
    };
    res.json(body);
  });

  meetings.get('/:roomId', auth, requireRole('doctor', 'manager'), async (req, res) => {
    const me = userOf(req);
    const meeting = await loadFor(me, roomParam(req));
    res.json(viewFor(me, meeting));
  });

  meetings.post('/:roomId/cancel', auth, requireRole('doctor'), async (req, res) => {
    const me = userOf(req);
    const roomId = roomParam(req);
    const meeting = await loadFor(me, roomId);
    if (meeting.status === 'cancelled') {
      res.json(meeting);
      return;
    }
    if (meeting.status === 'completed') {
      throw new AppError('conflict', 'This meeting has already ended');
    }
    const now = new Date().toISOString();
    const cancelled =
      (await ctx.store.markCancelled(roomId, now)) ?? (await ctx.store.getMeeting(roomId));
    if (!cancelled || cancelled.status !== 'cancelled') {
      throw new AppError('conflict', 'This meeting has already ended');
    }
    await ctx.rooms?.closeRoom(roomId, 'cancelled', null);
    await ctx.audit.record({
      actorId: me.userId,
      actorRole: me.role,
      action: 'meeting.cancel',
      roomId,
    });
    log.info({ roomId }, 'meeting cancelled');
    res.json(cancelled);
  });

  return { create, meetings };
}
