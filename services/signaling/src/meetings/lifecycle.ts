// Node: the meeting lifecycle beyond single store calls: completing a call (by the doctor or
// because everyone left long ago) and the sweeper that finds abandoned calls.
import type { z } from 'zod';
import type { CallEndedReasonSchema, Meeting } from '@bedside/shared';
import type { ServiceContext } from '../context.js';
import { createLogger, errorFields } from '../logging/index.js';

/** Why a whole room closes; `removed` ends one guest's call only (see RoomControl.removeGuest). */
export type CallEndedReason = Exclude<z.infer<typeof CallEndedReasonSchema>, 'removed'>;

const log = createLogger('lifecycle');

/** Completes the meeting, records the duration, and releases everyone still connected to it. */
export async function completeMeeting(
  ctx: ServiceContext,
  roomId: string,
  reason: 'ended-by-doctor' | 'abandoned',
  endTime: string,
): Promise<Meeting | null> {
  const before = await ctx.store.getMeeting(roomId);
  if (!before || before.status === 'completed' || before.status === 'cancelled') return before;
  const meeting = await ctx.store.markCompleted(roomId, endTime);
  if (!meeting) return null;
  if (meeting.duration !== null && meeting.startTime !== null) {
    ctx.metrics.callDuration.observe({ reason }, meeting.duration);
  }
  await ctx.rooms?.closeRoom(roomId, reason, meeting.duration);
  log.info({ roomId, reason, duration: meeting.duration }, 'meeting completed');
  return meeting;
}

/**
 * Active meetings everyone left more than the grace period ago are completed, ending when the
 * last participant left (so the duration is the call, not the call plus the grace period).
 */
export async function sweepAbandoned(ctx: ServiceContext, now = Date.now()): Promise<number> {
  const before = new Date(now - ctx.config.abandonGraceSeconds * 1000).toISOString();
  const candidates = await ctx.store.findAbandoned(before);
  let completed = 0;
  for (const m of candidates) {
    // Someone may have rejoined on another instance since the store last heard of them.
    const members = (await ctx.rooms?.roomMembers(m.roomId)) ?? [];
    if (members.length > 0) continue;
    const lastLeft = m.participants
      .map((p) => p.leftAt)
      .filter((t): t is string => t !== null)
      .sort()
      .at(-1);
    const done = await completeMeeting(ctx, m.roomId, 'abandoned', lastLeft ?? before);
    if (done?.status === 'completed') {
      completed++;
      await ctx.audit.record({
        actorId: 'system',
        actorRole: 'system',
        action: 'meeting.complete-abandoned',
        roomId: m.roomId,
        detail: { duration: done.duration },
      });
    }
  }
  return completed;
}

/** Runs the sweeper on an unref'd interval; returns a stop function. */
export function startSweeper(ctx: ServiceContext): () => void {
  const everyMs = Math.max(1000, Math.min(30_000, (ctx.config.abandonGraceSeconds * 1000) / 4));
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepAbandoned(ctx)
      .catch((err: unknown) => log.error(errorFields(err), 'abandoned-call sweep failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
