// DOM: one visit, from the waiting room through the call. The call engine (packages/shared)
// does the WebRTC; this screen renders its snapshot and forwards the doctor's actions.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BedsideBridge, Meeting, Settings } from '@bedside/shared';
import type {
  CallEndReason,
  CallEngineApi,
  CallEngineOptions,
  CallSnapshot,
  DoctorRecording,
  RecorderSource,
  VisitExtras,
} from '@bedside/shared/call';
import {
  useBindVisitExtras,
  useFileShare,
  useRecordingConsent,
  useVisitExtras,
} from '@bedside/shared/react';
import type { ApiClient } from '../api';
import type { AppContext, OpenVisit, Session } from '../appState';
import { ChatPanel } from '../call/ChatPanel';
import { DeviceSettings } from '../call/DeviceSettings';
import { PeerAudio, voiceElements } from '../call/PeerAudio';
import { PeopleGrid } from '../call/PeopleGrid';
import { QualityIndicator } from '../call/QualityIndicator';
import { StreamVideo } from '../call/StreamVideo';
import { WaitingRoomPanel } from '../call/WaitingRoomPanel';
import {
  type BlurState,
  useAudioLevel,
  useBackgroundBlur,
  useCallSnapshot,
  useMediaDevices,
  useVisitEngine,
} from '../call/engine';
import { useWaitingAlerts } from '../call/useWaitingAlerts';
import { waitingSummary } from '../call/waitingSummary';
import { GuestsPanel } from '../guests/GuestsPanel';
import { useGuests, type GuestsState } from '../guests/useGuests';
import { formatDuration } from '../ui/format';
import { createLogger } from '../logger';
import { apiErrorText } from '../ui/apiError';
import { AppHeader } from '../ui/AppHeader';
import { ErrorText } from '../ui/ErrorText';
import {
  BlurIcon,
  CameraIcon,
  CameraOffIcon,
  ChatIcon,
  MicIcon,
  MicOffIcon,
  PhoneOffIcon,
  ScreenIcon,
  SettingsIcon,
  UserIcon,
} from '../ui/icons';
import { t, useT } from '../i18n/i18n';
import { Modal } from '../ui/Modal';
import { useFocusOnMount } from '../ui/useFocusOnMount';
import { PatientLink } from './PatientLink';
import { FilesPanel } from '../visit/FilesPanel';
import {
  RecordButton,
  RecordingIndicator,
  RecordingNotice,
  useDoctorRecording,
  useRecordingPhase,
} from '../visit/recording';
import { patientLabel } from './AppointmentsScreen';
import { screenShareOptions } from '../capture/screenShare';

const log = createLogger('visit');

export interface VisitSummary {
  meeting: Meeting;
  reason: CallEndReason;
  duration: number | null;
}

