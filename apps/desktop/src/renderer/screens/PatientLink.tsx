// DOM: a meeting's patient link, with copy and e-mail actions (ui/LinkShare.tsx).
import type { BedsideBridge } from '@bedside/shared';
import { t as translate, useT } from '../i18n/i18n';
import { LinkShare } from '../ui/LinkShare';

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

export function PatientLink(props: {
  bridge: BedsideBridge;
  link: string;
  patientLabel: string;
  when: string;
  onOpenVisit?: () => void;
}) {
  const t = useT();
  return (
    <LinkShare
      bridge={props.bridge}
      link={props.link}
      label={t('link.label', { patient: props.patientLabel })}
      mailto={mailtoFor(props.link, props.when)}
      className="patient-link"
    >
      {props.onOpenVisit && (
        <button type="button" className="btn btn-primary" onClick={props.onOpenVisit}>
          {t('link.openVisit')}
        </button>
      )}
    </LinkShare>
  );
}
