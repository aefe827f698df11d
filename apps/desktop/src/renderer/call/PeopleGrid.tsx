// DOM: the doctor's stage when the visit holds 3 or 4 people: one tile per other member with
// name, role, microphone and connection quality, a ring on whoever speaks (audio level from
// getStats), and any shared screen in a wide tile first. Our own camera stays in its corner.
import type { CallEngineApi, CallSnapshot, RemotePeer } from '@bedside/shared/call';
import { useEffect, useRef } from 'react';
import { roleLabel } from '../guests/guests';
import { useT } from '../i18n/i18n';
import { CameraOffIcon, MicOffIcon } from '../ui/icons';
import { QualityIndicator } from './QualityIndicator';
import { StreamVideo } from './StreamVideo';

function Tile({ peer, speaking }: { peer: RemotePeer; speaking: boolean }) {
  const name = peer.user.userName;
  const t = useT();
  const role = roleLabel(peer.user.role);
  const media = peer.media ?? { audio: true, video: true };
  return (
    <div
      className={speaking ? 'tile speaking' : 'tile'}
      data-testid="tile"
      data-socket-id={peer.user.socketId}
      data-role={peer.user.role}
      data-speaking={speaking ? '' : undefined}
    >
      <StreamVideo
        stream={peer.stream}
        label={t('tile.camera', { name, role })}
        className="tile-video"
      />
      {!peer.stream && <div className="video-off">{t('tile.connecting')}</div>}
      {peer.stream && !media.video && (
        <div className="video-off">
          <CameraOffIcon size={32} />
          <span>{t('tile.cameraOff')}</span>
        </div>
      )}
      <div className="tile-label">
        <span className="tile-name">{name}</span>
        <span className="tile-role" data-testid="tile-role">
          {role}
        </span>
        {!media.audio && (
          <span className="tile-flag" data-testid="tile-muted">
            <MicOffIcon size={14} /> {t('tile.muted')}
          </span>
        )}
        {peer.ice === 'recovering' && <span className="tile-flag">{t('tile.reconnecting')}</span>}
        {speaking && <span className="visually-hidden">{t('tile.speaking')}</span>}
        <QualityIndicator quality={peer.quality} />
      </div>
    </div>
  );
}

export function PeopleGrid(props: {
  snap: CallSnapshot;
  engine: CallEngineApi;
  speakerId: string | null;
}) {
  const t = useT();
  const { snap, engine, speakerId } = props;
  const box = useRef<HTMLDivElement>(null);
  const screens = snap.peers.filter((p) => p.sharing && p.screenStream);
  const streams = snap.peers.map((p) => p.stream);

  // Every tile carries a voice: route them all to the chosen speaker.
  useEffect(() => {
    const els = [...(box.current?.querySelectorAll('video') ?? [])];
    if (speakerId && els.length) void engine.setSpeaker(speakerId, els).catch(() => {});
  }, [engine, speakerId, streams.length, streams]);

  return (
    <div className="people-grid" data-count={snap.peers.length} ref={box}>
      {screens.map((p) => (
        <div className="tile tile-screen" key={`screen-${p.user.socketId}`}>
          <StreamVideo
            stream={p.screenStream}
            label={t('tile.sharedScreen', { name: p.user.userName })}
            className="tile-video contain"
            testId="remote-screen"
          />
          <div className="tile-label">
            <span className="tile-name">{t('tile.sharing', { name: p.user.userName })}</span>
          </div>
        </div>
      ))}
      {snap.peers.map((p) => (
        <Tile key={p.user.socketId} peer={p} speaking={snap.activeSpeaker === p.user.socketId} />
      ))}
    </div>
  );
}
