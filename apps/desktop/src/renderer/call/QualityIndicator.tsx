// DOM: connection quality as words and bars (never colour alone).
import type { QualitySample } from '@bedside/shared/call';
import { SignalIcon } from '../ui/icons';

const TEXT = { good: 'Good', fair: 'Fair', poor: 'Poor', lost: 'Lost' } as const;
const BARS = { good: 3, fair: 2, poor: 1, lost: 0 } as const;

export function QualityIndicator({ quality }: { quality: QualitySample | null }) {
  const level = quality?.level ?? null;
  const details =
    quality === null
      ? undefined
      : [
          quality.rttMs !== null ? `round trip ${Math.round(quality.rttMs)} ms` : null,
          quality.packetLoss !== null ? `loss ${(quality.packetLoss * 100).toFixed(1)} %` : null,
          quality.bitrateKbps !== null ? `${Math.round(quality.bitrateKbps)} kbit/s` : null,
        ]
          .filter(Boolean)
          .join(', ');
  return (
    <span className={`quality quality-${level ?? 'unknown'}`} title={details} data-testid="quality">
      <SignalIcon bars={level ? BARS[level] : 0} />
      <span>Connection: {level ? TEXT[level] : 'Checking…'}</span>
    </span>
  );
}