export function VisitScreen(props: {
  api: ApiClient;
  bridge: BedsideBridge;
  context: AppContext;
  session: Session;
  visit: OpenVisit;
  onSettings: (patch: Partial<Settings>) => Promise<void>;
  onEnded: (summary: VisitSummary) => void;
  onLeave: () => void;
  onOutdated: () => void;
  onUnauthorized: () => void;
}) {
  const { meeting } = props.visit;
  // Fixed for the visit's lifetime: a refreshed token or a changed preference must not tear
  // down a running call. A refreshed token reaches the live socket through `renewToken`
  // instead (the service ends a socket whose token expires).
  const [options] = useState<CallEngineOptions>(() => ({
    serverUrl: props.api.serverUrl,
    token: props.session.token,
    roomId: meeting.roomId,
    userId: props.session.user.id,
    userType: 'doctor',
    userName: props.session.user.displayName,
    client: 'desktop',
    clientVersion: props.context.info.version,
    cameraId: props.context.settings.preferredCameraId,
    microphoneId: props.context.settings.preferredMicrophoneId,
  }));
  // Joins on creation; a failed join shows up in the snapshot (`ended` with an error).
  // Files and recording consent ride beside the call (visit/), hooked into each peer connection.
  const visitExtras = useVisitExtras(options);
  const engine = useVisitEngine(visitExtras.options);
  const extras = visitExtras.extras;
  useBindVisitExtras(extras, engine);
  const snap = useCallSnapshot(engine);
  // One blur for the visit: chosen in the lobby, kept into the call.
  const [blurWanted, setBlurWanted] = useState(false);
  const blurred = useBackgroundBlur({
    enabled: blurWanted,
    camera: snap?.localStream?.getVideoTracks()[0] ?? null,
    assetBase: __BEDSIDE_MEDIAPIPE_BASE__,
    onGaveUp: () => setBlurWanted(false),
    engine,
  });
  const blur: BlurControl = {
    state: blurred.state,
    on: blurWanted,
    selfView: blurred.preview ?? snap?.localStream ?? null,
    toggle: () => setBlurWanted((w) => !w),
  };
  const guests = useGuests(props.api, meeting.roomId, props.onUnauthorized);
  const snapRef = useRef(snap);
  useEffect(() => {
    snapRef.current = snap;
  });
  const recordingName = useState(
    () =>
      `Visit ${meeting.appointmentId} ${new Date().toISOString().slice(0, 16).replace(':', '-')}.webm`,
  )[0].replace(/[^\w .-]/g, '_');
  const recording = useDoctorRecording(extras, props.bridge, recordingName, () =>
    recorderSources(snapRef.current, props.session.user.displayName),
  );
  const token = props.session.token;
  useEffect(() => {
    engine?.renewToken(token);
  }, [engine, token]);
  const [announcement, setAnnouncement] = useState('');
  useWaitingAlerts(snap?.waitingRoom ?? EMPTY, props.bridge, setAnnouncement);

  const state = snap?.state;
  const inCall = state?.kind === 'connected' && state.peer !== null;
  // Once the patient has been in the call, the lobby (patient dropped, may rejoin) offers
  // "End visit" too.
  const [hadPeer, setHadPeer] = useState(meeting.status === 'active');
  if (inCall && !hadPeer) setHadPeer(true);

  // Joining failed before any call: explain here rather than show a summary of nothing.
  const joinFailed = state?.kind === 'ended' && state.error !== undefined && !hadPeer;
  useVisitEnd(snap, props, joinFailed);

  if (joinFailed && state?.kind === 'ended' && state.error)
    return (
      <>
        <AppHeader user={props.session.user} />
        <JoinFailed message={apiErrorText(t, 'visit.join', state.error)} onBack={props.onLeave} />
      </>
    );
  if (!engine || !snap)
    return (
      <>
        <AppHeader user={props.session.user} />
        <Connecting onBack={props.onLeave} />
      </>
    );
  return (
    <>
      <div className="sr-only" role="status" aria-live="assertive">
        {announcement}
      </div>
      {inCall ? (
        <CallView
          {...props}
          engine={engine}
          snap={snap}
          blur={blur}
          guests={guests}
          extras={extras}
          recording={recording}
        />
      ) : (
        <>
          <AppHeader user={props.session.user} />
          <Lobby
            {...props}
            engine={engine}
            snap={snap}
            blur={blur}
            guests={guests}
            canEnd={hadPeer}
          />
        </>
      )}
    </>
  );
}

const EMPTY: readonly never[] = [];

/** What the recording shows: the doctor, then everyone else's camera and shared screen. */
function recorderSources(snap: CallSnapshot | null, doctorName: string): RecorderSource[] {
  if (!snap) return [];
  const out: RecorderSource[] = [];
  if (snap.localStream) out.push({ id: 'local', stream: snap.localStream, label: doctorName });
  for (const p of snap.peers) {
    const id = p.user.socketId;
    if (p.stream) out.push({ id, stream: p.stream, label: p.user.userName });
    if (p.screenStream)
      out.push({ id: `${id}-screen`, stream: p.screenStream, label: t('visit.sharedScreen') });
  }
  return out;
}

