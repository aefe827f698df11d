// DOM: recording consent for the patient. A modal question when the doctor asks (in the
// patient's language), a persistent indicator while a recording is live or paused, and a way
// to withdraw consent at any time.
import type { RecordingConsentSnapshot, VisitExtras } from '@bedside/shared/call';
import { useEffect, useRef } from 'react';
import { useT } from '../i18n/i18n.ts';

interface Props {
  extras: VisitExtras;
  consent: RecordingConsentSnapshot;
  announce: (text: string) => void;
}

export function RecordingIndicator({ consent }: { consent: RecordingConsentSnapshot }) {
  const t = useT();
  const status = consent.state?.status ?? 'off';
  if (status === 'off' || status === 'asking') return null;
  return (
    <span className="chip rec-chip" role="status" data-testid="recording-indicator">
      <span className="dot rec-dot" aria-hidden="true" />
      {status === 'recording' ? t('recording.on') : t('recording.paused')}
    </span>
  );
}

export function RecordingConsentPrompt({ extras, consent, announce }: Props) {
  const t = useT();
  const acceptRef = useRef<HTMLButtonElement | null>(null);
  const prompt = consent.prompt;
  const status = consent.state?.status ?? 'off';

  useEffect(() => {
    if (prompt) acceptRef.current?.focus();
  }, [prompt]);

  const was = useRef(status);
  useEffect(() => {
    if (status === 'recording' && was.current !== 'recording') announce(t('recording.announceOn'));
    if (status === 'off' && (was.current === 'recording' || was.current === 'paused'))
      announce(t('recording.announceOff'));
    was.current = status;
  }, [status, announce, t]);

  if (prompt) {
    return (
      <div className="consent-backdrop">
        <div
          className="consent-dialog"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="consent-title"
          aria-describedby="consent-body"
        >
          <h2 id="consent-title">{t('recording.askTitle')}</h2>
          <p id="consent-body">{t('recording.askBody', { name: prompt.doctorName })}</p>
          <div className="consent-actions">
            <button
              ref={acceptRef}
              type="button"
              className="btn"
              onClick={() => void extras.consent.answer(true)}
            >
              {t('recording.accept')}
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => void extras.consent.answer(false)}
            >
              {t('recording.decline')}
            </button>
          </div>
        </div>
      </div>
    );
  }
  if (consent.accepted && (status === 'recording' || status === 'paused')) {
    return (
      <button
        type="button"
        className="btn btn-danger rec-withdraw"
        onClick={() => void extras.consent.answer(false)}
      >
        {t('recording.withdraw')}
      </button>
    );
  }
  return null;
}
