// DOM: a waiting patient's pre-call check, each line with an icon and words.
import type { ReactElement } from 'react';
import type { Precheck } from '@bedside/shared';
import { CheckIcon, CrossIcon, QuestionIcon, WarnIcon } from '../ui/icons';

type Tone = 'ok' | 'warn' | 'bad' | 'unknown';

function device(kind: 'Camera' | 'Microphone', value: Precheck['camera']): [Tone, string] {
  switch (value) {
    case 'ok':
      return ['ok', `${kind} working`];
    case 'denied':
      return ['bad', `${kind} blocked by the patient's browser`];
    case 'missing':
      return ['bad', `No ${kind.toLowerCase()} found`];
    case 'unknown':
      return ['unknown', `${kind} not checked`];
  }
}

function connection(value: Precheck['connection']): [Tone, string] {
  switch (value) {
    case 'good':
      return ['ok', 'Connection good'];
    case 'fair':
      return ['warn', 'Connection fair'];
    case 'poor':
      return ['bad', 'Connection poor'];
    case 'unknown':
      return ['unknown', 'Connection not checked'];
  }
}

const ICON: Record<Tone, () => ReactElement> = {
  ok: () => <CheckIcon size={16} />,
  warn: () => <WarnIcon size={16} />,
  bad: () => <CrossIcon size={16} />,
  unknown: () => <QuestionIcon size={16} />,
};

export function PrecheckList({ precheck }: { precheck: Precheck | undefined }) {
  if (!precheck) return <p className="muted small">No pre-call check.</p>;
  const lines = [
    device('Camera', precheck.camera),
    device('Microphone', precheck.microphone),
    connection(precheck.connection),
  ];
  return (
    <ul className="precheck" aria-label="Pre-call check">
      {lines.map(([tone, text]) => (
        <li key={text} className={`check check-${tone}`}>
          {ICON[tone]()}
          <span>{text}</span>
        </li>
      ))}
    </ul>
  );
}
