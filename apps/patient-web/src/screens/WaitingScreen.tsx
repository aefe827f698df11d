// DOM: the waiting room. Calm and plain: the patient knows they are in the right place, sees
// themselves (so they can fix the framing), and can leave.
import type { BlurState } from '@bedside/shared/react';
import { useT } from '../i18n/i18n.ts';
import { blurGaveUp, BlurStatusText } from '../ui/BlurStatus.tsx';
import { Page } from '../ui/Page.tsx';
import { VideoView } from '../ui/VideoView.tsx';
import type { GuestRole } from '../link/joinLink.ts';
import { JoiningAs } from './JoiningAs.tsx';

interface Props {
  stream: MediaStream | null;
  reconnecting: boolean;
  /** Shown when background blur turned itself off while waiting. */
  blur?: BlurState;
  /** A guest's role, said on the screen; null for the patient. */
  guestRole: GuestRole | null;
  onLeave: () => void;
}

export function WaitingScreen({ stream, reconnecting, blur, guestRole, onLeave }: Props) {
  const t = useT();
  return (
    <Page title={t('waiting.title')}>
      <p role="status">
        <span className="pulse" aria-hidden="true" />
        {t('waiting.status')}
      </p>
      <JoiningAs role={guestRole} />
      <p className="muted">{t('waiting.keepOpen')}</p>
      {reconnecting && (
        <p className="notice" role="alert">
          {t('waiting.reconnecting')}
        </p>
      )}
      {blur && blurGaveUp(blur) && <BlurStatusText t={t} state={blur} />}
      <div className="waiting-self">
        <VideoView stream={stream} label={t('video.yourCamera')} self />
      </div>
      <button type="button" className="btn btn-secondary btn-block" onClick={onLeave}>
        {t('waiting.leave')}
      </button>
    </Page>
  );
}
