// DOM: the visit itself. The doctor large, the patient small in a corner; the doctor's shared
// screen takes the stage when on, and their camera moves to a second corner. Each video keeps
// its element across layout changes (no remount), so sound never drops when the layout moves.
// With an interpreter, a family member or a second clinician (3 or 4 people) the stage is a
// grid of tiles instead (PeopleGrid).
import type { CallEngineApi, CallSnapshot, VisitExtras } from '@bedside/shared/call';
import type { BlurState } from '@bedside/shared/react';
import { useFileShare, useRecordingConsent } from '@bedside/shared/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n.ts';
import { blurGaveUp, BlurStatusText } from '../ui/BlurStatus.tsx';
import { BlurIcon, CameraIcon, ChatIcon, LeaveIcon, MicIcon, SwitchIcon } from '../ui/icons.tsx';
import { unmuteFromTap } from '../ui/autoplay.ts';
import { VideoView } from '../ui/VideoView.tsx';
import { selfViewAspect } from '../ui/videoFit.ts';
import { ChatDrawer } from './ChatDrawer.tsx';
import { PeopleGrid } from './PeopleGrid.tsx';
import { QualityChip } from './QualityChip.tsx';
import { networkNotice } from './networkNotice.ts';
import { FilesDrawer } from '../visit/FilesDrawer.tsx';
import { RecordingConsentPrompt, RecordingIndicator } from '../visit/RecordingConsent.tsx';

interface Props {
  snapshot: CallSnapshot;
  engine: CallEngineApi;
  extras: VisitExtras | null;
  doctorPresent: boolean;
  reconnecting: boolean;
  cameraCount: number;
  speakerId: string | null;
  blur: {
    state: BlurState;
    on: boolean;
    /** The self-view: the blurred picture while blur is on. */
    selfView: MediaStream | null;
    toggle: () => void;
  };
  onLeave: () => void;
  announce: (text: string) => void;
}