/** Leaves the screen once the call ends: summary, or the outdated / signed-out screens. */
function useVisitEnd(
  snap: CallSnapshot | null,
  props: Pick<
    Parameters<typeof VisitScreen>[0],
    'api' | 'visit' | 'onEnded' | 'onOutdated' | 'onUnauthorized' | 'onLeave'
  >,
  joinFailed: boolean,
) {
  const handled = useRef(false);
  const state = snap?.state;
  const propsRef = useRef(props);
  useEffect(() => {
    propsRef.current = props;
  });
  useEffect(() => {
    if (state?.kind !== 'ended' || handled.current) return;
    handled.current = true;
    const p = propsRef.current;
    const code = state.error?.code;
    if (code === 'client-outdated') return p.onOutdated();
    if (code === 'unauthorized') return p.onUnauthorized();
    if (joinFailed) return;
    void (async () => {
      let meeting = p.visit.meeting;
      let duration = state.duration ?? null;
      try {
        // The service stamps endTime and duration; read them back when the event had none.
        meeting = await p.api.getMeeting(meeting.roomId);
        duration ??= meeting.duration;
      } catch (error) {
        log.warn('meeting-refetch-failed', { error });
      }
      p.onEnded({ meeting, reason: state.reason, duration });
    })();
  }, [state, joinFailed]);
}

function JoinFailed({ message, onBack }: { message: string; onBack: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="page narrow">
      <section className="card summary">
        <h1 ref={heading} tabIndex={-1}>
          {t('visit.openFailed')}
        </h1>
        <p role="alert">{message}</p>
        <button type="button" className="btn btn-primary" onClick={onBack}>
          {t('visit.back')}
        </button>
      </section>
    </main>
  );
}

function Connecting({ onBack }: { onBack: () => void }) {
  return (
    <main className="page narrow">
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> {t('visit.connectingTo')}
      </p>
      <button type="button" className="btn" onClick={onBack}>
        {t('visit.back')}
      </button>
    </main>
  );
}

interface BlurControl {
  state: BlurState;
  on: boolean;
  /** The self-view: the blurred picture while blur is on. */
  selfView: MediaStream | null;
  toggle: () => void;
}

type EngineProps = Parameters<typeof VisitScreen>[0] & {
  engine: CallEngineApi;
  snap: CallSnapshot;
  blur: BlurControl;
  guests: GuestsState;
};

/** The appointment's time as the links' e-mails state it. */
const appointmentWhen = (meeting: Meeting) =>
  new Date(meeting.scheduledTime).toLocaleString(undefined, {
    dateStyle: 'full',
    timeStyle: 'short',
  });

function useAdmit(engine: CallEngineApi) {
  const [admitting, setAdmitting] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const admit = useCallback(
    async (socketId: string) => {
      setAdmitting(socketId);
      setError(null);
      try {
        await engine.admit(socketId);
      } catch (err) {
        log.warn('admit-failed', { error: err });
        setError(t('visit.error.admit'));
      } finally {
        setAdmitting(null);
      }
    },
    [engine],
  );
  return { admitting, error, admit };
}

function useDevices(props: EngineProps, mediaElements: () => HTMLMediaElement[]) {
  const { engine, onSettings } = props;
  const devices = useMediaDevices();
  const [error, setError] = useState<string | null>(null);
  const run = (what: string, action: Promise<void>, patch: Partial<Settings>) => {
    setError(null);
    action.then(
      () => void onSettings(patch),
      (err: unknown) => {
        log.warn('device-switch-failed', { what, error: err });
        setError(t('visit.error.switch', { device: what }));
      },
    );
  };
  return {
    devices,
    error,
    onCamera: (id: string) => run('camera', engine.switchCamera(id), { preferredCameraId: id }),
    onMicrophone: (id: string) =>
      run('microphone', engine.switchMicrophone(id), { preferredMicrophoneId: id }),
    onSpeaker: (id: string) =>
      run('speaker', engine.setSpeaker(id, mediaElements()), { preferredSpeakerId: id }),
  };
}

