// Every <video> the patient (or guest) page renders must play inline with autoplay: without
// `playsinline` iPhone Safari takes the video fullscreen, and without `muted` a self view may
// not autoplay there. Remote videos must not be muted, or the doctor is never heard. Rendered
// to HTML (React's server renderer; the page itself runs on preact/compat, which sets the same
// attributes) because Safari cannot run here.
import type { CallEngineApi, CallSnapshot, RemotePeer } from '@bedside/shared/call';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { InCallScreen } from '../call/InCallScreen.tsx';
import { WaitingScreen } from '../screens/WaitingScreen.tsx';

// Only rendered, never played: server rendering runs no effects, so no stream is touched.
const stream = {} as MediaStream;

const user = (socketId: string, role: RemotePeer['user']['role'], userName: string) => ({
  socketId,
  userId: `u-${socketId}`,
  userType: role === 'doctor' ? ('doctor' as const) : ('guest' as const),
  userName,
  role,
});

const peer = (u: RemotePeer['user']): RemotePeer => ({
  user: u,
  stream,
  screenStream: null,
  media: { audio: true, video: true },
  sharing: false,
  quality: null,
  ice: 'connected' as RemotePeer['ice'],
});

function snapshot(peers: RemotePeer[], sharing = false): CallSnapshot {
  return {
    state: { kind: 'connected', peer: peers[0]?.user ?? null } as CallSnapshot['state'],
    socketId: 's-patient',
    localStream: stream,
    peers,
    activeSpeaker: null,
    remoteStream: stream,
    remoteScreenStream: sharing ? stream : null,
    localScreenStream: null,
    localMedia: { audio: true, video: true },
    remoteMedia: { audio: true, video: true },
    remoteSharing: sharing,
    audioOnly: false,
    chat: [],
    quality: null,
    waitingRoom: [],
    devices: { cameraId: null, microphoneId: null, speakerId: null },
  };
}

function inCall(snap: CallSnapshot): string {
  return renderToString(
    <InCallScreen
      snapshot={snap}
      engine={{} as CallEngineApi}
      extras={null}
      doctorPresent
      reconnecting={false}
      cameraCount={2}
      speakerId={null}
      blur={{ state: { kind: 'off' }, on: false, selfView: stream, toggle: () => {} }}
      onLeave={() => {}}
      announce={() => {}}
    />,
  );
}

/** The attributes of every <video> tag in `html`. */
function videos(html: string): Array<Set<string>> {
  return [...html.matchAll(/<video\b([^>]*)>/g)].map(
    (m) => new Set([...(m[1] ?? '').matchAll(/\s([\w-]+)(?==|\s|$)/g)].map((a) => a[1] ?? '')),
  );
}

function expectInlineAutoplay(html: string, expected: { self: number; remote: number }): void {
  const all = videos(html);
  const self = all.filter((v) => !v.has('data-remote'));
  const remote = all.filter((v) => v.has('data-remote'));
  expect({ self: self.length, remote: remote.length }).toEqual(expected);
  for (const v of all) {
    expect(v.has('playsInline'), 'playsinline').toBe(true);
    expect(v.has('autoPlay'), 'autoplay').toBe(true);
  }
  for (const v of self) expect(v.has('muted'), 'self view muted').toBe(true);
  for (const v of remote) expect(v.has('muted'), 'remote video unmuted').toBe(false);
}

describe('every <video> on the patient page plays inline', () => {
  const doctor = peer(user('s-doc', 'doctor', 'Dr Ada'));

  it('in the waiting room', () => {
    const html = renderToString(
      <WaitingScreen stream={stream} reconnecting={false} guestRole={null} onLeave={() => {}} />,
    );
    expectInlineAutoplay(html, { self: 1, remote: 0 });
  });

  it('in a visit with the doctor', () => {
    expectInlineAutoplay(inCall(snapshot([doctor])), { self: 1, remote: 1 });
  });

  it('while the doctor shares their screen', () => {
    expectInlineAutoplay(inCall(snapshot([doctor], true)), { self: 1, remote: 2 });
  });

  it('in a grid with an interpreter and a family member (a guest sees the same)', () => {
    const html = inCall(
      snapshot([
        doctor,
        peer(user('s-int', 'interpreter', 'Ines')),
        peer(user('s-fam', 'caregiver', 'Carl')),
      ]),
    );
    expectInlineAutoplay(html, { self: 1, remote: 3 });
  });
});