export function InCallScreen({
  snapshot,
  engine,
  extras,
  doctorPresent,
  reconnecting,
  cameraCount,
  speakerId,
  blur,
  onLeave,
  announce,
}: Props) {
  const t = useT();
  const [chatOpen, setChatOpen] = useState(false);
  const [filesOpen, setFilesOpen] = useState(false);
  const files = useFileShare(extras);
  const consent = useRecordingConsent(extras);
  const pendingFiles = files.transfers.filter((x) => x.status === 'incoming').length;
  // An incoming file opens the drawer so the offer is seen.
  const [seenOffers, setSeenOffers] = useState(0);
  if (pendingFiles > seenOffers) {
    setSeenOffers(pendingFiles);
    if (!filesOpen) setFilesOpen(true);
  } else if (pendingFiles < seenOffers) setSeenOffers(pendingFiles);
  const [seen, setSeen] = useState(snapshot.chat.length);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const stageRef = useRef<HTMLElement | null>(null);
  const remoteVideos = () => [
    ...(stageRef.current?.querySelectorAll<HTMLVideoElement>('video[data-remote]') ?? []),
  ];
  const headingRef = useRef<HTMLHeadingElement | null>(null);

  const { localMedia, remoteMedia, chat, socketId } = snapshot;
  const sharing = snapshot.remoteSharing && snapshot.remoteScreenStream !== null;
  const doctorName = snapshot.state.kind === 'connected' ? snapshot.state.peer?.userName : null;
  const unread = chatOpen ? 0 : chat.slice(seen).filter((m) => m.socketId !== socketId).length;

  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  useEffect(() => {
    document.title = t('call.documentTitle');
  }, [t]);

  // Messages from the doctor are read out even with the drawer closed.
  const lastAnnounced = useRef(chat.length);
  useEffect(() => {
    const fresh = chat.slice(lastAnnounced.current).filter((m) => m.socketId !== socketId);
    lastAnnounced.current = chat.length;
    if (chatOpen) return;
    const last = fresh.at(-1);
    if (last) announce(t('announce.message', { name: last.userName, message: last.message }));
  }, [chat, chatOpen, socketId, announce, t]);

  useEffect(() => {
    if (!speakerId) return;
    const els = [
      ...(stageRef.current?.querySelectorAll<HTMLVideoElement>('video[data-remote]') ?? []),
    ];
    void engine.setSpeaker(speakerId, els).catch(() => {
      // Unsupported (Safari, Firefox without the pref): sound stays on the default output.
    });
  }, [engine, speakerId, snapshot.remoteStream, snapshot.remoteScreenStream]);

  const onPlayBlocked = useCallback(() => setSoundBlocked(true), []);
  // The self-view's box takes the camera's shape, so a phone turned sideways shows a wide box.
  const [selfAspect, setSelfAspect] = useState<string | undefined>(undefined);
  const onSelfSize = useCallback(
    (size: { width: number; height: number }) => setSelfAspect(selfViewAspect(size)),
    [],
  );
  // Runs inside the tap: unmuteFromTap calls play() before any await, as Safari requires.
  const resumeSound = () => {
    void unmuteFromTap(remoteVideos()).then((ok) => setSoundBlocked(!ok));
  };

  const grid = snapshot.peers.length >= 2;
  const cameraClass = sharing ? 'pip pip-second' : 'stage-fill';
  const doctorLabel = doctorName
    ? t('call.namedVideo', { name: doctorName })
    : t('call.doctorVideo');

  return (
    <main className="call" aria-labelledby="call-title">
      <h1 id="call-title" className="visually-hidden" tabIndex={-1} ref={headingRef}>
        {t('call.title')}
      </h1>
      <section className="stage" aria-label={t('call.videos')} ref={stageRef}>
        {grid && (
          <PeopleGrid snapshot={snapshot} selfView={blur.selfView} onPlayBlocked={onPlayBlocked} />
        )}
        {!grid && sharing && (
          <VideoView
            stream={snapshot.remoteScreenStream}
            label={t('call.sharedScreen')}
            className="stage-main contain"
            onPlayBlocked={onPlayBlocked}
          />
        )}
        {!grid && (
          <>
            {/* Same element whether on stage or in the corner: it plays the doctor's voice. */}
            <div className={cameraClass === 'stage-fill' ? 'stage-fill-wrap' : cameraClass}>
              <VideoView
                stream={snapshot.remoteStream}
                label={doctorLabel}
                className="stage-main"
                onPlayBlocked={onPlayBlocked}
                autoFit
              />
              {sharing && <span className="pip-label">{doctorName ?? t('call.doctor')}</span>}
            </div>
            {!doctorPresent && (
              <div className="stage-empty" role="status">
                <p>{t('call.away')}</p>
              </div>
            )}
            {doctorPresent && !snapshot.remoteStream && (
              <div className="stage-empty" role="status">
                <p>{t('call.connectingVideo')}</p>
              </div>
            )}
            {doctorPresent &&
              snapshot.remoteStream &&
              remoteMedia &&
              !remoteMedia.video &&
              !sharing && (
                <div className="stage-empty">
                  <p>{t('call.cameraOff')}</p>
                </div>
              )}
            <div className="pip" style={selfAspect ? { aspectRatio: selfAspect } : undefined}>
              <VideoView
                stream={blur.selfView}
                label={t('video.yourCamera')}
                self
                onVideoSize={onSelfSize}
              />
              {!localMedia.video && <span className="pip-label">{t('call.yourCameraOff')}</span>}
            </div>
          </>
        )}
        <div className="topbar">
          {doctorPresent && doctorName && (
            <span className="chip">{t('call.with', { name: doctorName })}</span>
          )}
          <RecordingIndicator consent={consent} />
          <QualityChip level={snapshot.quality?.level ?? null} />
          {doctorPresent && remoteMedia && !remoteMedia.audio && (
            <span className="chip" data-testid="doctor-muted">
              {t('call.doctorMuted')}
            </span>
          )}
          {doctorPresent && remoteMedia && !remoteMedia.video && (
            <span className="chip" data-testid="doctor-camera-off">
              {t('call.doctorCameraOff')}
            </span>
          )}
          {sharing && <span className="chip">{t('call.sharing')}</span>}
        </div>
        <NetworkNotice engine={engine} snapshot={snapshot} />
        {reconnecting && (
          <div className="banner" role="status">
            {t('waiting.reconnecting')}
          </div>
        )}
        {blurGaveUp(blur.state) && (
          <div className="banner">
            <BlurStatusText t={t} state={blur.state} />
          </div>
        )}
        {extras && <RecordingConsentPrompt extras={extras} consent={consent} announce={announce} />}
        {soundBlocked && (
          <button
            type="button"
            className="btn banner-btn"
            data-testid="tap-for-sound"
            onClick={resumeSound}
          >
            {t('call.tapForSound')}
          </button>
        )}
      </section>

      <nav className="controls" aria-label={t('call.controls')}>
        <button
          type="button"
          className={localMedia.audio ? 'ctl' : 'ctl off'}
          aria-label={localMedia.audio ? t('call.mute') : t('call.unmute')}
          onClick={() => engine.setMicrophoneEnabled(!localMedia.audio)}
        >
          <MicIcon off={!localMedia.audio} />
          <span aria-hidden="true">
            {localMedia.audio ? t('call.muteShort') : t('call.unmuteShort')}
          </span>
        </button>
        <button
          type="button"
          className={localMedia.video ? 'ctl' : 'ctl off'}
          aria-label={localMedia.video ? t('call.cameraTurnOff') : t('call.cameraTurnOn')}
          onClick={() => engine.setCameraEnabled(!localMedia.video)}
        >
          <CameraIcon off={!localMedia.video} />
          <span aria-hidden="true">
            {localMedia.video ? t('call.cameraOffShort') : t('call.cameraOnShort')}
          </span>
        </button>
        {localMedia.video && (
          <button
            type="button"
            className="ctl"
            aria-label={t('blur.label')}
            aria-pressed={blur.on}
            data-blur={blur.state.kind}
            onClick={blur.toggle}
          >
            <BlurIcon />
            <span aria-hidden="true">{t('blur.short')}</span>
          </button>
        )}
        {cameraCount > 1 && (
          <button
            type="button"
            className="ctl"
            aria-label={t('call.switchCamera')}
            onClick={() =>
              void engine.switchCamera().catch(() => announce(t('announce.switchFailed')))
            }
          >
            <SwitchIcon />
            <span aria-hidden="true">{t('call.switchShort')}</span>
          </button>
        )}
        <button
          type="button"
          className="ctl"
          aria-label={t('call.openChat', { unread })}
          aria-expanded={chatOpen}
          onClick={() => {
            setSeen(chat.length);
            setChatOpen((o) => !o);
          }}
        >
          <ChatIcon />
          <span aria-hidden="true">{t('call.chatShort')}</span>
          {unread > 0 && (
            <span className="badge" aria-hidden="true">
              {unread}
            </span>
          )}
        </button>
        {extras && (
          <button
            type="button"
            className="ctl"
            aria-label={t('files.open')}
            aria-expanded={filesOpen}
            onClick={() => {
              setChatOpen(false);
              setFilesOpen((o) => !o);
            }}
          >
            <span aria-hidden="true">📎</span>
            <span aria-hidden="true">{t('files.open')}</span>
          </button>
        )}
        <button type="button" className="ctl leave" aria-label={t('call.leave')} onClick={onLeave}>
          <LeaveIcon />
          <span aria-hidden="true">{t('call.leaveShort')}</span>
        </button>
      </nav>

      {filesOpen && extras && (
        <FilesDrawer extras={extras} files={files} onClose={() => setFilesOpen(false)} />
      )}
      {chatOpen && (
        <ChatDrawer
          messages={chat}
          ownSocketId={socketId}
          onSend={(text) => engine.sendChat(text)}
          onClose={() => {
            setSeen(chat.length);
            setChatOpen(false);
          }}
        />
      )}
    </main>
  );
}

/** Video held down by the network; below the floor, audio-only is offered (the patient decides). */
function NetworkNotice({ engine, snapshot }: { engine: CallEngineApi; snapshot: CallSnapshot }) {
  const t = useT();
  const notice = networkNotice(snapshot);
  if (notice === 'none') return null;
  return (
    <div className="banner" role="status" data-testid="network-notice" data-notice={notice}>
      {notice === 'audio-only' ? t('network.tooWeak') : t('network.reduced')}
      {notice === 'audio-only' && (
        <button
          type="button"
          className="btn banner-btn"
          onClick={() => void engine.setAudioOnly(true).catch(() => {})}
        >
          {t('network.audioOnly')}
        </button>
      )}
    </div>
  );
}