/** Before the patient is admitted: self-view, device check, waiting room, patient link. */
function Lobby(props: EngineProps & { canEnd: boolean }) {
  const { engine, snap, visit } = props;
  const [confirmEnd, setConfirmEnd] = useState(false);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const { admitting, error, admit } = useAdmit(engine);
  const dev = useDevices(props, () => []);
  const micLevel = useAudioLevel(snap.localStream);
  const state = snap.state;

  return (
    <main className="page visit-lobby">
      <div className="page-title">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {t('visit.title', { patient: patientLabel(visit.meeting) })}
          </h1>
          <p className="muted">
            {t('visit.appointmentLine', {
              id: visit.meeting.appointmentId,
              state:
                state.kind === 'joining' || state.kind === 'idle'
                  ? t('visit.connecting')
                  : state.kind === 'reconnecting'
                    ? t('visit.reconnecting')
                    : t('visit.inRoom'),
            })}
          </p>
        </div>
        <div className="row">
          <button
            type="button"
            className="btn"
            onClick={() => {
              engine.leave();
              props.onLeave();
            }}
          >
            {t('visit.back')}
          </button>
          {props.canEnd && (
            <button type="button" className="btn btn-danger" onClick={() => setConfirmEnd(true)}>
              {t('visit.end.confirm')}
            </button>
          )}
        </div>
      </div>
      {confirmEnd && (
        <ConfirmEnd
          peerName={patientLabel(visit.meeting)}
          engine={engine}
          onClose={() => setConfirmEnd(false)}
        />
      )}
      <div className="columns">
        <section className="card preview-card" aria-labelledby="preview-title">
          <h2 id="preview-title">{t('visit.yourCamera')}</h2>
          <div className="preview">
            <StreamVideo
              stream={props.blur.selfView}
              self
              label={t('visit.yourCamera')}
              className="preview-video"
            />
            {!snap.localMedia.video && <div className="video-off">{t('tile.cameraOff')}</div>}
          </div>
          <div className="row toggles">
            <MediaToggles engine={engine} snap={snap} blur={props.blur} />
          </div>
          <BlurNotice state={props.blur.state} />
          <DeviceSettings
            devices={dev.devices}
            cameraId={snap.devices.cameraId}
            microphoneId={snap.devices.microphoneId}
            speakerId={snap.devices.speakerId ?? props.context.settings.preferredSpeakerId}
            micLevel={micLevel}
            onCamera={dev.onCamera}
            onMicrophone={dev.onMicrophone}
            onSpeaker={dev.onSpeaker}
          />
          <ErrorText message={dev.error} />
        </section>
        <aside className="side">
          <div className="card">
            <WaitingRoomPanel
              waiting={snap.waitingRoom}
              admitting={admitting}
              onAdmit={(id) => void admit(id)}
              onRemoveGuest={(guestId) => void props.guests.remove(guestId)}
              removing={props.guests.busy.kind === 'removing' ? props.guests.busy.guestId : null}
            />
            <ErrorText message={error} />
          </div>
          {visit.patientJoinUrl && (
            <div className="card">
              <PatientLink
                bridge={props.bridge}
                link={visit.patientJoinUrl}
                patientLabel={patientLabel(visit.meeting)}
                when={appointmentWhen(visit.meeting)}
              />
            </div>
          )}
          <div className="card">
            <GuestsPanel
              state={props.guests}
              bridge={props.bridge}
              when={appointmentWhen(visit.meeting)}
            />
          </div>
        </aside>
      </div>
    </main>
  );
}

function blurText(state: BlurState): string {
  switch (state.kind) {
    case 'off':
      return '';
    case 'starting':
      return t('blur.starting');
    case 'on':
      return t('blur.on');
    case 'too-slow':
      return t('blur.tooSlow', { fps: Math.round(state.fps ?? 0), minFps: state.minFps });
    case 'failed':
      return t('blur.failed');
    case 'unsupported':
      return t('blur.unsupported');
  }
}

const blurGaveUp = (state: BlurState) =>
  state.kind === 'too-slow' || state.kind === 'failed' || state.kind === 'unsupported';

/** What blur is doing; an alert when it turned itself off. */
function BlurNotice({ state }: { state: BlurState }) {
  const gaveUp = blurGaveUp(state);
  return (
    <p
      className={gaveUp ? 'blur-status error-text' : 'blur-status muted small'}
      role={gaveUp ? 'alert' : 'status'}
      data-testid="blur-status"
      data-blur={state.kind}
    >
      {blurText(state)}
    </p>
  );
}

