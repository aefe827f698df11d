// Pure: per-connection event limits as token buckets. Signaling is bursty (a dozen ICE
// candidates at once), so the limit is a sustained rate with room for bursts rather than a
// fixed window. Plain numbers on the connection's state object: idle connections are most of
// what the service holds, so no objects per bucket.

/** Per connection: 50 events/s sustained, bursts of 100. */
export const EVENT_RATE = { capacity: 100, perSecond: 50 };
/**
 * Refused events drain a second bucket; when it empties (≈ 200 refusals faster than 20/s),
 * the client is flooding and is disconnected.
 */
export const ABUSE_RATE = { capacity: 200, perSecond: 20 };

export interface EventLimits {
  event: { capacity: number; perSecond: number };
  abuse: { capacity: number; perSecond: number };
}
export const DEFAULT_LIMITS: EventLimits = { event: EVENT_RATE, abuse: ABUSE_RATE };

/** `SOCKET_EVENTS_PER_SECOND`: the sustained rate, with bursts of twice as many. */
export const limitsFor = (perSecond: number): EventLimits => ({
  event: { capacity: 2 * perSecond, perSecond },
  abuse: ABUSE_RATE,
});

export interface LimitState {
  tokens: number;
  abuseTokens: number;
  /** performance.now() of the last refill. */
  refilledAt: number;
}

export const newLimitState = (now: number, limits = DEFAULT_LIMITS): LimitState => ({
  tokens: limits.event.capacity,
  abuseTokens: limits.abuse.capacity,
  refilledAt: now,
});

/** One incoming event: allowed, refused (`limited`), or refused once too often (`flood`). */
export function takeEvent(
  st: LimitState,
  now: number,
  limits = DEFAULT_LIMITS,
): 'ok' | 'limited' | 'flood' {
  const { event, abuse } = limits;
  const seconds = Math.max(0, now - st.refilledAt) / 1000;
  st.refilledAt = now;
  st.tokens = Math.min(event.capacity, st.tokens + seconds * event.perSecond);
  st.abuseTokens = Math.min(abuse.capacity, st.abuseTokens + seconds * abuse.perSecond);
  if (st.tokens >= 1) {
    st.tokens -= 1;
    return 'ok';
  }
  if (st.abuseTokens >= 1) {
    st.abuseTokens -= 1;
    return 'limited';
  }
  return 'flood';
}
