import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallEngine } from './CallEngine.js';
import type { LogContext, Logger } from './logger.js';
import {
  FakeMediaDevices,
  FakeMediaStreamCtor,
  FakeMediaStreamTrack,
  fakeOf,
} from './testing/fakeMedia.js';
import {
  FakePeerConnection,
  FakePeerConnectionCtor,
  type FakeRtpSender,
} from './testing/FakePeerConnection.js';
import { VIDEO_STEPS } from './adaptation.js';
import { FakeSignalingServer } from './testing/FakeSignalingServer.js';
import { ManualClock } from './testing/ManualClock.js';
import { settle, until } from './testing/wait.js';
import type { CallEngineOptions, CallState } from './types.js';

const ROOM = 'room-appt42';

class Party {
  readonly engine: CallEngine;
  readonly devices = new FakeMediaDevices();
  readonly states: CallState['kind'][] = [];
  readonly fetches: Array<{ url: string; auth: string | null }> = [];
  readonly logs: Array<{ level: string; message: string; context?: LogContext }> = [];
  iceResponse: () => Response = () =>
    Response.json({
      iceServers: [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'c' }],
      ttlSeconds: 3600,
    });

  constructor(
    server: FakeSignalingServer,
    clock: ManualClock,
    o: Partial<CallEngineOptions> & Pick<CallEngineOptions, 'userType'>,
  ) {
    const token = `token-${o.userType}`;
    const userId = o.userType === 'doctor' ? 'dr-1' : 'pt-1';
    server.addToken(token, {
      userId,
      userType: o.userType,
      ...(o.userType === 'patient' ? { roomId: ROOM } : {}),
    });
    const logger: Logger = {
      debug: (message, context) => this.logs.push({ level: 'debug', message, context }),
      info: (message, context) => this.logs.push({ level: 'info', message, context }),
      warn: (message, context) => this.logs.push({ level: 'warn', message, context }),
      error: (message, context) => this.logs.push({ level: 'error', message, context }),
    };
    this.engine = new CallEngine(
      {
        serverUrl: 'http://bedside.test/',
        token,
        roomId: ROOM,
        userId,
        userName: o.userType === 'doctor' ? 'Dr Who' : 'Pat Doe',
        client: 'patient-web',
        ...o,
      },
      {
        createSocket: server.createSocket,
        RTCPeerConnection: FakePeerConnectionCtor,
        MediaStream: FakeMediaStreamCtor,
        mediaDevices: this.devices as unknown as MediaDevices,
        fetch: (url, init) => {
          const headers = new Headers(init?.headers);
          this.fetches.push({ url: String(url), auth: headers.get('authorization') });
          return Promise.resolve(this.iceResponse());
        },
        clock,
        logger,
      },
    );
    this.engine.subscribe(() => {
      const k = this.engine.getSnapshot().state.kind;
      if (this.states.at(-1) !== k) this.states.push(k);
    });
  }
  get snap() {
    return this.engine.getSnapshot();
  }
  get state() {
    return this.snap.state;
  }
  /** This party's live peer connection. */
  get pc(): FakePeerConnection {
    const sock = this.snap.socketId;
    const all = FakePeerConnection.instances.filter((p) => !p.isClosed);
    const mine = all.filter((p) => this.pcs.has(p));
    if (mine.length !== 1) throw new Error(`expected one live pc, got ${mine.length} (${sock})`);
    return mine[0]!;
  }
  readonly pcs = new Set<FakePeerConnection>();
  problems() {
    return this.logs.filter((l) => l.level === 'warn' || l.level === 'error');
  }
}

const flowing = (p: Party) => {
  try {
    return (
      p.pc.iceConnectionState === 'connected' &&
      p.pc.signalingState === 'stable' &&
      !!p.snap.remoteStream
    );
  } catch {
    return false;
  }
};

