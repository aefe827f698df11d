// DOM: files during the visit, peer to peer. Pick a photo or document; with more than one
// other person, choose who gets it. Incoming files wait for Accept / Decline, show progress,
// and are offered for saving only after their SHA-256 and content checks passed.
import {
  ACCEPT_ATTRIBUTE,
  fileRefusalKey,
  fileStatus,
  formatFileSize,
  type FileRefusal,
  type FileShareSnapshot,
  type FileTransfer,
  type VisitExtras,
} from '@bedside/shared/call';
import { useEffect, useState } from 'react';
import { useT, type T } from '../i18n/i18n.ts';

interface Props {
  extras: VisitExtras;
  files: FileShareSnapshot;
  onClose: () => void;
}

export function refusalText(t: T, reason: FileRefusal | 'not-connected'): string {
  return t(`files.${fileRefusalKey(reason)}`);
}

/** The shared status (packages/shared/src/call/files/messages.ts) in the patient's words. */
function statusText(t: T, x: FileTransfer): string {
  const s = fileStatus(x);
  switch (s.key) {
    case 'incoming':
      // The line above already says who wants to send what.
      return '';
    case 'progress':
      return t('files.progress', { percent: s.percent });
    case 'received':
      return t('files.done');
    case 'delivered':
      return t('files.sent');
    case 'refused':
      return t(`files.${s.refusal}`);
    default:
      return t(`files.${s.key}`);
  }
}

/** Object URLs for completed downloads, revoked when the drawer goes. */
function useObjectUrls(transfers: readonly FileTransfer[]): Map<string, string> {
  const [urls] = useState(() => new Map<string, string>());
  for (const x of transfers) {
    if (x.blob && !urls.has(x.id)) urls.set(x.id, URL.createObjectURL(x.blob));
  }
  useEffect(
    () => () => {
      for (const u of urls.values()) URL.revokeObjectURL(u);
      urls.clear();
    },
    [urls],
  );
  return urls;
}

export function FilesDrawer({ extras, files, onClose }: Props) {
  const t = useT();
  const locale = t.locale ?? 'en';
  const [picked, setPicked] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const urls = useObjectUrls(files.transfers);
  const recipients = picked ?? files.peers.map((p) => p.id);
  const nameOf = (peerId: string) => files.peers.find((p) => p.id === peerId)?.name ?? '—';

  const send = async (file: File) => {
    setError(null);
    const refusal = extras.files.check(file);
    if (refusal) {
      setError(refusalText(t, refusal));
      return;
    }
    const to = recipients.filter((id) => files.peers.some((p) => p.id === id));
    if (to.length === 0) {
      setError(t('files.notConnected'));
      return;
    }
    const results = await extras.files.send(file, to);
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) setError(refusalText(t, failed.reason));
  };

  return (
    <aside
      className="drawer"
      aria-labelledby="files-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header>
        <h2 id="files-title">{t('files.title')}</h2>
        <button type="button" className="icon-btn" aria-label={t('files.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="files-body">
        {files.peers.length > 1 && (
          <fieldset className="files-to">
            <legend>{t('files.to')}</legend>
            {files.peers.map((p) => (
              <label key={p.id}>
                <input
                  type="checkbox"
                  checked={recipients.includes(p.id)}
                  onChange={(e) =>
                    setPicked(
                      e.target.checked
                        ? [...recipients, p.id]
                        : recipients.filter((id) => id !== p.id),
                    )
                  }
                />{' '}
                {p.name}
              </label>
            ))}
          </fieldset>
        )}
        <label className="btn btn-block files-pick">
          {t('files.choose')}
          <input
            type="file"
            accept={ACCEPT_ATTRIBUTE}
            className="visually-hidden"
            data-testid="file-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void send(file);
            }}
          />
        </label>
        <p className="muted">{t('files.hint')}</p>
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <ul className="files-list" aria-live="polite">
          {files.transfers.length === 0 && <li className="muted">{t('files.empty')}</li>}
          {files.transfers.map((x) => {
            const size = formatFileSize(x.size, locale);
            const who = nameOf(x.peerId);
            const active = x.status === 'accepted' || x.status === 'transferring';
            const url = urls.get(x.id);
            return (
              <li key={`${x.peerId}/${x.id}`} className="file-item" data-status={x.status}>
                <span>
                  {x.direction === 'receive'
                    ? x.status === 'refused'
                      ? t('files.refusedIncoming', {
                          name: who,
                          why: refusalText(t, (x.reason as FileRefusal) ?? 'type-not-allowed'),
                        })
                      : t('files.incoming', { name: who, file: x.name, size })
                    : t('files.outgoing', { name: who, file: x.name, size })}
                </span>
                {active && <progress max={x.size} value={x.bytes} aria-label={statusText(t, x)} />}
                {x.status !== 'refused' && <span className="muted">{statusText(t, x)}</span>}
                <span className="file-actions">
                  {x.status === 'incoming' && (
                    <>
                      <button
                        type="button"
                        className="btn"
                        onClick={() => extras.files.accept(x.peerId, x.id)}
                      >
                        {t('files.accept')}
                      </button>
                      <button
                        type="button"
                        className="btn btn-secondary"
                        onClick={() => extras.files.decline(x.peerId, x.id)}
                      >
                        {t('files.decline')}
                      </button>
                    </>
                  )}
                  {(active || x.status === 'offered') && (
                    <button
                      type="button"
                      className="btn btn-secondary"
                      onClick={() => extras.files.cancel(x.peerId, x.id)}
                    >
                      {t('files.cancel')}
                    </button>
                  )}
                  {x.status === 'complete' && url && (
                    <a className="btn" href={url} download={x.name}>
                      {t('files.save', { file: x.name })}
                    </a>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </aside>
  );
}
