// A visit of 3 or 4 (docs/multi-party.md): one pair per other member, each negotiated, watched
// and restarted on its own. Real Chromium covers the same in apps/desktop/e2e/multi-party.spec.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParticipantRole } from '../contracts/index.js';
import { SPEAKER_POLL_MS } from './activeSpeaker.js';
import { CallEngine, VIDEO_SEND_BUDGET_BPS } from './CallEngine.js';
import { QUALITY_INTERVAL_MS } from './stats.js';
import type { PeerSession } from './negotiation.js';
import {
  FakeMediaDevices,
  FakeMediaStreamCtor,
  FakeMediaStreamTrack,
  fakeOf,
} from './testing/fakeMedia.js';
import { FakeLevelMeter } from './testing/FakeLevelMeter.js';
import { FakePeerConnection, FakePeerConnectionCtor } from './testing/FakePeerConnection.js';
import { FakeSignalingServer } from './testing/FakeSignalingServer.js';
import { ManualClock } from './testing/ManualClock.js';
import { settle, until } from './testing/wait.js';
import type { CallEngineOptions } from './types.js';

const ROOM = 'room-appt77';

interface Who {
  userType: CallEngineOptions['userType'];
  userId: string;
  userName: string;
  role?: ParticipantRole;
  /** With a local level meter (Web Audio in a browser); without, the getStats level. */
  meter?: boolean;
}

class Member {
  readonly engine: CallEngine;
  readonly devices = new FakeMediaDevices();
  readonly warnings: string[] = [];
  /** Every level meter the engine made, in order. */
  readonly meters: FakeLevelMeter[] = [];

  constructor(server: FakeSignalingServer, clock: ManualClock, who: Who) {
    const token = `token-${who.userId}`;
    server.addToken(token, {
      userId: who.userId,
      userType: who.userType,
      ...(who.userType === 'doctor' ? {} : { roomId: ROOM }),
      ...(who.role ? { role: who.role } : {}),
    });
    const warn = (message: string) => this.warnings.push(message);
    this.engine = new CallEngine(
      {
        serverUrl: 'http://bedside.test/',
        token,
        roomId: ROOM,
        userId: who.userId,
        userType: who.userType,
        userName: who.userName,
      },
      {
        createSocket: server.createSocket,
        RTCPeerConnection: FakePeerConnectionCtor,
        MediaStream: FakeMediaStreamCtor,
        mediaDevices: this.devices as unknown as MediaDevices,
        fetch: () => Promise.resolve(Response.json({ iceServers: [], ttlSeconds: 3600 })),
        clock,
        logger: { debug() {}, info() {}, warn, error: warn },
        createLevelMeter: who.meter
          ? () => {
              const m = new FakeLevelMeter();
              this.meters.push(m);
              return m;
            }
          : null,
      },
    );
  }
  get snap() {
    return this.engine.getSnapshot();
  }
  get id(): string {
    return this.snap.socketId!;
  }
  /** Our own session with one peer (the engine's private map: this is the engine's own test). */
  session(peer: Member): PeerSession {
    const peers = (
      this.engine as unknown as { peers: Map<string, { session: PeerSession | null }> }
    ).peers;
    const s = peers.get(peer.id)?.session;
    if (!s) throw new Error('no session with that peer');
    return s;
  }
  pc(peer: Member): FakePeerConnection {
    return this.session(peer).pc as unknown as FakePeerConnection;
  }
}

const flowingTo = (a: Member, b: Member): boolean => {
  try {
    const pc = a.pc(b);
    const view = a.snap.peers.find((p) => p.user.socketId === b.id);
    return (
      pc.iceConnectionState === 'connected' && pc.signalingState === 'stable' && !!view?.stream
    );
  } catch {
    return false;
  }
};

