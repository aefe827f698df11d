// DOM: a waiting patient's pre-call check, each line with an icon and words.
import type { ReactElement } from 'react';
import type { Precheck } from '@bedside/shared';
import { t, type MessageId } from '../i18n/i18n';
import { CheckIcon, CrossIcon, QuestionIcon, WarnIcon } from '../ui/icons';

type Tone = 'ok' | 'warn' | 'bad' | 'unknown';

const DEVICE_TONE: Record<Precheck['camera'], Tone> = {
  ok: 'ok',
  denied: 'bad',
  missing: 'bad',
  unknown: 'unknown',
};

function device(kind: 'camera' | 'microphone', value: Precheck['camera']): [Tone, string] {
  return [DEVICE_TONE[value], t(`precheck.${kind}.${value}` satisfies MessageId)];
}

function connection(value: Precheck['connection']): [Tone, string] {
  switch (value) {
    case 'good':
      return ['ok', t('precheck.connection.good')];
    case 'fair':
      return ['warn', t('precheck.connection.fair')];
    case 'poor':
      return ['bad', t('precheck.connection.poor')];
    case 'unknown':
      return ['unknown', t('precheck.connection.unknown')];
  }
}

const ICON: Record<Tone, () => ReactElement> = {
  ok: () => <CheckIcon size={16} />,
  warn: () => <WarnIcon size={16} />,
  bad: () => <CrossIcon size={16} />,
  unknown: () => <QuestionIcon size={16} />,
};

export function PrecheckList({ precheck }: { precheck: Precheck | undefined }) {
  if (!precheck) return <p className="muted small">{t('precheck.none')}</p>;
  const lines = [
    device('camera', precheck.camera),
    device('microphone', precheck.microphone),
    connection(precheck.connection),
  ];
  return (
    <ul className="precheck" aria-label={t('precheck.label')}>
      {lines.map(([tone, text]) => (
        <li key={text} className={`check check-${tone}`}>
          {ICON[tone]()}
          <span>{text}</span>
        </li>
      ))}
    </ul>
  );
}
