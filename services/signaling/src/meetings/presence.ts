// Node: presence that outlives a crash. Each service instance records a heartbeat in the store;
// participants entries carry the id of the instance holding the connection. An instance that
// missed STALE_AFTER_BEATS beats is dead: its open entries are closed at its last heartbeat, so
// the abandoned-call sweeper completes its visits with the right duration (exact to one
// heartbeat). A single instance restarting is the same case: the new process has a new id and
// closes the old one's entries; whoever rejoined has a newer entry of their own.
import type { ServiceContext } from '../context.js';
import { createLogger, errorFields } from '../logging/index.js';

const log = createLogger('presence');

/** Beats missed before an instance counts as dead: one slow beat (a GC pause, a busy disk) is not a crash. */
export const STALE_AFTER_BEATS = 3;

/** Closes the entries of every instance silent for too long; returns the meetings changed. */
export async function closeDeadInstances(ctx: ServiceContext, now = Date.now()): Promise<number> {
  const before = new Date(now - STALE_AFTER_BEATS * ctx.config.heartbeatSeconds * 1000);
  const stale = await ctx.store.staleInstances(before.toISOString());
  let changed = 0;
  for (const { instanceId, lastBeat } of stale) {
    if (instanceId === ctx.instanceId) continue;
    const n = await ctx.store.closeInstanceEntries(instanceId);
    changed += n;
    log.info({ instanceId, lastBeat, meetings: n }, 'closed the entries of a dead instance');
  }
  return changed;
}

export interface Presence {
  /** Stops beating and forgets this instance (after a graceful shutdown recorded every leave). */
  stop(): Promise<void>;
}

/**
 * Records the first heartbeat (before any entry can name this instance), then beats on an
 * unref'd interval and closes dead instances' entries after each beat.
 */
export async function startPresence(ctx: ServiceContext): Promise<Presence> {
  const beat = () => ctx.store.beatInstance(ctx.instanceId, new Date().toISOString());
  await beat();
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = beat()
      .then(async (known) => {
        // Silent for 3 beats (a pause, a partition from the store) but alive: another instance
        // closed our entries. Whoever is still connected here gets a new entry, so the record
        // shows the gap instead of ending their part of the visit.
        if (!known) {
          const n = (await ctx.rooms?.reopenLocalEntries()) ?? 0;
          log.warn({ instanceId: ctx.instanceId, entries: n }, 'taken for dead; entries reopened');
        }
        await closeDeadInstances(ctx);
      })
      .then(
        () => undefined,
        (err: unknown) => log.error(errorFields(err), 'heartbeat failed'),
      )
      .finally(() => {
        running = null;
      });
  }, ctx.config.heartbeatSeconds * 1000);
  timer.unref();
  log.info({ instanceId: ctx.instanceId }, 'instance heartbeat started');
  return {
    async stop() {
      clearInterval(timer);
      await running;
      // Whatever is still open (a drain that timed out) closes now; the instance is forgotten.
      await ctx.store.closeInstanceEntries(ctx.instanceId, new Date().toISOString());
    },
  };
}
