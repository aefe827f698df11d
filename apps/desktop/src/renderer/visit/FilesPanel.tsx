// DOM: files during the visit, peer to peer (nothing passes through the service). The doctor
// picks a file and, with more than one other person, who gets it; incoming files wait for
// Accept / Decline and are offered for saving (native save dialog in Electron) only after
// their SHA-256 and content checks passed.
import { useState } from 'react';
import type { BedsideBridge } from '@bedside/shared';
import {
  ACCEPT_ATTRIBUTE,
  REFUSAL_MESSAGES,
  type FileRefusal,
  type FileShareSnapshot,
  type FileTransfer,
  type VisitExtras,
} from '@bedside/shared/call';
import { createLogger } from '../logger';

const log = createLogger('files');

const size = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

const refusal = (reason: FileRefusal | 'not-connected') =>
  reason === 'not-connected'
    ? 'Not connected to that person yet. Try again in a moment.'
    : REFUSAL_MESSAGES[reason];

function status(x: FileTransfer): string {
  switch (x.status) {
    case 'offered':
      return 'Waiting for an answer…';
    case 'incoming':
      return 'Wants to send you a file';
    case 'accepted':
    case 'transferring':
      return `${Math.floor((x.bytes / Math.max(1, x.size)) * 100)}% transferred`;
    case 'verifying':
      return 'Checking the file…';
    case 'complete':
      return x.direction === 'receive' ? 'Received and checked' : 'Delivered';
    case 'declined':
      return x.by === 'peer' ? 'Declined by the recipient' : 'Declined';
    case 'cancelled':
      return x.by === 'peer' ? 'Cancelled by the other side' : 'Cancelled';
    case 'refused':
      return `Refused: ${REFUSAL_MESSAGES[(x.reason as FileRefusal) ?? 'type-not-allowed']}`;
    case 'failed':
      return x.reason === 'integrity'
        ? 'The file arrived damaged and was discarded.'
        : 'The transfer failed.';
  }
}

export function FilesPanel(props: {
  extras: VisitExtras;
  files: FileShareSnapshot;
  bridge: BedsideBridge;
}) {
  const { extras, files, bridge } = props;
  const [picked, setPicked] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const recipients = (picked ?? files.peers.map((p) => p.id)).filter((id) =>
    files.peers.some((p) => p.id === id),
  );
  const nameOf = (id: string) => files.peers.find((p) => p.id === id)?.name ?? 'Participant';

  const send = async (file: File) => {
    setError(null);
    const rule = extras.files.check(file);
    if (rule) return setError(refusal(rule));
    if (recipients.length === 0) return setError(refusal('not-connected'));
    const results = await extras.files.send(file, recipients);
    const bad = results.find((r) => !r.ok);
    if (bad && !bad.ok) setError(refusal(bad.reason));
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
      setError(r.error.message);
    }
  };

  return (
    <section className="chat files" aria-labelledby="files-title">
      <h2 id="files-title">Files</h2>
      {files.peers.length > 1 && (
        <fieldset className="files-to">
          <legend>Send to</legend>
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
        Send a file
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
      <p className="muted small">Photos (JPEG, PNG, WebP, HEIC), PDF or text, up to 25 MB.</p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <ul className="files-list" aria-live="polite">
        {files.transfers.length === 0 && <li className="muted">No files yet.</li>}
        {files.transfers.map((x) => {
          const active = x.status === 'accepted' || x.status === 'transferring';
          return (
            <li key={`${x.peerId}/${x.id}`} className="file-item" data-status={x.status}>
              <span>
                {x.direction === 'receive'
                  ? `From ${nameOf(x.peerId)}: `
                  : `To ${nameOf(x.peerId)}: `}
                <strong>{x.name}</strong> ({size(x.size)})
              </span>
              {active && <progress max={x.size} value={x.bytes} aria-label={status(x)} />}
              <span className="muted small">{status(x)}</span>
              <span className="row">
                {x.status === 'incoming' && (
                  <>
                    <button
                      type="button"
                      className="btn btn-small btn-primary"
                      onClick={() => extras.files.accept(x.peerId, x.id)}
                    >
                      Accept
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => extras.files.decline(x.peerId, x.id)}
                    >
                      Decline
                    </button>
                  </>
                )}
                {(active || x.status === 'offered') && (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => extras.files.cancel(x.peerId, x.id)}
                  >
                    Cancel
                  </button>
                )}
                {x.status === 'complete' && x.blob && (
                  <button type="button" className="btn btn-small" onClick={() => void save(x)}>
                    Save {x.name}
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