describe('CallEngine', () => {
  let server: FakeSignalingServer;
  let clock: ManualClock;
  let parties: Party[];

  beforeEach(() => {
    server = new FakeSignalingServer();
    clock = new ManualClock();
    parties = [];
    FakePeerConnection.reset();
  });
  afterEach(() => {
    for (const p of parties) p.engine.leave();
  });

  function party(o: Partial<CallEngineOptions> & Pick<CallEngineOptions, 'userType'>): Party {
    const p = new Party(server, clock, o);
    parties.push(p);
    return p;
  }

  // Peer connections are attributed by wrapping the constructor per party.
  function withOwnPcs(p: Party): void {
    const deps = (p.engine as unknown as { d: { RTCPeerConnection: typeof RTCPeerConnection } }).d;
    const Base = deps.RTCPeerConnection;
    deps.RTCPeerConnection = function (this: unknown, config?: RTCConfiguration) {
      const pc = new (Base as unknown as new (c?: RTCConfiguration) => FakePeerConnection)(config);
      p.pcs.add(pc);
      return pc;
    } as unknown as typeof RTCPeerConnection;
  }

  async function inCall() {
    const doctor = party({ userType: 'doctor', client: 'desktop', clientVersion: '1.2.3' });
    const patient = party({ userType: 'patient' });
    withOwnPcs(doctor);
    withOwnPcs(patient);
    await doctor.engine.join();
    await patient.engine.join();
    await until(() => doctor.snap.waitingRoom.length === 1, 'patient in the waiting room');
    await doctor.engine.admit(doctor.snap.waitingRoom[0]!.socketId);
    await until(() => flowing(doctor) && flowing(patient), 'media both ways');
    return { doctor, patient };
  }

  it('patient: joining → waiting → connected → ended when the doctor ends the call', async () => {
    const { doctor, patient } = await inCall();
    expect(patient.states).toEqual(['joining', 'waiting', 'connected']);
    const st = patient.state;
    expect(st.kind === 'connected' && st.peer?.userType).toBe('doctor');
    expect(patient.fetches[0]).toEqual({
      url: 'http://bedside.test/api/ice-servers',
      auth: 'Bearer token-patient',
    });
    expect(patient.pc.configuration.iceServers).toEqual([
      { urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'c' },
    ]);
    expect(patient.snap.localStream?.getTracks()).toHaveLength(2);

    await doctor.engine.endCall();
    await until(() => patient.state.kind === 'ended', 'patient ended');
    expect(patient.state).toMatchObject({ kind: 'ended', reason: 'ended-by-doctor' });
    expect(patient.states.at(-1)).toBe('ended');
    expect(doctor.state).toMatchObject({ kind: 'ended', reason: 'ended-by-doctor' });
    expect(patient.devices.live()).toHaveLength(0);
    expect(doctor.devices.live()).toHaveLength(0);
    expect([...doctor.problems(), ...patient.problems()]).toEqual([]);
  });

  it('doctor: sees the waiting room, admits, and makes the first offer', async () => {
    const { doctor, patient } = await inCall();
    expect(doctor.states).toEqual(['joining', 'connected']);
    const st = doctor.state;
    expect(st.kind === 'connected' && st.peer?.userType).toBe('patient');
    expect(doctor.snap.waitingRoom).toEqual([]);
    // The first offer came from the doctor: with the admit when its prepared pair was ready,
    // else as an `offer` once the patient was in.
    const firstOffer = server.received.find(
      (r) =>
        r.event === 'offer' ||
        (r.event === 'admit-patient' && (r.payload as { offer?: unknown }).offer !== undefined),
    );
    expect(firstOffer?.socketId).toBe(doctor.snap.socketId);
    expect(server.eventsOf('answer', patient.snap.socketId!)).toHaveLength(1);
    // The handshake carried what the service needs to check the client.
    const sock = server.sockets.get(doctor.snap.socketId!)!;
    expect(sock.options.auth).toEqual({
      token: 'token-doctor',
      client: 'desktop',
      clientVersion: '1.2.3',
    });
    expect(sock.options.transports[0]).toBe('websocket');
  });

  it('doctor: sets the pair up while the patient waits; its offer goes with the admit', async () => {
    const doctor = party({ userType: 'doctor', client: 'desktop', clientVersion: '1.2.3' });
    const patient = party({ userType: 'patient' });
    withOwnPcs(doctor);
    withOwnPcs(patient);
    await doctor.engine.join();
    await patient.engine.join();
    await until(() => doctor.snap.waitingRoom.length === 1, 'patient in the waiting room');
    await until(
      () => [...doctor.pcs].some((pc) => pc.signalingState === 'have-local-offer'),
      'the doctor’s offer made while the patient waits',
    );
    await settle();
    // Nothing reaches the service for a patient who is not in the room yet.
    expect(server.eventsOf('offer', doctor.snap.socketId!)).toHaveLength(0);
    expect(server.eventsOf('ice-candidate', doctor.snap.socketId!)).toHaveLength(0);
    expect(doctor.snap.peers).toEqual([]);
    await doctor.engine.admit(doctor.snap.waitingRoom[0]!.socketId);
    await until(() => flowing(doctor) && flowing(patient), 'media both ways');
    expect(doctor.pcs.size).toBe(1);
    // The offer travelled inside the admit, not as an `offer` event.
    const admit = server.eventsOf('admit-patient', doctor.snap.socketId!);
    expect(admit).toHaveLength(1);
    expect(admit[0]).toMatchObject({ offer: { type: 'offer', sdp: expect.any(String) } });
    expect(server.eventsOf('offer', doctor.snap.socketId!)).toHaveLength(0);
    expect(server.eventsOf('answer', patient.snap.socketId!)).toHaveLength(1);
    expect(doctor.snap.peers.map((p) => p.user.userType)).toEqual(['patient']);
    expect([...doctor.problems(), ...patient.problems()]).toEqual([]);
  });

  it('doctor: a patient who leaves the waiting room takes their prepared pair with them', async () => {
    const doctor = party({ userType: 'doctor', client: 'desktop', clientVersion: '1.2.3' });
    const patient = party({ userType: 'patient' });
    withOwnPcs(doctor);
    await doctor.engine.join();
    await patient.engine.join();
    await until(() => doctor.pcs.size === 1, 'a pair prepared for the waiting patient');
    patient.engine.leave();
    await until(() => doctor.snap.waitingRoom.length === 0, 'the waiting room empty');
    await until(() => [...doctor.pcs].every((pc) => pc.isClosed), 'the prepared pair closed');
    expect(server.eventsOf('offer', doctor.snap.socketId!)).toHaveLength(0);
    expect(doctor.snap.peers).toEqual([]);
  });

  it('doctor: an admit that fails leaves no prepared connection behind', async () => {
    const doctor = party({ userType: 'doctor', client: 'desktop', clientVersion: '1.2.3' });
    const patient = party({ userType: 'patient' });
    withOwnPcs(doctor);
    await doctor.engine.join();
    await patient.engine.join();
    await until(() => doctor.snap.waitingRoom.length === 1, 'patient in the waiting room');
    const socketId = doctor.snap.waitingRoom[0]!.socketId;
    server.hold();
    const admitted = doctor.engine.admit(socketId);
    patient.engine.leave();
    server.flush();
    await expect(admitted).rejects.toMatchObject({ code: 'not-found' });
    expect(doctor.pcs.size).toBe(1);
    expect([...doctor.pcs].every((pc) => pc.isClosed)).toBe(true);
    expect(doctor.snap.peers).toEqual([]);
    expect(server.eventsOf('offer', doctor.snap.socketId!)).toHaveLength(0);
  });

  it.each(['unauthorized', 'forbidden', 'room-closed', 'client-outdated'] as const)(
    'ends with an error, without retrying, when the service refuses with %s',
    async (code) => {
      server.refuse = { code, message: 'no' };
      const patient = party({ userType: 'patient' });
      await patient.engine.join();
      expect(patient.state).toEqual({
        kind: 'ended',
        reason: 'error',
        error: { code, message: 'no' },
        duration: null,
      });
      clock.advance(60_000);
      await settle();
      expect(server.sockets.size).toBe(0);
      expect(patient.devices.live()).toHaveLength(0);
    },
  );

  it('signaling drop → reconnecting → rejoins and rebuilds the peer connection', async () => {
    const { doctor, patient } = await inCall();
    const oldPatientPc = patient.pc;
    const oldDoctorPc = doctor.pc;
    server.sockets.get(patient.snap.socketId!)!.drop();
    await until(() => patient.state.kind === 'reconnecting', 'reconnecting');
    expect(patient.state).toMatchObject({ kind: 'reconnecting', cause: 'signaling' });
    await until(
      () => patient.state.kind === 'connected' && flowing(patient) && flowing(doctor),
      'back in the call',
    );
    expect(patient.pc).not.toBe(oldPatientPc);
    expect(doctor.pc).not.toBe(oldDoctorPc);
    expect(oldPatientPc.isClosed && oldDoctorPc.isClosed).toBe(true);
    // The service re-admitted the patient: no second trip through the waiting room.
    expect(patient.states).toEqual([
      'joining',
      'waiting',
      'connected',
      'reconnecting',
      'connected',
    ]);
    expect(doctor.state.kind === 'connected' && doctor.state.peer?.socketId).toBe(
      patient.snap.socketId,
    );
  });

  it('gives up when the service stays unreachable', async () => {
    const { patient } = await inCall();
    server.down = true;
    server.sockets.get(patient.snap.socketId!)!.drop();
    await until(() => patient.state.kind === 'reconnecting', 'reconnecting');
    clock.advance(119_000);
    expect(patient.state.kind).toBe('reconnecting');
    clock.advance(1000);
    expect(patient.state).toMatchObject({
      kind: 'ended',
      reason: 'error',
      error: { code: 'unavailable' },
    });
  });

  it('the server kicking the socket leads to a manual reconnect', async () => {
    const { doctor, patient } = await inCall();
    server.sockets.get(doctor.snap.socketId!)!.kick();
    await until(() => doctor.state.kind === 'reconnecting', 'reconnecting');
    clock.advance(500);
    await until(
      () => flowing(doctor) && flowing(patient) && doctor.state.kind === 'connected',
      'back',
    );
  });

  it('stops (does not fight back) when the same person joins from another tab', async () => {
    const { doctor, patient } = await inCall();
    const second = party({ userType: 'patient' });
    withOwnPcs(second);
    await second.engine.join();
    await until(() => patient.state.kind === 'ended', 'first tab ended');
    expect(patient.state).toMatchObject({
      kind: 'ended',
      reason: 'error',
      error: { code: 'conflict' },
    });
    await until(() => flowing(second) && flowing(doctor), 'the new tab is in the call');
    clock.advance(30_000);
    await settle(30);
    expect(second.state.kind).toBe('connected');
  });

  it('mute flips track.enabled and tells the other side', async () => {
    const { doctor, patient } = await inCall();
    const mic = fakeOf(patient.snap.localStream!.getAudioTracks()[0])!;
    patient.engine.setMicrophoneEnabled(false);
    expect(mic.enabled).toBe(false);
    expect(patient.snap.localMedia).toEqual({ audio: false, video: true });
    await until(() => doctor.snap.remoteMedia?.audio === false, 'doctor sees mute');
    expect(server.eventsOf('media-state', patient.snap.socketId!).at(-1)).toEqual({
      roomId: ROOM,
      audio: false,
      video: true,
    });
    patient.engine.setCameraEnabled(false);
    await until(() => doctor.snap.remoteMedia?.video === false, 'doctor sees camera off');
    expect(fakeOf(patient.snap.localStream!.getVideoTracks()[0])!.enabled).toBe(false);
  });

  it('switching camera uses replaceTrack, without renegotiation', async () => {
    const { patient } = await inCall();
    await settle();
    const pc = patient.pc;
    const events = pc.negotiationNeededEvents;
    const offersAnswers = server.received.filter(
      (r) => r.event === 'offer' || r.event === 'answer',
    ).length;
    const oldCam = fakeOf(patient.snap.localStream!.getVideoTracks()[0])!;
    await patient.engine.switchCamera();
    await settle();
    const videoSender = pc.fakeTransceivers.find((t) => t.kind === 'video')!.sender;
    expect(videoSender.track?.settings.deviceId).toBe('cam-back');
    expect(oldCam.readyState).toBe('ended');
    expect(patient.snap.devices.cameraId).toBe('cam-back');
    expect(pc.negotiationNeededEvents).toBe(events);
    expect(server.received.filter((r) => r.event === 'offer' || r.event === 'answer')).toHaveLength(
      offersAnswers,
    );
    await patient.engine.switchMicrophone('mic-2');
    expect(
      pc.fakeTransceivers.find((t) => t.kind === 'audio')!.sender.track?.settings.deviceId,
    ).toBe('mic-2');
  });

  it('a video filter swaps the sent camera track in place, and follows a camera switch', async () => {
    const { patient } = await inCall();
    await settle();
    const pc = patient.pc;
    const events = pc.negotiationNeededEvents;
    const offers = () => server.received.filter((r) => r.event === 'offer').length;
    const offersBefore = offers();
    const videoSender = () => pc.fakeTransceivers.find((t) => t.kind === 'video')!.sender;
    const outputs = new Map<MediaStreamTrack, FakeMediaStreamTrack>();
    const filter = {
      apply: (camera: MediaStreamTrack) => {
        let out = outputs.get(camera);
        if (!out) {
          out = new FakeMediaStreamTrack('video', { deviceId: `blurred-${camera.id}` });
          outputs.set(camera, out);
        }
        return out as unknown as MediaStreamTrack;
      },
    };
    const camera = patient.snap.localStream!.getVideoTracks()[0]!;
    await patient.engine.setVideoFilter(filter);
    expect(videoSender().track).toBe(outputs.get(camera));
    // The self-view keeps the camera itself; only what is sent changes.
    expect(patient.snap.localStream!.getVideoTracks()[0]).toBe(camera);

    await patient.engine.switchCamera();
    await settle();
    const newCamera = patient.snap.localStream!.getVideoTracks()[0]!;
    expect(newCamera).not.toBe(camera);
    expect(videoSender().track).toBe(outputs.get(newCamera));

    await patient.engine.setVideoFilter(null);
    expect(videoSender().track).toBe(fakeOf(newCamera));
    expect(pc.negotiationNeededEvents).toBe(events);
    expect(offers()).toBe(offersBefore);
  });

  it('screen share is a second stream on the other side; the browser stop button ends it', async () => {
    const { doctor, patient } = await inCall();
    await doctor.engine.startScreenShare();
    expect(doctor.snap.localScreenStream).not.toBeNull();
    await until(
      () => !!patient.snap.remoteScreenStream && patient.snap.remoteSharing,
      'patient sees the screen',
    );
    const camera = patient.snap.remoteStream;
    expect(patient.snap.remoteScreenStream!.getVideoTracks()[0]).not.toBe(
      camera!.getVideoTracks()[0],
    );
    expect(server.eventsOf('screen-share-toggle').at(-1)).toEqual({
      roomId: ROOM,
      isSharing: true,
      userName: 'Dr Who',
    });

    const screenTrack = fakeOf(doctor.snap.localScreenStream!.getVideoTracks()[0])!;
    screenTrack.endFromSource(); // "Stop sharing" in the browser's bar
    expect(doctor.snap.localScreenStream).toBeNull();
    await until(
      () => patient.snap.remoteScreenStream === null && !patient.snap.remoteSharing,
      'screen gone',
    );
    expect(patient.snap.remoteStream).toBe(camera);
    await until(
      () => doctor.pc.signalingState === 'stable' && patient.pc.signalingState === 'stable',
      'stable',
    );
    expect(doctor.pc.fakeTransceivers.filter((t) => !t.stopped)).toHaveLength(2);
  });

  it('ICE failure → reconnecting(ice) → ICE restart → connected', async () => {
    const { doctor, patient } = await inCall();
    doctor.pc.setIceConnectionState('failed');
    patient.pc.setIceConnectionState('failed');
    expect(doctor.state).toMatchObject({ kind: 'reconnecting', cause: 'ice', attempt: 1 });
    // Fresh TURN credentials are fetched first, then the restart goes out.
    await until(() => doctor.pc.restartIceCalls === 1, 'restartIce');
    await until(
      () => doctor.state.kind === 'connected' && patient.state.kind === 'connected',
      'recovered',
    );
    expect(doctor.states.slice(-2)).toEqual(['reconnecting', 'connected']);
  });

  it('reports quality in the snapshot and to the service', async () => {
    const { doctor, patient } = await inCall();
    let bytes = 0;
    patient.pc.statsProvider = () => {
      bytes += 100_000;
      return [
        { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
        { id: 'P', type: 'candidate-pair', currentRoundTripTime: 0.42 },
        {
          id: 'V',
          type: 'inbound-rtp',
          kind: 'video',
          mid: '1',
          bytesReceived: bytes,
          packetsReceived: bytes / 1000,
          packetsLost: 0,
          framesDecoded: bytes / 3000,
          framesPerSecond: 30,
        },
      ];
    };
    clock.advance(2000);
    await settle(5);
    clock.advance(2000);
    await until(() => patient.snap.quality !== null, 'a sample');
    expect(patient.snap.quality).toMatchObject({
      level: 'fair',
      rttMs: 420,
      bitrateKbps: 400,
      packetLoss: 0,
    });
    await until(
      () => server.eventsOf('call-quality', patient.snap.socketId!).length === 1,
      'reported',
    );
    expect(server.eventsOf('call-quality', patient.snap.socketId!)[0]).toEqual({
      roomId: ROOM,
      rttMs: 420,
      packetLoss: 0,
      bitrateKbps: 400,
      iceState: 'connected',
      level: 'fair',
      relay: false,
      iceRestarts: 0,
    });
    // Same level again within 10 s: not re-sent.
    clock.advance(2000);
    await settle(10);
    expect(server.eventsOf('call-quality', patient.snap.socketId!)).toHaveLength(1);
    void doctor;
  });

  it('steps the camera down on a thin link, says so in the indicator, offers audio-only at the floor and recovers', async () => {
    const { patient } = await inCall();
    let bytes = 0;
    let availableBps = 2_000_000;
    patient.pc.statsProvider = () => {
      bytes += 100_000;
      return [
        { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
        {
          id: 'P',
          type: 'candidate-pair',
          currentRoundTripTime: 0.05,
          availableOutgoingBitrate: availableBps,
        },
        {
          id: 'V',
          type: 'inbound-rtp',
          kind: 'video',
          mid: '1',
          bytesReceived: bytes,
          packetsReceived: bytes / 1000,
          packetsLost: 0,
          framesDecoded: bytes / 3000,
          framesPerSecond: 30,
        },
      ];
    };
    const camera = () =>
      patient.pc.getTransceivers().find((t) => t.sender.track?.kind === 'video')!
        .sender as unknown as FakeRtpSender;
    const interval = async () => {
      clock.advance(2000);
      await settle(10);
    };
    await interval();
    await interval();
    expect(patient.snap.quality?.level).toBe('good');
    expect(patient.snap.network).toMatchObject({ step: 'full', suggestAudioOnly: false });

    availableBps = 250_000;
    await interval();
    expect(patient.snap.network).toMatchObject({ step: 'low', availableKbps: 250 });
    // The inbound measures are fine, but the indicator says the link is poor.
    expect(patient.snap.quality?.level).toBe('poor');
    await until(() => camera().encodings[0]?.maxBitrate === VIDEO_STEPS.low.maxBitrate, 'limited');
    expect(camera().encodings[0]?.scaleResolutionDownBy).toBe(
      VIDEO_STEPS.low.scaleResolutionDownBy,
    );

    availableBps = 80_000;
    await interval();
    expect(patient.snap.network).toMatchObject({ step: 'floor', suggestAudioOnly: true });

    // Back to a good link: up one step per three good intervals, to no limit at all.
    availableBps = 3_000_000;
    for (let i = 0; i < 9; i++) await interval();
    expect(patient.snap.network).toMatchObject({ step: 'full', suggestAudioOnly: false });
    expect(patient.snap.quality?.level).toBe('good');
    await until(() => camera().encodings[0]?.scaleResolutionDownBy === 1, 'unlimited');
    expect(camera().encodings[0]?.maxBitrate).toBeUndefined();
  });

  it('leave releases devices, closes the connection and tells the room', async () => {
    const { doctor, patient } = await inCall();
    const pc = patient.pc;
    patient.engine.leave();
    expect(patient.state).toMatchObject({ kind: 'ended', reason: 'left' });
    expect(pc.isClosed).toBe(true);
    expect(patient.devices.live()).toHaveLength(0);
    await until(
      () => doctor.state.kind === 'connected' && doctor.state.peer === null,
      'doctor alone',
    );
    expect(doctor.snap.remoteStream).toBeNull();
    expect(server.eventsOf('leave-call')).toEqual([{ roomId: ROOM, userId: 'pt-1' }]);
    patient.engine.leave(); // idempotent
  });

  it('chat: both sides see each message once', async () => {
    const { doctor, patient } = await inCall();
    await patient.engine.sendChat('  hello doctor  ');
    await until(() => doctor.snap.chat.length === 1 && patient.snap.chat.length === 1, 'delivered');
    expect(doctor.snap.chat[0]).toMatchObject({ message: 'hello doctor', userType: 'patient' });
    await settle();
    expect(patient.snap.chat).toHaveLength(1);
    await expect(patient.engine.sendChat('x'.repeat(2001))).rejects.toMatchObject({
      code: 'bad-request',
    });
  });

  it('holds an offer that arrives while fresh TURN credentials are still being fetched', async () => {
    const { doctor, patient } = await inCall();
    // The credentials are due for renewal (80 % of a 3600 s ttl) and the next fetch is slow.
    clock.advance(2900 * 1000);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const deps = (patient.engine as unknown as { d: { fetch: typeof fetch } }).d;
    const direct = deps.fetch;
    deps.fetch = (u, i) => gate.then(() => direct(u, i));
    // The patient's signaling drops and comes back: it rebuilds its session (waiting on the
    // slow fetch) while the doctor, the member in the room, already sends its offer.
    // (The first offer may have gone with the admit.)
    const before = server.eventsOf('offer').length;
    server.sockets.get(patient.snap.socketId!)!.drop();
    await until(() => server.eventsOf('offer').length > before, 'the doctor offered again');
    await settle(30);
    release();
    await until(() => flowing(doctor) && flowing(patient), 'media both ways again');
    expect(patient.fetches).toHaveLength(2);
    expect([...doctor.problems(), ...patient.problems()]).toEqual([]);
  });

  it('joins without ICE servers when the service cannot provide them', async () => {
    const doctor = party({ userType: 'doctor' });
    doctor.iceResponse = () =>
      Response.json({ error: { code: 'internal', message: 'x' } }, { status: 500 });
    const patient = party({ userType: 'patient' });
    withOwnPcs(doctor);
    withOwnPcs(patient);
    await doctor.engine.join();
    await patient.engine.join();
    await until(() => doctor.snap.waitingRoom.length === 1, 'waiting');
    await doctor.engine.admit(doctor.snap.waitingRoom[0]!.socketId);
    await until(() => flowing(doctor) && flowing(patient), 'media both ways');
    expect(doctor.pc.configuration.iceServers).toEqual([]);
  });

  it('a receive-only patient (devices blocked in the pre-check) still gets the doctor', async () => {
    const doctor = party({ userType: 'doctor' });
    const patient = party({ userType: 'patient', localStream: new FakeMediaStreamCtor() });
    withOwnPcs(doctor);
    withOwnPcs(patient);
    await doctor.engine.join();
    await patient.engine.join();
    expect(patient.devices.requests).toHaveLength(0);
    await until(() => doctor.snap.waitingRoom.length === 1, 'waiting');
    await doctor.engine.admit(doctor.snap.waitingRoom[0]!.socketId);
    await until(() => flowing(doctor) && flowing(patient), 'connected');
    expect(patient.snap.remoteStream?.getVideoTracks()).toHaveLength(1);
    expect(patient.snap.localMedia).toEqual({ audio: false, video: false });
  });

  it('never logs SDP, tokens or names', async () => {
    const { doctor, patient } = await inCall();
    await doctor.engine.startScreenShare();
    await patient.engine.sendChat('secret text');
    await settle(30);
    const text = JSON.stringify([...doctor.logs, ...patient.logs]);
    for (const bad of [
      'token-',
      'Dr Who',
      'Pat Doe',
      'secret text',
      'ufrag',
      '"fake":1',
      'candidate:',
    ])
      expect(text).not.toContain(bad);
  });
});