function MediaToggles({
  engine,
  snap,
  blur,
}: {
  engine: CallEngineApi;
  snap: CallSnapshot;
  blur: BlurControl;
}) {
  const micOn = snap.localMedia.audio;
  const camOn = snap.localMedia.video;
  return (
    <>
      <button
        type="button"
        className={micOn ? 'ctrl' : 'ctrl ctrl-off'}
        onClick={() => engine.setMicrophoneEnabled(!micOn)}
        aria-pressed={!micOn}
      >
        {micOn ? <MicIcon /> : <MicOffIcon />}
        <span>{micOn ? t('visit.mute') : t('visit.unmute')}</span>
      </button>
      <button
        type="button"
        className={camOn ? 'ctrl' : 'ctrl ctrl-off'}
        onClick={() => engine.setCameraEnabled(!camOn)}
        aria-pressed={!camOn}
      >
        {camOn ? <CameraIcon /> : <CameraOffIcon />}
        <span>{camOn ? t('visit.cameraOff') : t('visit.cameraOn')}</span>
      </button>
      {camOn && (
        <button
          type="button"
          className={blur.on ? 'ctrl ctrl-active' : 'ctrl'}
          onClick={blur.toggle}
          aria-pressed={blur.on}
          data-blur={blur.state.kind}
        >
          <BlurIcon />
          <span>{t('blur.toggle')}</span>
        </button>
      )}
    </>
  );
}

/** Video held down by the network (adaptation.ts); below the floor, audio-only is offered. */
function NetworkNotice({ engine, snap }: { engine: CallEngineApi; snap: CallSnapshot }) {
  const net = snap.network;
  if (!net || net.step === 'full' || snap.audioOnly) return null;
  return (
    <span className="pill pill-warn" role="status" data-testid="network-notice">
      {net.suggestAudioOnly ? t('network.tooWeak') : t('network.reduced')}
      {net.suggestAudioOnly && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void engine.setAudioOnly(true).catch(() => {})}
        >
          {t('network.audioOnly')}
        </button>
      )}
    </span>
  );
}

