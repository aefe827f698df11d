// DOM: the doctor's stage when the visit holds 3 or 4 people: one tile per other member with
// name, role, microphone and connection quality, a ring on whoever speaks (the engine's
// polled audio levels), and any shared screen in a wide tile first. Our own camera stays in
// its corner. The voices play from PeerAudio, not from these tiles.
import type { CallSnapshot, RemotePeer } from '@bedside/shared/call';
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

export function PeopleGrid(props: { snap: CallSnapshot }) {
  const t = useT();
  const { snap } = props;
  const screens = snap.peers.filter((p) => p.sharing && p.screenStream);

  return (
    <div className="people-grid" data-count={snap.peers.length}>
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
