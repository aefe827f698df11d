// DOM: reads the join link. The token travels in the URL fragment so it never reaches server
// logs or Referer headers; once read it leaves the address bar (history, screenshots, shared
// screens) and lives in sessionStorage for this tab only, so a reload mid-visit gets back in.

/** Mirrors `RoomIdSchema` in packages/shared; zod stays out of the page's bundle for this one check. */
const ROOM_ID = /^room-[A-Za-z0-9_-]{1,64}$/;
const JOIN_PATH = /^\/join\/([^/?#]+)\/?$/;
const TOKEN_KEY = (roomId: string) => `bedside.token.${roomId}`;

/** An invited guest's part in the visit; mirrors `GuestRoleSchema` in packages/shared. */
export type GuestRole = 'interpreter' | 'caregiver' | 'clinician';
const GUEST_ROLES: readonly string[] = ['interpreter', 'caregiver', 'clinician'];

/** What the page may read from the token for display decisions; the server is the judge. */
export interface TokenClaims {
  /** Seconds since the epoch. */
  exp: number | null;
  /** The patient's user id (JWT `sub`). */
  sub: string | null;
  /** Room the token is bound to, when the token says. */
  roomId: string | null;
  /**
   * Set for a guest's link (an interpreter, family member or clinician the doctor invited): the
   * page joins as a guest and says in which role. The service refuses any other claim.
   */
  guestRole: GuestRole | null;
}

export type JoinLink =
  | { kind: 'ok'; roomId: string; token: string; claims: TokenClaims }
  | { kind: 'invalid'; why: 'no-room' | 'no-token' | 'malformed-token' | 'wrong-room' };

interface LocationLike {
  pathname: string;
  hash: string;
  search: string;
}
interface HistoryLike {
  replaceState(data: unknown, unused: string, url?: string | null): void;
}

function base64UrlDecode(segment: string): string {
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Decodes a JWT's payload without verifying it; null when it is not a JWT at all. */
export function decodeClaims(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return null;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1]!));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
    const p = payload as Record<string, unknown>;
    const room = p.roomId ?? p.room;
    const guestRole =
      p.typ === 'guest' && typeof p.role === 'string' && GUEST_ROLES.includes(p.role)
        ? (p.role as GuestRole)
        : null;
    return {
      exp: typeof p.exp === 'number' && Number.isFinite(p.exp) ? p.exp : null,
      sub: typeof p.sub === 'string' ? p.sub : null,
      roomId: typeof room === 'string' ? room : null,
      guestRole,
    };
  } catch {
    return null;
  }
}

export function roomIdFromPath(pathname: string): string | null {
  const m = JOIN_PATH.exec(pathname);
  if (!m) return null;
  let roomId: string;
  try {
    roomId = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return ROOM_ID.test(roomId) ? roomId : null;
}

/**
 * Reads `/join/:roomId#token=…`. A token in the fragment wins over a stored one (a fresh link
 * from the clinic replaces an old one); the fragment is then removed from the address bar.
 */
export function readJoinLink(
  location: LocationLike,
  history: HistoryLike,
  storage: Storage | null,
): JoinLink {
  const roomId = roomIdFromPath(location.pathname);
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromFragment = fragment.get('token');
  if (fromFragment !== null) {
    history.replaceState(null, '', location.pathname + location.search);
  }
  if (!roomId) return { kind: 'invalid', why: 'no-room' };

  let token = fromFragment?.trim() || null;
  if (token) {
    try {
      storage?.setItem(TOKEN_KEY(roomId), token);
    } catch {
      // Private mode with storage full or disabled: the visit still works, only a reload won't.
    }
  } else {
    token = safeGet(storage, TOKEN_KEY(roomId));
  }
  if (!token) return { kind: 'invalid', why: 'no-token' };

  const claims = decodeClaims(token);
  if (!claims) return { kind: 'invalid', why: 'malformed-token' };
  if (claims.roomId !== null && claims.roomId !== roomId)
    return { kind: 'invalid', why: 'wrong-room' };
  return { kind: 'ok', roomId, token, claims };
}

/** True when the token's own expiry has passed (by this device's clock, which may be wrong). */
export function isExpired(claims: TokenClaims, nowMs: number): boolean {
  return claims.exp !== null && claims.exp * 1000 <= nowMs;
}

function safeGet(storage: Storage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** The visit this tab was in, so a reload goes straight back instead of through the check. */
export interface ResumeState {
  userName: string;
  cameraId: string | null;
  microphoneId: string | null;
  /** Background blur was on: a reload must not show the room behind the patient. */
  blur?: boolean;
}
const RESUME_KEY = (roomId: string) => `bedside.resume.${roomId}`;

export function saveResume(storage: Storage | null, roomId: string, state: ResumeState): void {
  try {
    storage?.setItem(RESUME_KEY(roomId), JSON.stringify(state));
  } catch {
    // See above: only the reload shortcut is lost.
  }
}

export function loadResume(storage: Storage | null, roomId: string): ResumeState | null {
  const raw = safeGet(storage, RESUME_KEY(roomId));
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null) return null;
    const r = v as Record<string, unknown>;
    if (typeof r.userName !== 'string' || r.userName.trim() === '' || r.userName.length > 80) {
      return null;
    }
    const id = (x: unknown) => (typeof x === 'string' && x.length <= 512 ? x : null);
    return {
      userName: r.userName,
      cameraId: id(r.cameraId),
      microphoneId: id(r.microphoneId),
      blur: r.blur === true,
    };
  } catch {
    return null;
  }
}

export function clearResume(storage: Storage | null, roomId: string): void {
  try {
    storage?.removeItem(RESUME_KEY(roomId));
  } catch {
    // Nothing kept.
  }
}

const DEVICE_KEY = 'bedside.device';
const DEVICE_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * A random id for this tab, kept in sessionStorage (so a reload keeps it, another tab or device
 * does not have it). The service lets a reconnect with the same id straight back into the call;
 * anyone else holding the link while the patient is in the call waits for the doctor. Without
 * storage the id lives as long as the page.
 */
export function tabDeviceId(storage: Storage | null, random: () => string = randomId): string {
  try {
    const kept = storage?.getItem(DEVICE_KEY);
    if (kept && DEVICE_ID.test(kept)) return kept;
  } catch {
    // Storage can throw (privacy modes, quota); a fresh id still works for this page's life.
  }
  const id = random();
  try {
    storage?.setItem(DEVICE_KEY, id);
  } catch {
    // as above
  }
  return id;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
