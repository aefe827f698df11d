// Node: the meeting a REST route under `/api/meetings/:roomId` acts on — the room id from the
// path, checked, and the meeting, if the signed-in user may see it (a doctor only their own, a
// manager any). Shared by the meetings and guests routes so both answer a foreign or missing
// meeting alike.
import type { Request } from 'express';
import { RoomIdSchema, type Meeting } from '@bedside/shared';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import { userOf, type UserPrincipal } from './authMiddleware.js';

export interface MeetingAccess {
  /** The `:roomId` path parameter, or a 400. */
  roomParam(req: Request): string;
  /** The meeting, if this user may see it. */
  loadFor(me: UserPrincipal, roomId: string): Promise<Meeting>;
  /** The signed-in user, the path's room and its meeting: the start of every route on one meeting. */
  forRequest(req: Request): Promise<{ me: UserPrincipal; roomId: string; meeting: Meeting }>;
}

export function meetingAccess(ctx: ServiceContext): MeetingAccess {
  const roomParam = (req: Request): string => {
    const r = RoomIdSchema.safeParse(req.params.roomId);
    if (!r.success) throw new AppError('bad-request', 'roomId must look like room-{appointmentId}');
    return r.data;
  };

  const loadFor = async (me: UserPrincipal, roomId: string): Promise<Meeting> => {
    const meeting = await ctx.store.getMeeting(roomId);
    // Another doctor's meeting answers exactly like a missing one: a status that differs
    // would tell which appointment ids exist.
    if (!meeting || (me.role === 'doctor' && meeting.doctorId !== me.userId)) {
      throw new AppError('not-found', 'No meeting with that roomId');
    }
    return meeting;
  };

  const forRequest = async (req: Request) => {
    const me = userOf(req);
    const roomId = roomParam(req);
    return { me, roomId, meeting: await loadFor(me, roomId) };
  };

  return { roomParam, loadFor, forRequest };
}
