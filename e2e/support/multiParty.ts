// Node (Playwright worker) + page: helpers for visits of 3 or 4 (docs/multi-party.md): guests
// invited and removed over the real REST routes, and media counted per pair.
import type { Page } from '@playwright/test';
import type { TestService } from './service.ts';
import { tokenFromJoinUrl } from './api.ts';

export type GuestRole = 'interpreter' | 'caregiver' | 'clinician';

export interface InvitedGuest {
  guestId: string;
  role: GuestRole;
  name: string;
  joinUrl: string;
  token: string;
}

async function rest(
  service: TestService,
  method: string,
  path: string,
  token: string,
  body?: unknown,
) {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as unknown;
}

/** `POST /api/meetings/:roomId/guests` as the doctor. */
export async function inviteGuest(
  service: TestService,
  doctorToken: string,
  roomId: string,
  role: GuestRole,
  name: string,
): Promise<InvitedGuest> {
  const body = (await rest(
    service,
    'POST',
    `/api/meetings/${encodeURIComponent(roomId)}/guests`,
    doctorToken,
    { role, name },
  )) as { guest: { guestId: string; role: GuestRole; name: string }; joinUrl: string };
  return { ...body.guest, joinUrl: body.joinUrl, token: tokenFromJoinUrl(body.joinUrl) };
}

/** `DELETE /api/meetings/:roomId/guests/:guestId` as the doctor. */
export async function removeGuest(
  service: TestService,
  doctorToken: string,
  roomId: string,
  guestId: string,
): Promise<void> {
  await rest(
    service,
    'DELETE',
    `/api/meetings/${encodeURIComponent(roomId)}/guests/${encodeURIComponent(guestId)}`,
    doctorToken,
  );
}

/**
 * Inbound camera frames decoded on each live peer connection of a page that ran
 * `trackPeerConnections` (one entry per pair, in the order the page opened them).
 */
export async function framesPerConnection(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const out: number[] = [];
    for (const pc of window.__bedsideE2ePeers ?? []) {
      if (pc.connectionState === 'closed') continue;
      let frames = 0;
      const report = await pc.getStats();
      // The camera's m-line comes before any shared screen's: the lowest mid.
      let mid = Infinity;
      report.forEach((s: Record<string, unknown>) => {
        if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
        const m = Number(s.mid);
        if (!(m < mid)) return;
        mid = m;
        frames = typeof s.framesDecoded === 'number' ? s.framesDecoded : 0;
      });
      out.push(frames);
    }
    return out;
  });
}
