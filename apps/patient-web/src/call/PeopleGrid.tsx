// DOM: the stage when the visit holds 3 or 4 people (an interpreter, a family member, a second
// clinician): one tile per person, 2×2 on a phone, with name, role, microphone, quality and a
// ring on whoever speaks. A shared screen takes a full-width tile above the people.
import type { CallSnapshot, RemotePeer } from '@bedside/shared/call';
import { useT } from '../i18n/i18n.ts';
import { VideoView } from '../ui/VideoView.tsx';
import { QualityChip } from './QualityChip.tsx';

interface Props {
  snapshot: CallSnapshot;
  /** The patient's own picture: blurred while background blur is on. */
  selfView: MediaStream | null;
  onPlayBlocked: () => void;
}

function Tile({
  peer,
  speaking,
  onPlayBlocked,
}: {
  peer: RemotePeer;
  speaking: boolean;
  onPlayBlocked: () => void;
}) {
  const t = useT();
  const role = t('grid.role', { role: peer.user.role });
  const muted = peer.media?.audio === false;
  const cameraOff = peer.media?.video === false;
  return (
    <div
      className={speaking ? 'tile speaking' : 'tile'}
      data-testid="tile"
      data-socket-id={peer.user.socketId}
      data-role={peer.user.role}
      data-speaking={speaking ? '' : undefined}
    >
      <VideoView
        stream={peer.stream}
        label={t('grid.tileLabel', { name: peer.user.userName, role })}
        className="tile-video"
        onPlayBlocked={onPlayBlocked}
      />
      {!peer.stream && <p className="tile-empty">{t('grid.connecting')}</p>}
      {peer.stream && cameraOff && <p className="tile-empty">{t('grid.cameraOff')}</p>}
      <div className="tile-label">
        <span className="tile-name">{peer.user.userName}</span>
        <span className="tile-role" data-testid="tile-role">
          {role}
        </span>
        {muted && (
          <span className="tile-flag" data-testid="tile-muted">
            {t('grid.muted')}
          </span>
        )}
        {speaking && <span className="visually-hidden">{t('grid.speaking')}</span>}
        <QualityChip level={peer.quality?.level ?? null} />
      </div>
    </div>
  );
}

export function PeopleGrid({ snapshot, selfView, onPlayBlocked }: Props) {
  const t = useT();
  const { peers, activeSpeaker, socketId, localMedia } = snapshot;
  const screens = peers.filter((p) => p.sharing && p.screenStream);
  return (
    <div className="grid-stage" data-count={peers.length + 1}>
      <p className="visually-hidden" role="status">
        {t('grid.people', { count: peers.length + 1 })}
      </p>
      {screens.map((p) => (
        <div className="tile tile-screen" key={`screen-${p.user.socketId}`}>
          <VideoView
            stream={p.screenStream}
            label={t('grid.screenOf', { name: p.user.userName })}
            className="tile-video contain"
          />
        </div>
      ))}
      {peers.map((p) => (
        <Tile
          key={p.user.socketId}
          peer={p}
          speaking={activeSpeaker === p.user.socketId}
          onPlayBlocked={onPlayBlocked}
        />
      ))}
      <div
        className={activeSpeaker !== null && activeSpeaker === socketId ? 'tile speaking' : 'tile'}
        data-testid="tile-self"
      >
        <VideoView stream={selfView} label={t('video.yourCamera')} self />
        <div className="tile-label">
          <span className="tile-name">{t('grid.you')}</span>
          {!localMedia.audio && <span className="tile-flag">{t('grid.muted')}</span>}
          {!localMedia.video && <span className="tile-flag">{t('grid.cameraOff')}</span>}
        </div>
      </div>
    </div>
  );
}
