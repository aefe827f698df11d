import { describe, expect, it } from 'vitest';
import {
  clearResume,
  decodeClaims,
  isExpired,
  loadResume,
  readJoinLink,
  roomIdFromPath,
  saveResume,
  tabDeviceId,
} from './joinLink.ts';

/** sessionStorage's interface over a Map (Node has no Web Storage). */
class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, String(value));
  }
}

const b64url = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const jwt = (payload: object) =>
  `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify(payload))}.c2lnbmF0dXJl`;

function history() {
  const calls: string[] = [];
  return {
    calls,
    replaceState: (_d: unknown, _u: string, url?: string | null) => void calls.push(url ?? ''),
  };
}

describe('roomIdFromPath', () => {
  it('accepts /join/room-… with or without a trailing slash', () => {
    expect(roomIdFromPath('/join/room-A1_b-2')).toBe('room-A1_b-2');
    expect(roomIdFromPath('/join/room-abc/')).toBe('room-abc');
  });
  it('refuses other paths and room ids outside the alphabet', () => {
    expect(roomIdFromPath('/join/')).toBeNull();
    expect(roomIdFromPath('/')).toBeNull();
    expect(roomIdFromPath('/join/abc')).toBeNull();
    expect(roomIdFromPath('/join/room-a%20b')).toBeNull();
    expect(roomIdFromPath('/join/room-%E0%A4%A')).toBeNull();
    expect(roomIdFromPath('/join/room-a/extra')).toBeNull();
  });
});

describe('decodeClaims', () => {
  it('reads exp, sub and roomId from a JWT payload, including non-ASCII text', () => {
    const t = jwt({ sub: 'patient-ü', exp: 1_900_000_000, roomId: 'room-x' });
    expect(decodeClaims(t)).toEqual({
      sub: 'patient-ü',
      exp: 1_900_000_000,
      roomId: 'room-x',
      guestRole: null,
    });
  });
  it("reads a guest's role only from a guest token, and only a role that exists", () => {
    const guest = { typ: 'guest', sub: 'g-1', exp: 1_900_000_000, roomId: 'room-x' };
    expect(decodeClaims(jwt({ ...guest, role: 'interpreter' }))?.guestRole).toBe('interpreter');
    expect(decodeClaims(jwt({ ...guest, role: 'caregiver' }))?.guestRole).toBe('caregiver');
    expect(decodeClaims(jwt({ ...guest, role: 'clinician' }))?.guestRole).toBe('clinician');
    // A doctor's access token has a role too; it is not a guest's.
    expect(decodeClaims(jwt({ ...guest, typ: 'access', role: 'doctor' }))?.guestRole).toBeNull();
    expect(decodeClaims(jwt({ ...guest, role: 'doctor' }))?.guestRole).toBeNull();
    expect(decodeClaims(jwt({ ...guest, role: 7 }))?.guestRole).toBeNull();
    expect(
      decodeClaims(jwt({ typ: 'patient', sub: 'p-1', roomId: 'room-x' }))?.guestRole,
    ).toBeNull();
  });
  it('returns null for anything that is not a JWT with an object payload', () => {
    expect(decodeClaims('garbage')).toBeNull();
    expect(decodeClaims('a.b')).toBeNull();
    expect(decodeClaims(`x.${b64url('not json')}.y`)).toBeNull();
    expect(decodeClaims(`x.${b64url('[1,2]')}.y`)).toBeNull();
    expect(decodeClaims('x.!!.y')).toBeNull();
  });
  it('ignores claims of the wrong type', () => {
    expect(decodeClaims(jwt({ exp: '2030', sub: 7 }))).toEqual({
      exp: null,
      sub: null,
      roomId: null,
      guestRole: null,
    });
  });
});

