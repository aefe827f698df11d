// DOM: a meeting's patient link, with copy and e-mail actions.
import { useState } from 'react';
import type { BedsideBridge } from '@bedside/shared';

export function mailtoFor(link: string, when: string): string {
  const subject = 'Your video visit';
  const body = [
    'Hello,',
    '',
    `Your video visit is scheduled for ${when}.`,
    'Open this link on your phone or computer a few minutes before, and allow the camera and microphone:',
    '',
    link,
    '',
    'Nothing needs to be installed.',
  ].join('\n');
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

async function copyText(text: string, fallbackInput: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (no focus, no permission): select the text so Ctrl+C works.
    fallbackInput?.select();
    return false;
  }
}

export function PatientLink(props: {
  bridge: BedsideBridge;
  link: string;
  patientLabel: string;
  when: string;
  onOpenVisit?: () => void;
}) {
  const [status, setStatus] = useState('');
  const [input, setInput] = useState<HTMLInputElement | null>(null);

  return (
    <section className="patient-link">
      <label htmlFor="patient-link-input">Patient link for {props.patientLabel}</label>
      <input
        ref={setInput}
        id="patient-link-input"
        className="mono"
        readOnly
        value={props.link}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="row wrap">
        <button
          type="button"
          className="btn"
          onClick={() =>
            void copyText(props.link, input).then((ok) =>
              setStatus(ok ? 'Link copied.' : 'Press Ctrl+C to copy the selected link.'),
            )
          }
        >
          Copy link
        </button>
        <button
          type="button"
          className="btn"
          onClick={() =>
            void props.bridge.app
              .openExternal(mailtoFor(props.link, props.when))
              .then((r) =>
                setStatus(
                  r.ok ? 'Your e-mail program opened.' : 'No e-mail program could be opened.',
                ),
              )
          }
        >
          Email link
        </button>
        {props.onOpenVisit && (
          <button type="button" className="btn btn-primary" onClick={props.onOpenVisit}>
            Open visit
          </button>
        )}
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {status}
      </p>
    </section>
  );
}
