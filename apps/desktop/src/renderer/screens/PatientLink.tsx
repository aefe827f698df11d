// DOM: a meeting's patient link, with copy and e-mail actions.
import { useState } from 'react';
import type { BedsideBridge } from '@bedside/shared';
import { t as translate, useT } from '../i18n/i18n';

export function mailtoFor(link: string, when: string): string {
  const subject = translate('link.mail.subject');
  const body = [
    translate('link.mail.greeting'),
    '',
    translate('link.mail.when', { when }),
    translate('link.mail.how'),
    '',
    link,
    '',
    translate('link.mail.nothing'),
  ].join('\n');
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

export async function copyText(
  text: string,
  fallbackInput: HTMLInputElement | null,
): Promise<boolean> {
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
  const t = useT();
  const [status, setStatus] = useState('');
  const [input, setInput] = useState<HTMLInputElement | null>(null);

  return (
    <section className="patient-link">
      <label htmlFor="patient-link-input">{t('link.label', { patient: props.patientLabel })}</label>
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
              setStatus(ok ? t('link.copied') : t('link.copyManually')),
            )
          }
        >
          {t('link.copy')}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() =>
            void props.bridge.app
              .openExternal(mailtoFor(props.link, props.when))
              .then((r) => setStatus(r.ok ? t('link.emailOpened') : t('link.emailFailed')))
          }
        >
          {t('link.email')}
        </button>
        {props.onOpenVisit && (
          <button type="button" className="btn btn-primary" onClick={props.onOpenVisit}>
            {t('link.openVisit')}
          </button>
        )}
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {status}
      </p>
    </section>
  );
}