describe('CallEngine with more than two people', () => {
  let server: FakeSignalingServer;
  let clock: ManualClock;
  let members: Member[];

  beforeEach(() => {
    server = new FakeSignalingServer();
    clock = new ManualClock();
    members = [];
    FakePeerConnection.reset();
  });
  afterEach(() => {
    for (const m of members) m.engine.leave();
  });

  const member = (who: Who) => {
    const m = new Member(server, clock, who);
    members.push(m);
    return m;
  };

  const allFlowing = (ms: Member[]) => ms.every((a) => ms.every((b) => a === b || flowingTo(a, b)));

  /** `m` joins and is in the doctor's waiting room. */
  async function waitInLobby(doctor: Member, m: Member) {
    await m.engine.join();
    await until(
      () => doctor.snap.waitingRoom.some((w) => w.socketId === m.id),
      'in the waiting room',
    );
  }

  async function admitNext(doctor: Member, m: Member) {
    await waitInLobby(doctor, m);
    await doctor.engine.admit(m.id);
  }

  /** The doctor and the patient in the call; an interpreter yet to join. */
  async function twoInCallInterpreterOutside() {
    const doctor = member({ userType: 'doctor', userId: 'dr-1', userName: 'Dr Who' });
    const patient = member({ userType: 'patient', userId: 'pt-1', userName: 'Pat Doe' });
    const interpreter = member({
      userType: 'guest',
      userId: 'g-int',
      userName: 'Ana',
      role: 'interpreter',
    });
    await doctor.engine.join();
    await admitNext(doctor, patient);
    await until(() => allFlowing([doctor, patient]), 'two in the call');
    return { doctor, patient, interpreter };
  }

  async function fourInCall(opts: { doctorMeter?: boolean } = {}) {
    const doctor = member({
      userType: 'doctor',
      userId: 'dr-1',
      userName: 'Dr Who',
      meter: opts.doctorMeter ?? false,
    });
    const patient = member({ userType: 'patient', userId: 'pt-1', userName: 'Pat Doe' });
    const interpreter = member({
      userType: 'guest',
      userId: 'g-int',
      userName: 'Ana',
      role: 'interpreter',
    });
    const caregiver = member({
      userType: 'guest',
      userId: 'g-care',
      userName: 'Sam',
      role: 'caregiver',
    });
    await doctor.engine.join();
    const all = [doctor, patient, interpreter, caregiver];
    for (const m of all.slice(1)) await admitNext(doctor, m);
    await until(() => allFlowing(all), 'media on all 12 directed pairs');
    return { doctor, patient, interpreter, caregiver, all };
  }

  it('four people: one negotiated pair per other member, each with one polite side', async () => {
    const { doctor, patient, interpreter, caregiver, all } = await fourInCall();
    for (const m of all) {
      expect(m.snap.peers).toHaveLength(3);
      expect(m.snap.state.kind).toBe('connected');
      for (const p of m.snap.peers) expect(p.ice).toBe('connected');
    }
    // Exactly one polite side per pair, and the doctor is never the polite one.
    for (const a of all)
      for (const b of all) if (a !== b) expect(a.session(b).polite).toBe(!b.session(a).polite);
    for (const m of all.slice(1)) expect(doctor.session(m).polite).toBe(false);
    // The member already in the room offered to each newcomer.
    const firstOfferTo = (target: Member) =>
      server.received.find(
        (r) =>
          r.event === 'offer' &&
          (r.payload as { targetSocketId: string }).targetSocketId === target.id,
      )?.socketId;
    expect(firstOfferTo(patient)).toBe(doctor.id);
    expect([doctor.id, patient.id]).toContain(firstOfferTo(interpreter));
    expect([doctor.id, patient.id, interpreter.id]).toContain(firstOfferTo(caregiver));
    // Roles travel with each tile; the two-person fields point at the main peer.
    expect(doctor.snap.peers.map((p) => p.user.role)).toEqual([
      'patient',
      'interpreter',
      'caregiver',
    ]);
    expect(doctor.snap.remoteStream).toBe(doctor.snap.peers[0]!.stream);
    const st = interpreter.snap.state;
    expect(st.kind === 'connected' && st.peer?.role).toBe('doctor');
    for (const m of all) expect(m.warnings).toEqual([]);
  });

  it('splits the video send budget between the pairs and lifts the cap back at two', async () => {
    const { doctor, patient, interpreter, caregiver } = await fourInCall();
    const cap = (a: Member, b: Member) =>
      a
        .pc(b)
        .fakeTransceivers.find((t) => t.kind === 'video')!
        .sender.getParameters().encodings[0]!.maxBitrate;
    await until(
      () => cap(doctor, patient) === Math.floor(VIDEO_SEND_BUDGET_BPS / 3),
      'a third of the budget each',
    );
    expect(cap(patient, caregiver)).toBe(Math.floor(VIDEO_SEND_BUDGET_BPS / 3));
    interpreter.engine.leave();
    caregiver.engine.leave();
    await until(() => doctor.snap.peers.length === 1, 'back to two');
    await until(() => cap(doctor, patient) === undefined, 'no cap with one peer');
  });

  it('a screen share reaches every peer', async () => {
    const { patient, interpreter, caregiver, doctor } = await fourInCall();
    await interpreter.engine.startScreenShare();
    for (const m of [doctor, patient, caregiver])
      await until(() => {
        const v = m.snap.peers.find((p) => p.user.socketId === interpreter.id);
        return !!v?.screenStream && v.sharing;
      }, 'screen seen');
    fakeOf(interpreter.snap.localScreenStream!.getVideoTracks()[0])!.endFromSource();
    for (const m of [doctor, patient, caregiver])
      await until(
        () => m.snap.peers.find((p) => p.user.socketId === interpreter.id)?.screenStream === null,
        'screen gone',
      );
  });

  it('a screen share asks for no sound unless told to, and then sends none', async () => {
    const { interpreter, doctor } = await fourInCall();
    interpreter.devices.displayAudio = true; // would share sound, but nobody asks for it
    await interpreter.engine.startScreenShare();
    expect(interpreter.devices.displayRequests).toEqual([{ video: true, audio: false }]);
    await until(() => {
      const v = doctor.snap.peers.find((p) => p.user.socketId === interpreter.id);
      return !!v?.screenStream;
    }, 'screen seen');
    const seen = doctor.snap.peers.find((p) => p.user.socketId === interpreter.id)!;
    expect(seen.screenStream!.getAudioTracks()).toHaveLength(0);
    expect(interpreter.snap.localScreenStream!.getAudioTracks()).toHaveLength(0);
  });

  it("the computer's sound, when asked for and shared, reaches every peer and stops with the screen", async () => {
    const { patient, interpreter, caregiver, doctor } = await fourInCall();
    const others = [patient, interpreter, caregiver];
    doctor.devices.displayAudio = true; // the doctor ticked "Share computer sound" (Windows)
    await doctor.engine.startScreenShare({ systemAudio: true });
    expect(doctor.devices.displayRequests).toEqual([{ video: true, audio: true }]);
    const sound = fakeOf(doctor.snap.localScreenStream!.getAudioTracks()[0])!;
    expect(sound.label).toBe('System audio');

    // Each pair sends it on its own sendonly audio line, beside the screen's video line.
    const soundLines = (m: Member) =>
      doctor
        .pc(m)
        .fakeTransceivers.filter(
          (t) => t.sender.track === sound && t.direction === 'sendonly' && !t.stopped,
        );
    for (const m of others) expect(soundLines(m)).toHaveLength(1);
    for (const m of others)
      await until(() => {
        const v = m.snap.peers.find((p) => p.user.socketId === doctor.id);
        return v?.sharing === true && v.screenStream?.getAudioTracks().length === 1;
      }, 'screen with sound seen');
    for (const m of others) {
      const v = m.snap.peers.find((p) => p.user.socketId === doctor.id)!;
      expect(v.screenStream!.getVideoTracks()).toHaveLength(1);
      // The doctor's voice stays on the camera stream, apart from the shared sound.
      expect(v.stream!.getAudioTracks()).toHaveLength(1);
      expect(v.stream!.getAudioTracks()[0]).not.toBe(v.screenStream!.getAudioTracks()[0]);
    }

    doctor.engine.stopScreenShare();
    expect(sound.readyState).toBe('ended');
    for (const m of others) expect(soundLines(m)).toHaveLength(0);
    for (const m of others)
      await until(
        () => m.snap.peers.find((p) => p.user.socketId === doctor.id)?.screenStream === null,
        'screen and sound gone',
      );
    for (const m of others) {
      const v = m.snap.peers.find((p) => p.user.socketId === doctor.id)!;
      expect(v.stream!.getAudioTracks()).toHaveLength(1);
    }
  });

  it("a member admitted during a share with the computer's sound gets the screen and the sound", async () => {
    const { doctor, interpreter } = await twoInCallInterpreterOutside();
    doctor.devices.displayAudio = true;
    await doctor.engine.startScreenShare({ systemAudio: true });
    const sound = fakeOf(doctor.snap.localScreenStream!.getAudioTracks()[0])!;

    await admitNext(doctor, interpreter);
    await until(() => {
      const v = interpreter.snap.peers.find((p) => p.user.socketId === doctor.id);
      return v?.sharing === true && v.screenStream?.getAudioTracks().length === 1;
    }, 'newcomer sees the screen with sound');
    const lines = doctor
      .pc(interpreter)
      .fakeTransceivers.filter((t) => t.sender.track === sound && !t.stopped);
    expect(lines).toHaveLength(1);
  });

  it('a share started while a guest waits (their pair already prepared) reaches them once admitted', async () => {
    const { doctor, patient, interpreter } = await twoInCallInterpreterOutside();
    await waitInLobby(doctor, interpreter);
    // The doctor's pair for the interpreter exists (and has made its offer) before the share.
    const prepared = () =>
      (
        doctor.engine as unknown as { admitting: Map<string, { session: PeerSession | null }> }
      ).admitting.get(interpreter.id)?.session?.pc;
    await until(
      () => prepared()?.signalingState === 'have-local-offer',
      'a pair prepared (offer made) for the waiting interpreter',
    );
    await doctor.engine.startScreenShare();
    await doctor.engine.admit(interpreter.id);
    await until(() => {
      const v = interpreter.snap.peers.find((p) => p.user.socketId === doctor.id);
      return v?.sharing === true && (v.screenStream?.getVideoTracks().length ?? 0) === 1;
    }, 'the interpreter sees the screen');
    await until(() => allFlowing([doctor, patient, interpreter]), 'three in the call');
  });

  it('asking for sound when the picker shares none sends the screen alone', async () => {
    const { patient, doctor } = await fourInCall();
    await doctor.engine.startScreenShare({ systemAudio: true }); // displayAudio stays false
    expect(doctor.devices.displayRequests).toEqual([{ video: true, audio: true }]);
    await until(() => {
      const v = patient.snap.peers.find((p) => p.user.socketId === doctor.id);
      return !!v?.screenStream;
    }, 'screen seen');
    const v = patient.snap.peers.find((p) => p.user.socketId === doctor.id)!;
    expect(v.screenStream!.getAudioTracks()).toHaveLength(0);
    const audioSenders = doctor
      .pc(patient)
      .fakeTransceivers.filter((t) => t.kind === 'audio' && !t.stopped);
    expect(audioSenders).toHaveLength(1); // the microphone only
  });

  it('a guest removed mid-call: the other three keep their pairs untouched', async () => {
    const { doctor, patient, interpreter, caregiver } = await fourInCall();
    const before = [doctor.pc(patient), doctor.pc(interpreter), patient.pc(interpreter)];
    server.removeGuest(ROOM, 'g-care');
    await until(() => caregiver.snap.state.kind === 'ended', 'guest ended');
    expect(caregiver.snap.state).toMatchObject({ kind: 'ended', reason: 'removed' });
    expect(caregiver.devices.live()).toHaveLength(0);
    for (const m of [doctor, patient, interpreter])
      await until(() => m.snap.peers.length === 2, 'caregiver gone from the tiles');
    expect([doctor.pc(patient), doctor.pc(interpreter), patient.pc(interpreter)]).toEqual(before);
    for (const pc of before) expect(pc.restartIceCalls).toBe(0);
    expect(doctor.snap.state.kind).toBe('connected');
    expect(allFlowing([doctor, patient, interpreter])).toBe(true);
  });

  it('a member whose connection drops comes back on its own pairs; the others are untouched', async () => {
    const { doctor, patient, interpreter, caregiver, all } = await fourInCall();
    const kept = [doctor.pc(patient), doctor.pc(caregiver), patient.pc(caregiver)];
    const oldId = interpreter.id;
    server.sockets.get(oldId)!.drop();
    await until(
      () => interpreter.snap.socketId !== null && interpreter.snap.socketId !== oldId,
      'interpreter back on a new connection',
    );
    await until(() => allFlowing(all), 'all 12 pairs flowing again');
    expect([doctor.pc(patient), doctor.pc(caregiver), patient.pc(caregiver)]).toEqual(kept);
    for (const pc of kept) expect(pc.isClosed).toBe(false);
    for (const m of [doctor, patient, caregiver]) {
      expect(m.snap.peers).toHaveLength(3);
      expect(m.snap.peers.some((p) => p.user.socketId === oldId)).toBe(false);
    }
  });

  it('the doctor dropping and coming back rebuilds only the pairs with the doctor', async () => {
    const { doctor, patient, interpreter, caregiver, all } = await fourInCall();
    const kept = [patient.pc(interpreter), patient.pc(caregiver), interpreter.pc(caregiver)];
    const oldId = doctor.id;
    server.sockets.get(oldId)!.drop();
    await until(
      () => doctor.snap.socketId !== null && doctor.snap.socketId !== oldId,
      'doctor back on a new connection',
    );
    await until(() => allFlowing(all), 'all 12 pairs flowing again');
    expect([patient.pc(interpreter), patient.pc(caregiver), interpreter.pc(caregiver)]).toEqual(
      kept,
    );
    expect(doctor.snap.peers).toHaveLength(3);
    const st = patient.snap.state;
    expect(st.kind === 'connected' && st.peer?.userType).toBe('doctor');
  });

  it("one pair's ICE failure restarts that pair only; the call stays connected", async () => {
    const { doctor, patient, interpreter } = await fourInCall();
    doctor.pc(interpreter).setIceConnectionState('failed');
    interpreter.pc(doctor).setIceConnectionState('failed');
    const view = () => doctor.snap.peers.find((p) => p.user.socketId === interpreter.id)!;
    expect(view().ice).toBe('recovering');
    expect(doctor.snap.state.kind).toBe('connected');
    await until(() => view().ice === 'connected', 'pair recovered');
    expect(doctor.pc(patient).restartIceCalls).toBe(0);
    expect(doctor.snap.peers.filter((p) => p.ice === 'connected')).toHaveLength(3);
  });

  it('the whole call is reconnecting only when every pair is down', async () => {
    const doctor = member({ userType: 'doctor', userId: 'dr-1', userName: 'Dr Who' });
    const patient = member({ userType: 'patient', userId: 'pt-1', userName: 'Pat Doe' });
    const guest = member({ userType: 'guest', userId: 'g-1', userName: 'Lee', role: 'clinician' });
    await doctor.engine.join();
    await admitNext(doctor, patient);
    await admitNext(doctor, guest);
    await until(() => allFlowing([doctor, patient, guest]), 'three flowing');
    doctor.pc(patient).setIceConnectionState('failed');
    expect(doctor.snap.state.kind).toBe('connected');
    doctor.pc(guest).setIceConnectionState('failed');
    expect(doctor.snap.state).toMatchObject({ kind: 'reconnecting', cause: 'ice' });
    patient.pc(doctor).setIceConnectionState('failed');
    guest.pc(doctor).setIceConnectionState('failed');
    await until(() => doctor.snap.state.kind === 'connected', 'recovered');
  });

  it('chat goes to everyone, once each', async () => {
    const { all, caregiver } = await fourInCall();
    await caregiver.engine.sendChat('is the dose 5 mg?');
    for (const m of all)
      await until(
        () => m.snap.chat.filter((c) => c.message === 'is the dose 5 mg?').length === 1,
        'chat seen',
      );
  });

  /** `b`'s microphone as `a` receives it is this loud (what getSynchronizationSources reads). */
  const hears = (a: Member, b: Member, level: number) => {
    fakeOf(a.session(b).microphoneReceiver!.track)!.level = level;
  };
  /** One speaker poll (SPEAKER_POLL_MS, 250 ms) at a time, `n` of them. */
  const polls = async (n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(SPEAKER_POLL_MS);
      await settle(0);
    }
  };
  /**
   * Our own level as the 2 s getStats sample reports it (`media-source`, read on our pair with
   * `peer`), through two quality samples: the fallback when no meter can tell.
   */
  const statsSayWeSpeak = async (me: Member, peer: Member, level: number) => {
    let bytes = 0;
    me.pc(peer).statsProvider = () => [
      { id: 'A', type: 'inbound-rtp', kind: 'audio', bytesReceived: (bytes += 50_000) },
      { id: 'M', type: 'media-source', kind: 'audio', audioLevel: level },
    ];
    for (let i = 0; i < 2; i++) {
      clock.advance(QUALITY_INTERVAL_MS);
      await settle(5);
    }
  };
  const speakerChanges = (m: Member) => {
    const seen: Array<string | null> = [];
    let last = m.snap.activeSpeaker;
    let notified = 0;
    m.engine.subscribe(() => {
      notified++;
      if (m.snap.activeSpeaker !== last) seen.push((last = m.snap.activeSpeaker));
    });
    return { seen, notified: () => notified };
  };

  it('the active speaker follows who talks within a few 250 ms polls, not the 2 s stats', async () => {
    const { doctor, patient, interpreter } = await fourInCall();
    hears(doctor, patient, 0.01);
    hears(doctor, interpreter, 0.4);
    await polls(1);
    expect(doctor.snap.activeSpeaker).toBe(null);
    await polls(1);
    expect(doctor.snap.activeSpeaker).toBe(interpreter.id);
    // The interpreter stops, the patient answers: theirs two polls later, inside the hold.
    hears(doctor, interpreter, 0);
    hears(doctor, patient, 0.2);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(patient.id);
    // Silence: the highlight stays SPEAKER_HOLD_MS (1 s) after the last poll heard, then goes.
    hears(doctor, patient, 0);
    await polls(3);
    expect(doctor.snap.activeSpeaker).toBe(patient.id);
    await polls(1);
    expect(doctor.snap.activeSpeaker).toBe(null);
  });

  it('the highlight does not flicker on single-poll blips, and a steady speaker is published once', async () => {
    const { doctor, patient, interpreter } = await fourInCall();
    const changes = speakerChanges(doctor);
    for (let i = 0; i < 8; i++) {
      hears(doctor, patient, i % 2 ? 0.5 : 0);
      hears(doctor, interpreter, i % 2 ? 0 : 0.5);
      await polls(1);
    }
    expect(changes.seen).toEqual([]);
    hears(doctor, patient, 0);
    hears(doctor, interpreter, 0.3);
    const before = changes.notified();
    await polls(20);
    expect(changes.seen).toEqual([interpreter.id]);
    // Five seconds of polls (and two quality samples) but one snapshot for the speaker.
    expect(changes.notified() - before).toBeLessThanOrEqual(1 + 2 * 3);
  });

  it('a muted peer is never the speaker, however loud its packets still are', async () => {
    const { doctor, interpreter } = await fourInCall();
    hears(doctor, interpreter, 0.9);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(interpreter.id);
    interpreter.engine.setMicrophoneEnabled(false);
    await until(
      () =>
        doctor.snap.peers.find((p) => p.user.socketId === interpreter.id)?.media?.audio === false,
      'mute seen',
    );
    // At once, not after the hold.
    expect(doctor.snap.activeSpeaker).toBe(null);
    await polls(8);
    expect(doctor.snap.activeSpeaker).toBe(null);
    interpreter.engine.setMicrophoneEnabled(true);
    await until(
      () =>
        doctor.snap.peers.find((p) => p.user.socketId === interpreter.id)?.media?.audio === true,
      'unmute seen',
    );
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(interpreter.id);
  });

  it('our own voice (media-source level) makes us the speaker only while our mic is on', async () => {
    const { doctor, patient } = await fourInCall();
    await statsSayWeSpeak(doctor, patient, 0.3);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(doctor.id);
    doctor.engine.setMicrophoneEnabled(false);
    expect(doctor.snap.activeSpeaker).toBe(null);
    await polls(8);
    expect(doctor.snap.activeSpeaker).toBe(null);
  });

  /** Our microphone as our own meter reads it (what the analyser on the sent track hears). */
  const speaks = (m: Member, level: number) => {
    fakeOf(m.engine.getSnapshot().localStream!.getAudioTracks()[0])!.level = level;
  };
  const openMeters = (m: Member) => m.meters.filter((x) => !x.closed);

  it('our own voice is measured at each poll, not from the 2 s stats: we take and give up the highlight within polls', async () => {
    const { doctor, interpreter } = await fourInCall({ doctorMeter: true });
    // The stats would say we are silent; no quality sample is due in what follows (< 2 s).
    doctor.pc(interpreter).statsProvider = () => [
      { id: 'M', type: 'media-source', kind: 'audio', audioLevel: 0 },
    ];
    expect(openMeters(doctor)).toHaveLength(1);
    speaks(doctor, 0.3);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(doctor.id);
    // We stop, the interpreter answers: theirs two polls later, as for any peer.
    speaks(doctor, 0);
    hears(doctor, interpreter, 0.3);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(interpreter.id);
    // Two people at once: our level is on the peers' scale, so the same loudness does not
    // take the highlight from the one who holds it (takeover needs ×2).
    speaks(doctor, 0.3);
    await polls(8);
    expect(doctor.snap.activeSpeaker).toBe(interpreter.id);
  });

  it('the meter follows our microphone: a device switch re-attaches it, muting detaches it', async () => {
    const { doctor } = await fourInCall({ doctorMeter: true });
    const meter = doctor.meters[0]!;
    const first = meter.track!;
    expect(first.settings.deviceId).toBe('mic-1');
    first.level = 0.5;
    await doctor.engine.switchMicrophone('mic-2');
    expect(meter.track).not.toBe(first);
    expect(meter.track?.settings.deviceId).toBe('mic-2');
    // The old microphone (stopped) no longer counts; the new one does.
    await polls(4);
    expect(doctor.snap.activeSpeaker).toBe(null);
    speaks(doctor, 0.3);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(doctor.id);
    doctor.engine.setMicrophoneEnabled(false);
    expect(doctor.snap.activeSpeaker).toBe(null);
    expect(meter.track).toBe(null);
    doctor.engine.setMicrophoneEnabled(true);
    expect(meter.track?.settings.deviceId).toBe('mic-2');
    // One meter throughout: a track change does not make a new AudioContext.
    expect(doctor.meters).toHaveLength(1);
  });

  it('the meter lives in a visit of 3 or 4 and is closed when it is down to two, or ends', async () => {
    const { doctor, patient, interpreter, caregiver } = await fourInCall({ doctorMeter: true });
    expect(openMeters(doctor)).toHaveLength(1);
    for (const m of [patient, interpreter, caregiver]) m.engine.leave();
    await until(() => doctor.snap.peers.length === 0, 'everyone gone');
    expect(openMeters(doctor)).toHaveLength(0);
    await admitNext(doctor, member({ userType: 'patient', userId: 'pt-2', userName: 'Jo Roe' }));
    await until(() => doctor.snap.peers.length === 1, 'next patient in');
    // Two people: no highlight to show, so no AudioContext either.
    expect(openMeters(doctor)).toHaveLength(0);
    await admitNext(
      doctor,
      member({ userType: 'guest', userId: 'g-9', userName: 'Max', role: 'interpreter' }),
    );
    await until(() => doctor.snap.peers.length === 2, 'an interpreter in too');
    expect(openMeters(doctor)).toHaveLength(1);
    await doctor.engine.endCall();
    await settle();
    expect(openMeters(doctor)).toHaveLength(0);
    expect(doctor.meters).toHaveLength(2);
  });

  it('while the meter cannot tell (suspended AudioContext) our level is the getStats one', async () => {
    const { doctor, patient } = await fourInCall({ doctorMeter: true });
    doctor.meters[0]!.unknown = true;
    speaks(doctor, 0);
    await statsSayWeSpeak(doctor, patient, 0.3);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(doctor.id);
  });

  it('without getSynchronizationSources the level comes from the last getStats sample', async () => {
    const { doctor, patient, interpreter } = await fourInCall();
    // Browsers before it (Chromium 73, Firefox 59, Safari 12.1) have receivers without it.
    for (const m of [patient, interpreter])
      Object.defineProperty(doctor.session(m).microphoneReceiver!, 'getSynchronizationSources', {
        value: undefined,
      });
    const speaking = (pc: FakePeerConnection, level: number) => {
      let bytes = 0;
      pc.statsProvider = () => {
        bytes += 50_000;
        return [
          { id: 'A', type: 'inbound-rtp', kind: 'audio', bytesReceived: bytes, audioLevel: level },
        ];
      };
    };
    speaking(doctor.pc(patient), 0.01);
    speaking(doctor.pc(interpreter), 0.4);
    clock.advance(QUALITY_INTERVAL_MS);
    await settle(5);
    clock.advance(QUALITY_INTERVAL_MS);
    await settle(5);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(interpreter.id);
  });

  it('the level poll runs in a visit of 3 or 4 and stops when it is down to two, or ends', async () => {
    const { doctor, patient, interpreter, caregiver } = await fourInCall();
    expect(clock.intervalsOf(SPEAKER_POLL_MS)).toBe(4);
    hears(doctor, caregiver, 0.4);
    await polls(2);
    expect(doctor.snap.activeSpeaker).toBe(caregiver.id);
    caregiver.engine.leave();
    await until(() => doctor.snap.peers.length === 2, 'caregiver gone');
    // The one who left stops polling; the speaker who left is no longer highlighted.
    expect(clock.intervalsOf(SPEAKER_POLL_MS)).toBe(3);
    expect(doctor.snap.activeSpeaker).toBe(null);
    interpreter.engine.leave();
    await until(() => doctor.snap.peers.length === 1, 'interpreter gone');
    // Two people: the highlight shows only on the grids of 3 or 4, so neither side polls.
    expect(clock.intervalsOf(SPEAKER_POLL_MS)).toBe(0);
    patient.engine.leave();
    await until(() => doctor.snap.peers.length === 0, 'everyone gone');
    expect(doctor.snap.state.kind).toBe('connected');
    expect(clock.intervalsOf(SPEAKER_POLL_MS)).toBe(0);
    await admitNext(doctor, member({ userType: 'patient', userId: 'pt-2', userName: 'Jo Roe' }));
    await until(() => doctor.snap.peers.length === 1, 'next patient in');
    expect(clock.intervalsOf(SPEAKER_POLL_MS)).toBe(0);
    await admitNext(
      doctor,
      member({ userType: 'guest', userId: 'g-9', userName: 'Max', role: 'interpreter' }),
    );
    await until(() => doctor.snap.peers.length === 2, 'an interpreter in too');
    // Three again: each of the three polls.
    expect(clock.intervalsOf(SPEAKER_POLL_MS)).toBe(3);
    await doctor.engine.endCall();
    await settle();
    expect(clock.intervalsOf(SPEAKER_POLL_MS)).toBe(0);
  });

  it('a fifth person is refused and the four carry on', async () => {
    const { doctor, all } = await fourInCall();
    const fifth = member({ userType: 'guest', userId: 'g-5', userName: 'Max', role: 'caregiver' });
    await fifth.engine.join();
    await until(() => doctor.snap.waitingRoom.some((w) => w.socketId === fifth.id), 'waiting');
    await expect(doctor.engine.admit(fifth.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(fifth.snap.state.kind).toBe('waiting');
    await settle(10);
    expect(allFlowing(all)).toBe(true);
  });

  it('a video filter (background blur) is sent to every peer in place, and to a newcomer', async () => {
    const doctor = member({ userType: 'doctor', userId: 'dr-1', userName: 'Dr Who' });
    const patient = member({ userType: 'patient', userId: 'pt-1', userName: 'Pat Doe' });
    const interpreter = member({
      userType: 'guest',
      userId: 'g-int',
      userName: 'Ana',
      role: 'interpreter',
    });
    await doctor.engine.join();
    await admitNext(doctor, patient);
    await admitNext(doctor, interpreter);
    await until(() => allFlowing([doctor, patient, interpreter]), 'three in the call');
    await settle();
    const videoSender = (a: Member, b: Member) =>
      a.pc(b).fakeTransceivers.find((t) => t.kind === 'video')!.sender;
    const negotiations = () =>
      [doctor, interpreter].map((m) => patient.pc(m).negotiationNeededEvents);
    const before = negotiations();
    const offers = () =>
      server.received.filter((r) => r.event === 'offer' && r.socketId === patient.id).length;
    const offersBefore = offers();
    const blurred = new FakeMediaStreamTrack('video', { deviceId: 'blurred' });
    const filter = { apply: () => blurred as unknown as MediaStreamTrack };

    await patient.engine.setVideoFilter(filter);
    expect(videoSender(patient, doctor).track).toBe(blurred);
    expect(videoSender(patient, interpreter).track).toBe(blurred);
    expect(negotiations()).toEqual(before);
    expect(offers()).toBe(offersBefore);

    // Someone joining while blur is on receives the blurred track from the start.
    const caregiver = member({
      userType: 'guest',
      userId: 'g-care',
      userName: 'Sam',
      role: 'caregiver',
    });
    await admitNext(doctor, caregiver);
    await until(() => allFlowing([doctor, patient, interpreter, caregiver]), 'four in the call');
    expect(videoSender(patient, caregiver).track).toBe(blurred);

    await patient.engine.setVideoFilter(null);
    const camera = fakeOf(patient.snap.localStream!.getVideoTracks()[0]!);
    for (const m of [doctor, interpreter, caregiver])
      expect(videoSender(patient, m).track).toBe(camera);
  });
});
