import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogLevel, Logger } from './logger.js';
import { type IceStatus, PeerSession, defaultTiming } from './negotiation.js';
import {
  FakeMediaStream,
  FakeMediaStreamCtor,
  FakeMediaStreamTrack,
  asStream,
  asTrack,
} from './testing/fakeMedia.js';
import { FakePeerConnection, FakePeerConnectionCtor } from './testing/FakePeerConnection.js';
import { ManualClock } from './testing/ManualClock.js';
import { settle, until } from './testing/wait.js';

type Msg = { d: RTCSessionDescriptionInit } | { c: RTCIceCandidateInit };

class Side {
  session!: PeerSession;
  inbox: Msg[] = [];
  held = false;
  camera: MediaStream | null = null;
  screen: MediaStream | null = null;
  ice: IceStatus[] = [];
  logs: Array<{ level: LogLevel; message: string }> = [];
  audio = new FakeMediaStreamTrack('audio');
  video = new FakeMediaStreamTrack('video');
  stream = new FakeMediaStream([this.audio, this.video]);
  peer!: Side;
  sentDescriptions: RTCSessionDescriptionInit[] = [];
  readonly logger: Logger = {
    debug: (m) => this.logs.push({ level: 'debug', message: m }),
    info: (m) => this.logs.push({ level: 'info', message: m }),
    warn: (m) => this.logs.push({ level: 'warn', message: m }),
    error: (m) => this.logs.push({ level: 'error', message: m }),
  };

  start(polite: boolean, mode: 'offer' | 'await-offer', clock: ManualClock): void {
    this.session = new PeerSession({
      polite,
      mode,
      config: {},
      tracks: { audio: asTrack(this.audio), video: asTrack(this.video) },
      localStream: asStream(this.stream),
      RTCPeerConnection: FakePeerConnectionCtor,
      MediaStream: FakeMediaStreamCtor,
      clock,
      logger: this.logger,
      callbacks: {
        sendDescription: (d) => {
          this.sentDescriptions.push(d);
          this.peer.receive({ d });
        },
        sendCandidate: (c) => this.peer.receive({ c }),
        remoteStreams: (camera, screen) => {
          this.camera = camera;
          this.screen = screen;
        },
        iceStatus: (s) => this.ice.push(s),
      },
    });
  }

  receive(m: Msg): void {
    this.inbox.push(m);
    if (!this.held) this.pump();
  }
  pump(): void {
    const batch = this.inbox.splice(0);
    for (const m of batch)
      setTimeout(() => {
        if ('d' in m) void this.session.handleDescription(m.d);
        else void this.session.handleCandidate(m.c);
      }, 1);
  }
  release(): void {
    this.held = false;
    this.pump();
  }
  get pc(): FakePeerConnection {
    return this.session.pc as unknown as FakePeerConnection;
  }
  live() {
    return this.pc.fakeTransceivers.filter((t) => !t.stopped);
  }
  problems() {
    return this.logs.filter((l) => l.level === 'warn' || l.level === 'error');
  }
}

function pair(): [Side, Side] {
  const doctor = new Side();
  const patient = new Side();
  doctor.peer = patient;
  patient.peer = doctor;
  return [doctor, patient];
}

const connected = (s: Side) =>
  s.pc.signalingState === 'stable' && s.pc.iceConnectionState === 'connected';