describe('readJoinLink', () => {
  it('takes the token from the fragment, stores it for the room and clears the address bar', () => {
    const storage = new MemoryStorage();
    const h = history();
    const token = jwt({ sub: 'p1', roomId: 'room-42', exp: 2_000_000_000 });
    const link = readJoinLink(
      { pathname: '/join/room-42', hash: `#token=${token}`, search: '' },
      h,
      storage,
    );
    expect(link).toMatchObject({ kind: 'ok', roomId: 'room-42', token });
    expect(h.calls).toEqual(['/join/room-42']);
    expect(storage.getItem('bedside.token.room-42')).toBe(token);

    // A reload: no fragment any more, the stored token is used.
    const again = readJoinLink({ pathname: '/join/room-42', hash: '', search: '' }, h, storage);
    expect(again).toMatchObject({ kind: 'ok', token });
    expect(h.calls).toHaveLength(1);
  });

  it('a fresh link replaces a stored token', () => {
    const storage = new MemoryStorage();
    storage.setItem('bedside.token.room-42', jwt({ sub: 'old' }));
    const fresh = jwt({ sub: 'new' });
    const link = readJoinLink(
      { pathname: '/join/room-42', hash: `#token=${fresh}`, search: '' },
      history(),
      storage,
    );
    expect(link).toMatchObject({ kind: 'ok', token: fresh });
  });

  it('says why a link is unusable', () => {
    const s = new MemoryStorage();
    const read = (pathname: string, hash: string) =>
      readJoinLink({ pathname, hash, search: '' }, history(), s);
    expect(read('/join/nope', '#token=x')).toEqual({ kind: 'invalid', why: 'no-room' });
    expect(read('/join/room-1', '')).toEqual({ kind: 'invalid', why: 'no-token' });
    expect(read('/join/room-1', '#token=')).toEqual({ kind: 'invalid', why: 'no-token' });
    expect(read('/join/room-1', '#token=not-a-jwt')).toEqual({
      kind: 'invalid',
      why: 'malformed-token',
    });
    expect(read('/join/room-1', `#token=${jwt({ roomId: 'room-2' })}`)).toEqual({
      kind: 'invalid',
      why: 'wrong-room',
    });
  });

  it('works without storage (storage disabled)', () => {
    const token = jwt({ sub: 'p' });
    expect(
      readJoinLink(
        { pathname: '/join/room-1', hash: `#token=${token}`, search: '' },
        history(),
        null,
      ),
    ).toMatchObject({
      kind: 'ok',
    });
  });
});

describe('isExpired', () => {
  it('compares exp (seconds) with the clock (ms); no exp never expires', () => {
    expect(isExpired({ exp: 100, sub: null, roomId: null, guestRole: null }, 100_000)).toBe(true);
    expect(isExpired({ exp: 100, sub: null, roomId: null, guestRole: null }, 99_999)).toBe(false);
    expect(isExpired({ exp: null, sub: null, roomId: null, guestRole: null }, Date.now())).toBe(
      false,
    );
  });
});

describe('resume state', () => {
  it('round-trips and rejects tampered values', () => {
    const s = new MemoryStorage();
    saveResume(s, 'room-1', { userName: 'Ana', cameraId: 'c', microphoneId: null, blur: true });
    expect(loadResume(s, 'room-1')).toEqual({
      userName: 'Ana',
      cameraId: 'c',
      microphoneId: null,
      blur: true,
    });
    // Saved before blur existed, or tampered with: off.
    s.setItem('bedside.resume.room-1', '{"userName":"Ana","blur":"yes"}');
    expect(loadResume(s, 'room-1')?.blur).toBe(false);
    expect(loadResume(s, 'room-2')).toBeNull();
    clearResume(s, 'room-1');
    expect(loadResume(s, 'room-1')).toBeNull();
    s.setItem('bedside.resume.room-1', '{"userName":""}');
    expect(loadResume(s, 'room-1')).toBeNull();
    s.setItem('bedside.resume.room-1', '{not json');
    expect(loadResume(s, 'room-1')).toBeNull();
  });
});

describe('tabDeviceId', () => {
  it('keeps one random id per tab across reloads; another tab (storage) gets its own', () => {
    const tab = new MemoryStorage();
    const id = tabDeviceId(tab);
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(tabDeviceId(tab)).toBe(id);
    expect(tabDeviceId(new MemoryStorage())).not.toBe(id);
  });

  it('replaces a tampered stored id and works without storage', () => {
    const tab = new MemoryStorage();
    tab.setItem('bedside.device', 'x');
    expect(tabDeviceId(tab)).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(tabDeviceId(null)).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});