/** The call: the patient large, the doctor small, controls, chat. */
function CallView(
  props: EngineProps & { extras: VisitExtras | null; recording: DoctorRecording | null },
) {
  const { engine, snap, visit, extras, recording } = props;
  const t = useT();
  const files = useFileShare(extras);
  const consent = useRecordingConsent(extras);
  const phase = useRecordingPhase(recording);
  const [filesOpen, setFilesOpen] = useState(false);
  const incomingFiles = files.transfers.filter((x) => x.status === 'incoming').length;
  if (incomingFiles > 0 && !filesOpen) setFilesOpen(true);
  // Streams change as people share, switch cameras or reconnect: the recording follows.
  useEffect(() => {
    recording?.refreshSources();
  }, [recording, snap.localStream, snap.peers]);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const voices = useRef<HTMLDivElement>(null);
  const [chatOpen, setChatOpen] = useState(true);
  const [devicesOpen, setDevicesOpen] = useState(false);
  const [peopleOpen, setPeopleOpen] = useState(false);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [shareError, setShareError] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const seenChat = useRef(snap.chat.length);
  const { admitting, admit } = useAdmit(engine);
  const dev = useDevices(props, () => voiceElements(voices));
  const micLevel = useAudioLevel(snap.localStream);
  const speakerId = snap.devices.speakerId ?? props.context.settings.preferredSpeakerId;

  const state = snap.state;
  const since = state.kind === 'connected' ? state.since : null;
  const elapsed = useElapsed(since);

  useEffect(() => {
    const added = snap.chat.length - seenChat.current;
    seenChat.current = snap.chat.length;
    if (!chatOpen && added > 0) setUnread((u) => u + added);
  }, [snap.chat.length, chatOpen]);

  const sharing = snap.localScreenStream !== null;
  const toggleShare = async () => {
    setShareError(null);
    if (sharing) return engine.stopScreenShare();
    try {
      await engine.startScreenShare(screenShareOptions(props.context.info.platform));
    } catch (err) {
      // Cancelling the picker is a choice, not an error.
      const name = err instanceof Error ? err.name : '';
      const code = (err as { code?: string } | null)?.code;
      if (name !== 'NotAllowedError' && name !== 'AbortError' && code !== 'media-denied') {
        log.warn('screen-share-failed', { error: err });
        setShareError(t('share.failed'));
      }
    }
  };

  const peerName =
    state.kind === 'connected' && state.peer ? state.peer.userName : patientLabel(visit.meeting);
  const remoteMedia = snap.remoteMedia ?? { audio: true, video: true };
  const showScreen = snap.remoteScreenStream !== null;
  // An interpreter, a family member or a second clinician: a tile per person.
  const grid = snap.peers.length >= 2;

  return (
    <div className="call">
      <PeerAudio peers={snap.peers} engine={engine} speakerId={speakerId} box={voices} />
      <header className="call-bar">
        <h1 ref={heading} tabIndex={-1} className="call-title">
          {peerName}
        </h1>
        <span
          className="muted-on-dark"
          aria-label={t('visit.callTime', { duration: formatDuration(elapsed) })}
        >
          {formatClock(elapsed)}
        </span>
        <QualityIndicator quality={snap.quality} />
        <RecordingIndicator consent={consent} />
        {state.kind === 'reconnecting' && (
          <span className="pill pill-warn" role="status">
            {t('visit.reconnecting')}
          </span>
        )}
        <NetworkNotice engine={engine} snap={snap} />
        {sharing && (
          <span className="pill pill-share" role="status">
            <ScreenIcon size={16} /> {t('share.youAreSharing')}
          </span>
        )}
        <span className="spacer" />
        {snap.waitingRoom.length > 0 && (
          <WaitingBadge
            count={snap.waitingRoom.length}
            text={waitingSummary(snap.waitingRoom)}
            name={snap.waitingRoom[0]!.userName}
            admitting={admitting !== null}
            onAdmit={() => void admit(snap.waitingRoom[0]!.socketId)}
          />
        )}
      </header>
      <div className="call-body">
        <div className="stage">
          {grid && <PeopleGrid snap={snap} />}
          {!grid && (
            <div className="remote">
              {showScreen ? (
                <StreamVideo
                  stream={snap.remoteScreenStream}
                  label={t('tile.sharedScreen', { name: peerName })}
                  className="remote-video contain"
                  testId="remote-screen"
                />
              ) : null}
              <StreamVideo
                stream={snap.remoteStream}
                label={t('visit.peerCamera', { name: peerName })}
                className={showScreen ? 'remote-video corner' : 'remote-video'}
                testId="remote-video"
              />
              {!remoteMedia.video && !showScreen && (
                <div className="video-off big">
                  <CameraOffIcon size={40} />
                  <span>{t('visit.peerCameraOff', { name: peerName })}</span>
                </div>
              )}
              <div className="peer-flags">
                {!remoteMedia.audio && (
                  <span className="pill pill-dark">
                    <MicOffIcon size={16} /> {t('visit.peerMicOff', { name: peerName })}
                  </span>
                )}
                {!remoteMedia.video && showScreen && (
                  <span className="pill pill-dark">
                    <CameraOffIcon size={16} /> {t('visit.peerCameraOff', { name: peerName })}
                  </span>
                )}
                {snap.remoteSharing && (
                  <span className="pill pill-dark">
                    <ScreenIcon size={16} /> {t('tile.sharing', { name: peerName })}
                  </span>
                )}
              </div>
            </div>
          )}
          <div className="self">
            <StreamVideo
              stream={props.blur.selfView}
              self
              label={t('visit.yourCamera')}
              className="self-video"
            />
            {!snap.localMedia.video && <div className="video-off">{t('tile.cameraOff')}</div>}
          </div>
        </div>
        {filesOpen && extras && <FilesPanel extras={extras} files={files} bridge={props.bridge} />}
        {chatOpen && (
          <ChatPanel
            messages={snap.chat}
            ownSocketId={snap.socketId}
            onSend={(text) => engine.sendChat(text)}
            disabled={state.kind !== 'connected'}
          />
        )}
      </div>
      {blurGaveUp(props.blur.state) && <BlurNotice state={props.blur.state} />}
      <nav className="controls" aria-label={t('visit.controls')}>
        <MediaToggles engine={engine} snap={snap} blur={props.blur} />
        <button
          type="button"
          className={sharing ? 'ctrl ctrl-active' : 'ctrl'}
          onClick={() => void toggleShare()}
          aria-pressed={sharing}
        >
          <ScreenIcon />
          <span>{sharing ? t('share.stop') : t('share.start')}</span>
        </button>
        <button
          type="button"
          className="ctrl"
          onClick={() => {
            setChatOpen((o) => !o);
            setUnread(0);
          }}
          aria-pressed={chatOpen}
          aria-label={
            chatOpen
              ? t('visit.hideChat')
              : unread > 0
                ? t('visit.showChatNew', { count: unread })
                : t('visit.showChat')
          }
        >
          <ChatIcon />
          <span>{t('chat.title')}</span>
          {unread > 0 && <span className="count-badge">{unread}</span>}
        </button>
        {extras && (
          <button
            type="button"
            className={filesOpen ? 'ctrl ctrl-active' : 'ctrl'}
            onClick={() => setFilesOpen((o) => !o)}
            aria-pressed={filesOpen}
          >
            <span aria-hidden="true">📎</span>
            <span>{t('files.title')}</span>
          </button>
        )}
        <RecordButton rec={recording} phase={phase} />
        <button type="button" className="ctrl" onClick={() => setDevicesOpen(true)}>
          <SettingsIcon />
          <span>{t('visit.devices')}</span>
        </button>
        <button type="button" className="ctrl" onClick={() => setPeopleOpen(true)}>
          <UserIcon />
          <span>{t('guests.people')}</span>
        </button>
        <button type="button" className="ctrl ctrl-end" onClick={() => setConfirmEnd(true)}>
          <PhoneOffIcon />
          <span>{t('visit.end.confirm')}</span>
        </button>
      </nav>
      <RecordingNotice phase={phase} />
      {shareError && (
        <p className="error-text call-error" role="alert">
          {shareError}
        </p>
      )}
      {devicesOpen && (
        <Modal labelledBy="devices-title" onCancel={() => setDevicesOpen(false)}>
          <h2 id="devices-title">{t('visit.devicesTitle')}</h2>
          <DeviceSettings
            devices={dev.devices}
            cameraId={snap.devices.cameraId}
            microphoneId={snap.devices.microphoneId}
            speakerId={speakerId}
            micLevel={micLevel}
            onCamera={dev.onCamera}
            onMicrophone={dev.onMicrophone}
            onSpeaker={dev.onSpeaker}
          />
          <ErrorText message={dev.error} />
          <div className="dialog-actions">
            <span className="spacer" />
            <button type="button" className="btn btn-primary" onClick={() => setDevicesOpen(false)}>
              {t('visit.done')}
            </button>
          </div>
        </Modal>
      )}
      {peopleOpen && (
        <Modal labelledBy="guests-title" onCancel={() => setPeopleOpen(false)}>
          <GuestsPanel
            state={props.guests}
            bridge={props.bridge}
            when={appointmentWhen(visit.meeting)}
            inDialog
          />
          <div className="dialog-actions">
            <span className="spacer" />
            <button type="button" className="btn btn-primary" onClick={() => setPeopleOpen(false)}>
              {t('guests.close')}
            </button>
          </div>
        </Modal>
      )}
      {confirmEnd && (
        <ConfirmEnd peerName={peerName} engine={engine} onClose={() => setConfirmEnd(false)} />
      )}
    </div>
  );
}