describe('PeerSession (perfect negotiation)', () => {
  let clock: ManualClock;
  let sides: Side[] = [];
  beforeEach(() => {
    clock = new ManualClock();
    FakePeerConnection.reset();
  });
  afterEach(() => {
    for (const s of sides) s.session.close();
    sides = [];
  });

  function setup(doctorMode: 'offer' | 'await-offer', patientMode: 'offer' | 'await-offer') {
    const [d, p] = pair();
    sides = [d, p];
    d.start(false, doctorMode, clock);
    p.start(true, patientMode, clock);
    return [d, p] as const;
  }

  it('the member in the room offers; the newcomer answers with its own tracks', async () => {
    const [doctor, patient] = setup('offer', 'await-offer');
    await until(() => connected(doctor) && connected(patient), 'both connected');
    await until(() => !!doctor.camera && !!patient.camera, 'remote streams');

    expect(doctor.sentDescriptions.map((d) => d.type)).toEqual(['offer']);
    expect(patient.sentDescriptions.map((d) => d.type)).toEqual(['answer']);
    // The patient sends its camera and microphone on the transceivers the offer created.
    const sending = patient.live().map((t) => [t.kind, t.sender.track?.id, t.currentDirection]);
    expect(sending).toEqual([
      ['audio', patient.audio.id, 'sendrecv'],
      ['video', patient.video.id, 'sendrecv'],
    ]);
    expect(doctor.camera!.getTracks()).toHaveLength(2);
    expect(doctor.screen).toBeNull();
    expect(doctor.ice.at(-1)).toEqual({ kind: 'connected' });
    expect([...doctor.problems(), ...patient.problems()]).toEqual([]);
  });

  it('glare: both offer at once, then converge to one stable session', async () => {
    const [doctor, patient] = [new Side(), new Side()];
    doctor.peer = patient;
    patient.peer = doctor;
    sides = [doctor, patient];
    doctor.held = patient.held = true;
    doctor.start(false, 'offer', clock);
    patient.start(true, 'offer', clock);
    await until(
      () => doctor.sentDescriptions.length > 0 && patient.sentDescriptions.length > 0,
      'both offers out',
    );
    expect(doctor.pc.signalingState).toBe('have-local-offer');
    expect(patient.pc.signalingState).toBe('have-local-offer');
    doctor.release();
    patient.release();

    await until(() => connected(doctor) && connected(patient), 'both connected');
    await settle(30);
    expect(doctor.pc.signalingState).toBe('stable');
    expect(patient.pc.signalingState).toBe('stable');
    expect(patient.pc.log).toContain('rollback'); // the polite side gave way
    expect(doctor.pc.log).not.toContain('rollback');
    // One audio and one video m-line each way, same mids on both sides, tracks flowing both ways.
    const layout = (s: Side) => s.live().map((t) => `${t.mid}:${t.kind}:${t.currentDirection}`);
    expect(layout(doctor)).toEqual(['0:audio:sendrecv', '1:video:sendrecv']);
    expect(layout(patient)).toEqual(layout(doctor));
    expect(patient.live().map((t) => t.sender.track?.id)).toEqual([
      patient.audio.id,
      patient.video.id,
    ]);
    expect(doctor.live().map((t) => t.sender.track?.id)).toEqual([
      doctor.audio.id,
      doctor.video.id,
    ]);
    expect(doctor.camera).not.toBeNull();
    expect(patient.camera).not.toBeNull();
    expect([...doctor.problems(), ...patient.problems()]).toEqual([]);
  });

  it('glare during renegotiation: both start screen sharing at once', async () => {
    const [doctor, patient] = setup('offer', 'await-offer');
    await until(() => connected(doctor) && connected(patient), 'connected');
    doctor.held = patient.held = true;
    const dScreen = new FakeMediaStreamTrack('video');
    const pScreen = new FakeMediaStreamTrack('video');
    doctor.session.setScreen({
      track: asTrack(dScreen),
      stream: asStream(new FakeMediaStream([dScreen])),
    });
    patient.session.setScreen({
      track: asTrack(pScreen),
      stream: asStream(new FakeMediaStream([pScreen])),
    });
    await until(
      () =>
        doctor.pc.signalingState === 'have-local-offer' &&
        patient.pc.signalingState === 'have-local-offer',
      'both re-offering',
    );
    doctor.release();
    patient.release();
    await until(() => !!doctor.screen && !!patient.screen, 'both see the other screen');
    await until(
      () => doctor.pc.signalingState === 'stable' && patient.pc.signalingState === 'stable',
      'stable',
    );
    expect(doctor.live()).toHaveLength(4);
    expect(patient.live()).toHaveLength(4);
    expect(doctor.camera!.getVideoTracks()[0]).not.toBe(doctor.screen!.getVideoTracks()[0]);
    expect([...doctor.problems(), ...patient.problems()]).toEqual([]);
  });

  it("glare: both share a screen with the computer's sound at once; voices stay on the camera lines", async () => {
    const [doctor, patient] = setup('offer', 'await-offer');
    await until(() => connected(doctor) && connected(patient), 'connected');
    doctor.held = patient.held = true;
    const share = () => {
      const video = new FakeMediaStreamTrack('video');
      const audio = new FakeMediaStreamTrack('audio', {}, 'System audio');
      return {
        track: asTrack(video),
        stream: asStream(new FakeMediaStream([video, audio])),
        audio: asTrack(audio),
      };
    };
    doctor.session.setScreen(share());
    patient.session.setScreen(share());
    await until(
      () =>
        doctor.pc.signalingState === 'have-local-offer' &&
        patient.pc.signalingState === 'have-local-offer',
      'both re-offering',
    );
    doctor.release();
    patient.release();
    const withSound = (s: Side) =>
      s.screen?.getVideoTracks().length === 1 && s.screen.getAudioTracks().length === 1;
    await until(() => withSound(doctor) && withSound(patient), 'both hear the other screen');
    await until(
      () => doctor.pc.signalingState === 'stable' && patient.pc.signalingState === 'stable',
      'stable',
    );
    // Microphone, camera, and per direction a screen and its sound.
    expect(doctor.live()).toHaveLength(6);
    expect(patient.live()).toHaveLength(6);
    for (const side of [doctor, patient]) {
      expect(side.camera!.getAudioTracks()).toHaveLength(1);
      expect(side.camera!.getAudioTracks()[0]).not.toBe(side.screen!.getAudioTracks()[0]);
    }
    expect([...doctor.problems(), ...patient.problems()]).toEqual([]);

    doctor.session.setScreen(null);
    await until(() => patient.screen === null, 'doctor stopped sharing');
    await until(
      () => doctor.pc.signalingState === 'stable' && patient.pc.signalingState === 'stable',
      'stable again',
    );
    expect(withSound(doctor)).toBe(true); // the patient's share and sound carry on
    expect(patient.camera!.getAudioTracks()).toHaveLength(1);
  });

  it('queues candidates that arrive before the remote description', async () => {
    const [doctor, patient] = pair();
    sides = [doctor, patient];
    // Deliver the doctor's candidates first, then its offer.
    patient.held = true;
    doctor.start(false, 'offer', clock);
    patient.start(true, 'await-offer', clock);
    await until(
      () => patient.inbox.some((m) => 'c' in m) && patient.inbox.some((m) => 'd' in m),
      'offer + candidates',
    );
    const candidates = patient.inbox.filter((m) => 'c' in m);
    for (const c of candidates)
      await patient.session.handleCandidate((c as { c: RTCIceCandidateInit }).c);
    expect(patient.pc.addedCandidates).toHaveLength(0); // nothing to add them to yet
    patient.inbox = patient.inbox.filter((m) => 'd' in m);
    patient.release();
    await until(() => connected(doctor) && connected(patient), 'connected');
    expect(patient.pc.addedCandidates.length).toBeGreaterThanOrEqual(candidates.length);
    expect([...doctor.problems(), ...patient.problems()]).toEqual([]);
  });

  it('swaps a track with replaceTrack, without renegotiating', async () => {
    const [doctor, patient] = setup('offer', 'await-offer');
    await until(() => connected(doctor) && connected(patient), 'connected');
    await settle();
    const before = doctor.pc.negotiationNeededEvents;
    const offers = doctor.sentDescriptions.length;
    const next = new FakeMediaStreamTrack('video');
    await doctor.session.setTrack('video', asTrack(next));
    await doctor.session.setTrack('audio', null);
    await settle();
    const [audio, video] = doctor.live();
    expect(video!.sender.track).toBe(next);
    expect(video!.sender.replaced).toContain(next);
    expect(audio!.sender.track).toBeNull();
    expect(doctor.pc.negotiationNeededEvents).toBe(before);
    expect(doctor.sentDescriptions.length).toBe(offers);
  });

  it('adds a screen share as a second video sender and removes it again', async () => {
    const [doctor, patient] = setup('offer', 'await-offer');
    await until(() => connected(doctor) && connected(patient), 'connected');
    const screen = new FakeMediaStreamTrack('video');
    // The polite side shares: renegotiation from either side works.
    patient.session.setScreen({
      track: asTrack(screen),
      stream: asStream(new FakeMediaStream([screen])),
    });
    await until(() => !!doctor.screen, 'doctor sees the screen');
    const cameraBefore = doctor.camera;
    expect(doctor.screen!.getVideoTracks()).toHaveLength(1);
    await until(() => patient.pc.signalingState === 'stable', 'patient stable');
    expect(patient.live().find((t) => t.sender.track === screen)?.currentDirection).toBe(
      'sendonly',
    );

    patient.session.setScreen(null);
    await until(() => doctor.screen === null, 'screen gone');
    await until(
      () => doctor.pc.signalingState === 'stable' && patient.pc.signalingState === 'stable',
      'stable',
    );
    expect(doctor.camera).toBe(cameraBefore); // the camera stream is untouched
    expect(patient.live()).toHaveLength(2);
    expect(doctor.live()).toHaveLength(2);
  });

  it('restarts ICE when it fails, and reports recovery', async () => {
    const [doctor, patient] = setup('offer', 'await-offer');
    await until(() => connected(doctor) && connected(patient), 'connected');
    const offers = doctor.sentDescriptions.length;
    const ufrag = (d: RTCSessionDescriptionInit) => (JSON.parse(d.sdp!) as { ufrag: string }).ufrag;
    doctor.pc.setIceConnectionState('failed');
    patient.pc.setIceConnectionState('failed');
    expect(doctor.ice.at(-1)).toEqual({ kind: 'recovering', attempt: 1 });
    expect(doctor.pc.restartIceCalls).toBe(1);
    await until(() => connected(doctor) && connected(patient), 'reconnected');
    expect(doctor.ice.at(-1)).toEqual({ kind: 'connected' });
    const newest = [...doctor.sentDescriptions, ...patient.sentDescriptions].filter(
      (d) => d.type === 'offer',
    );
    expect(new Set(newest.map(ufrag)).size).toBeGreaterThan(1); // a fresh ufrag was offered
    expect(doctor.sentDescriptions.length + patient.sentDescriptions.length).toBeGreaterThan(
      offers + 1,
    );
  });

  it('waits the grace period of "disconnected" before restarting, and not at all if it heals', async () => {
    const grace = defaultTiming.iceDisconnectedGraceMs;
    const [doctor, patient] = setup('offer', 'await-offer');
    await until(() => connected(doctor) && connected(patient), 'connected');
    doctor.pc.setIceConnectionState('disconnected');
    clock.advance(grace - 1000);
    doctor.pc.setIceConnectionState('connected');
    clock.advance(grace);
    expect(doctor.pc.restartIceCalls).toBe(0);

    doctor.pc.holdIce = true;
    doctor.pc.setIceConnectionState('disconnected');
    clock.advance(grace - 1);
    expect(doctor.pc.restartIceCalls).toBe(0);
    clock.advance(1);
    expect(doctor.pc.restartIceCalls).toBe(1);
    expect(doctor.ice.at(-1)).toEqual({ kind: 'recovering', attempt: 1 });
    // Still down after the retry period: restart again.
    clock.advance(10_000);
    expect(doctor.pc.restartIceCalls).toBe(2);
    expect(doctor.ice.at(-1)).toEqual({ kind: 'recovering', attempt: 2 });
  });

  it('a newcomer offers itself when nobody offers within the fallback time', async () => {
    const [doctor, patient] = setup('await-offer', 'await-offer');
    await settle();
    expect(doctor.sentDescriptions).toHaveLength(0);
    clock.advance(3000);
    await until(() => connected(doctor) && connected(patient), 'connected');
    expect(doctor.sentDescriptions[0]?.type).toBe('offer');
    expect(patient.live().map((t) => t.sender.track?.id)).toEqual([
      patient.audio.id,
      patient.video.id,
    ]);
  });
});
