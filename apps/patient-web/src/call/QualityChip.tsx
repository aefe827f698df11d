// DOM: the connection quality as words plus a coloured dot (colour is never the only signal).
import type { QualityLevel } from '@bedside/shared/call';

const TEXT: Record<QualityLevel, string> = {
  good: 'Connection: good',
  fair: 'Connection: fair',
  poor: 'Connection: poor',
  lost: 'Connection lost',
};

export function QualityChip({ level }: { level: QualityLevel | null }) {
  if (!level) return null;
  return (
    <span className={`chip q-${level}`} data-quality={level}>
      <span className="dot" aria-hidden="true" />
      {TEXT[level]}
    </span>
  );
}
