// DOM: a quick connection check for the pre-call screen: how long one authenticated round trip
// to the service takes. Thresholds: below 300 ms a video call is comfortable; past 1 s, expect
// lag and lowered quality. It is a hint for the doctor, not a gate.
import type { Precheck } from '@bedside/shared';

export type ConnectionLevel = Precheck['connection'];

export function levelFor(roundTripMs: number): Exclude<ConnectionLevel, 'unknown'> {
  if (roundTripMs < 300) return 'good';
  if (roundTripMs < 1000) return 'fair';
  return 'poor';
}

export async function checkConnection(
  serverUrl: string,
  token: string,
  signal?: AbortSignal,
): Promise<{ level: ConnectionLevel; roundTripMs: number | null }> {
  const started = performance.now();
  try {
    const res = await fetch(`${serverUrl}/api/ice-servers`, {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
      signal: signal ?? AbortSignal.timeout(5000),
    });
    // Read the body so the timing covers the whole answer, not just its headers.
    await res.arrayBuffer();
    if (!res.ok) return { level: 'unknown', roundTripMs: null };
    const ms = performance.now() - started;
    return { level: levelFor(ms), roundTripMs: Math.round(ms) };
  } catch {
    return { level: 'poor', roundTripMs: null };
  }
}
