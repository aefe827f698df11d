// DOM: a join link with copy and e-mail, as both the patient's link and each guest's link offer
// it: the link in a read-only field (selected on focus), "Copy link" (or, when the clipboard
// refuses, the text selected for Ctrl+C), "Email link" through the bridge, and what happened in
// a polite status line.
import { useId, useState, type ReactNode } from 'react';
import type { BedsideBridge } from '@bedside/shared';
import { useT } from '../i18n/i18n';

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

export function LinkShare(props: {
  bridge: BedsideBridge;
  link: string;
  /** The field's label, e.g. "Patient link for Ana". */
  label: string;
  /** The `mailto:` that "Email link" opens. */
  mailto: string;
  className: string;
  /** Smaller buttons where the link sits in a list row. */
  small?: boolean;
  /** More actions after copy and e-mail. */
  children?: ReactNode;
}) {
  const t = useT();
  const id = useId();
  const [status, setStatus] = useState('');
  const [input, setInput] = useState<HTMLInputElement | null>(null);
  const btn = props.small ? 'btn btn-small' : 'btn';
  return (
    <div className={props.className}>
      <label htmlFor={`${id}-link`}>{props.label}</label>
      <input
        ref={setInput}
        id={`${id}-link`}
        className="mono"
        readOnly
        value={props.link}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="row wrap">
        <button
          type="button"
          className={btn}
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
          className={btn}
          onClick={() =>
            void props.bridge.app
              .openExternal(props.mailto)
              .then((r) => setStatus(r.ok ? t('link.emailOpened') : t('link.emailFailed')))
          }
        >
          {t('link.email')}
        </button>
        {props.children}
      </div>
      <p className="muted small" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
