// Node: guests of a visit over REST (DESIGN.md, "Visits with more than two people"). The doctor
// of a meeting invites an interpreter, family member or second clinician, lists and removes
// them; a manager may list them (without names, as with patients).
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import {
  InviteGuestRequestSchema,
  MAX_GUESTS,
  MAX_VISIT_PEOPLE,
  UserIdSchema,
  type Guest,
  type InviteGuestResponse,
  type ListGuestsResponse,
} from '@bedside/shared';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import { createLogger } from '../logging/index.js';
import { authenticate, requireRole, type UserPrincipal } from './authMiddleware.js';
import { meetingAccess } from './meetingAccess.js';
import { parseInput } from './validate.js';

const log = createLogger('guests');

/** Mounted at `/api/meetings/:roomId/guests`. */
export function guestsRouter(ctx: ServiceContext): Router {
  const auth = authenticate(ctx);
  const router = Router({ mergeParams: true });

  const { forRequest } = meetingAccess(ctx);

  const viewFor = (me: UserPrincipal, g: Guest): Guest =>
    me.role === 'doctor' ? g : { ...g, name: '' };

  /** Signs a guest's link at `linkVersion` (0 first; earlier ones refused), audits, logs. */
  async function issueLink(
    me: UserPrincipal,
    meeting: { roomId: string; scheduledTime: string },
    guest: Guest,
    linkVersion: number,
    event: { action: 'meeting.guest-invite' | 'meeting.guest-relink'; logged: string },
  ): Promise<InviteGuestResponse> {
    const { roomId } = meeting;
    const { token } = await ctx.tokens.signGuest({
      guestId: guest.guestId,
      roomId,
      role: guest.role,
      scheduledTime: meeting.scheduledTime,
      linkVersion,
    });
    void ctx.audit.record({
      actorId: me.userId,
      actorRole: 'doctor',
      action: event.action,
      roomId,
      detail: { role: guest.role },
    });
    log.info({ roomId, role: guest.role }, event.logged);
    return { guest, joinUrl: `${ctx.publicUrl()}/join/${roomId}#token=${token}` };
  }

  router.post('/', auth, requireRole('doctor'), async (req, res) => {
    const { me, roomId, meeting } = await forRequest(req);
    const body = parseInput(InviteGuestRequestSchema, req.body, 'guest invitation');
    const result = await ctx.store.addGuest(
      roomId,
      {
        guestId: `g-${randomUUID()}`,
        role: body.role,
        name: body.name,
        invitedAt: new Date().toISOString(),
      },
      MAX_GUESTS,
    );
    if (!result.ok) {
      throw result.reason === 'full'
        ? new AppError(
            'conflict',
            `This visit is full: at most ${MAX_VISIT_PEOPLE} people (${MAX_GUESTS} guests); remove a guest first`,
          )
        : new AppError('conflict', 'This meeting has ended or was cancelled');
    }
    const response = await issueLink(me, meeting, result.guest, 0, {
      action: 'meeting.guest-invite',
      logged: 'guest invited',
    });
    res.status(201).json(response);
  });

  router.get('/', auth, requireRole('doctor', 'manager'), async (req, res) => {
    const { me, roomId } = await forRequest(req);
    const body: ListGuestsResponse = {
      items: (await ctx.store.listGuests(roomId)).map((g) => viewFor(me, g)),
    };
    res.json(body);
  });

  // A new link for an invited guest (to copy or send again: links live only in answers). The
  // guest's linkVersion goes up, so every earlier link stops working; a socket already
  // connected stays, its next connection needs the new link.
  router.post('/:guestId/link', auth, requireRole('doctor'), async (req, res) => {
    const { me, roomId, meeting } = await forRequest(req);
    const id = UserIdSchema.safeParse(req.params.guestId);
    if (!id.success) throw new AppError('bad-request', 'guestId is not valid');
    const renewed = await ctx.store.renewGuestLink(roomId, id.data);
    if (!renewed) {
      const known = await ctx.store.getGuest(roomId, id.data);
      throw known
        ? new AppError('conflict', 'This guest was removed or the visit is over: no new link')
        : new AppError('not-found', 'No guest with that guestId in this meeting');
    }
    const { linkVersion, ...guest } = renewed;
    const response = await issueLink(me, meeting, guest, linkVersion, {
      action: 'meeting.guest-relink',
      logged: 'guest link renewed',
    });
    res.json(response);
  });

  router.delete('/:guestId', auth, requireRole('doctor'), async (req, res) => {
    const { me, roomId } = await forRequest(req);
    const id = UserIdSchema.safeParse(req.params.guestId);
    if (!id.success) throw new AppError('bad-request', 'guestId is not valid');
    const guest = await ctx.store.removeGuest(roomId, id.data, new Date().toISOString());
    if (!guest) throw new AppError('not-found', 'No guest with that guestId in this meeting');
    await ctx.rooms?.removeGuest(roomId, guest.guestId);
    void ctx.audit.record({
      actorId: me.userId,
      actorRole: 'doctor',
      action: 'meeting.guest-remove',
      roomId,
      detail: { role: guest.role },
    });
    log.info({ roomId, role: guest.role }, 'guest removed');
    res.json({ guest });
  });

  return router;
}
