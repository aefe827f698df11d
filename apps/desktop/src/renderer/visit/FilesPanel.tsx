// DOM: files during the visit, peer to peer (nothing passes through the service). The doctor
// picks a file and, with more than one other person, who gets it; incoming files wait for
// Accept / Decline and are offered for saving (native save dialog in Electron) only after
// their SHA-256 and content checks passed.
import { useState } from 'react';
import type { BedsideBridge } from '@bedside/shared';
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
import { useT, type T } from '../i18n/i18n';
import { createLogger } from '../logger';
import { bridgeErrorText } from '../ui/bridgeError';

const log = createLogger('files');

const refusal = (t: T, reason: FileRefusal | 'not-connected') =>
  t(`files.${fileRefusalKey(reason)}`);

/** The shared status (packages/shared/src/call/files/messages.ts) in the doctor's words. */
function status(t: T, x: FileTransfer): string {
  const s = fileStatus(x);
  switch (s.key) {
    case 'progress':
      return t('files.progress', { percent: s.percent });
    case 'declined':
      return t(s.byPeer ? 'files.declinedByPeer' : 'files.declined');
    case 'cancelled':
      return t(s.byPeer ? 'files.cancelledByPeer' : 'files.cancelled');
    case 'refused':
      return t('files.refused', { why: t(`files.${s.refusal}`) });
    default:
      return t(`files.${s.key}`);
  }
}

export function FilesPanel(props: {
  extras: VisitExtras;
  files: FileShareSnapshot;
  bridge: BedsideBridge;
}) {
  const t = useT();
  const { extras, files, bridge } = props;
  const [picked, setPicked] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const recipients = (picked ?? files.peers.map((p) => p.id)).filter((id) =>
    files.peers.some((p) => p.id === id),
  );
  const nameOf = (id: string) =>
    files.peers.find((p) => p.id === id)?.name ?? t('files.participant');

  const send = async (file: File) => {
    setError(null);
    const rule = extras.files.check(file);
    if (rule) return setError(refusal(t, rule));
    if (recipients.length === 0) return setError(refusal(t, 'not-connected'));
    const results = await extras.files.send(file, recipients);
    const bad = results.find((r) => !r.ok);
    if (bad && !bad.ok) setError(refusal(t, bad.reason));
  };

  const save = async (x: FileTransfer) => {
    if (!x.blob) return;
    const r = await bridge.files.save({
      suggestedName: x.name,
      type: x.type,
      data: new Uint8Array(await x.blob.arrayBuffer()),
    });
    if (!r.ok) {
      log.warn('file-save-failed', { code: r.error.code });
      setError(bridgeErrorText(t, 'files.save', r.error));
    }
  };

  return (
    <section className="chat files" aria-labelledby="files-title">
      <h2 id="files-title">{t('files.title')}</h2>
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
      <label className="btn btn-primary files-pick">
        {t('files.choose')}
        <input
          type="file"
          accept={ACCEPT_ATTRIBUTE}
          className="sr-only"
          data-testid="file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void send(file);
          }}
        />
      </label>
      <p className="muted small">{t('files.hint')}</p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <ul className="files-list" aria-live="polite">
        {files.transfers.length === 0 && <li className="muted">{t('files.empty')}</li>}
        {files.transfers.map((x) => {
          const active = x.status === 'accepted' || x.status === 'transferring';
          return (
            <li key={`${x.peerId}/${x.id}`} className="file-item" data-status={x.status}>
              <span>
                {x.direction === 'receive'
                  ? t('files.from', { name: nameOf(x.peerId) })
                  : t('files.toPerson', { name: nameOf(x.peerId) })}
                <strong>{x.name}</strong>{' '}
                {t('files.size', { size: formatFileSize(x.size, t.locale) })}
              </span>
              {active && <progress max={x.size} value={x.bytes} aria-label={status(t, x)} />}
              <span className="muted small">{status(t, x)}</span>
              <span className="row">
                {x.status === 'incoming' && (
                  <>
                    <button
                      type="button"
                      className="btn btn-small btn-primary"
                      onClick={() => extras.files.accept(x.peerId, x.id)}
                    >
                      {t('files.accept')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => extras.files.decline(x.peerId, x.id)}
                    >
                      {t('files.decline')}
                    </button>
                  </>
                )}
                {(active || x.status === 'offered') && (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => extras.files.cancel(x.peerId, x.id)}
                  >
                    {t('files.cancel')}
                  </button>
                )}
                {x.status === 'complete' && x.blob && (
                  <button type="button" className="btn btn-small" onClick={() => void save(x)}>
                    {t('files.save', { file: x.name })}
                  </button>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