function ConfirmEnd(props: { peerName: string; engine: CallEngineApi; onClose: () => void }) {
  return (
    <Modal labelledBy="end-title" onCancel={props.onClose}>
      <h2 id="end-title">{t('visit.end.title')}</h2>
      <p>{t('visit.end.body', { name: props.peerName })}</p>
      <div className="dialog-actions">
        <span className="spacer" />
        <button type="button" className="btn" onClick={props.onClose}>
          {t('visit.end.keep')}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => {
            props.onClose();
            void props.engine.endCall().catch((err: unknown) => {
              log.warn('end-call-failed', { error: err });
              props.engine.leave();
            });
          }}
        >
          {t('visit.end.confirm')}
        </button>
      </div>
    </Modal>
  );
}

function WaitingBadge(props: {
  count: number;
  /** Who waits: the one person's name and part, or a count per part. */
  text: string;
  name: string;
  admitting: boolean;
  onAdmit: () => void;
}) {
  return (
    <span className="waiting-badge" role="status">
      <span className="count-badge" data-testid="waiting-count">
        {props.count}
      </span>
      <span data-testid="waiting-who">{props.text}</span>
      <button
        type="button"
        className="btn btn-small"
        onClick={props.onAdmit}
        disabled={props.admitting}
        aria-label={t('waitingRoom.admitNamed', { name: props.name })}
      >
        {t('waitingRoom.admit')}
      </button>
    </span>
  );
}

function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [since]);
  return since === null ? 0 : Math.max(0, (now - since) / 1000);
}

/** "04:05", "1:02:03" */
function formatClock(seconds: number): string {
  const s = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}
