// DOM: connection quality as words and bars (never colour alone).
import type { QualitySample } from '@bedside/shared/call';
import { useT } from '../i18n/i18n';
import { SignalIcon } from '../ui/icons';

const BARS = { good: 3, fair: 2, poor: 1, lost: 0 } as const;

export function QualityIndicator({ quality }: { quality: QualitySample | null }) {
  const t = useT();
  const level = quality?.level ?? null;
  const details =
    quality === null
      ? undefined
      : [
          quality.rttMs !== null ? t('quality.rtt', { ms: Math.round(quality.rttMs) }) : null,
          quality.packetLoss !== null
            ? t('quality.loss', { percent: (quality.packetLoss * 100).toFixed(1) })
            : null,
          quality.bitrateKbps !== null
            ? t('quality.bitrate', { kbps: Math.round(quality.bitrateKbps) })
            : null,
        ]
          .filter(Boolean)
          .join(', ');
  return (
    <span className={`quality quality-${level ?? 'unknown'}`} title={details} data-testid="quality">
      <SignalIcon bars={level ? BARS[level] : 0} />
      <span>
        {t('quality.line', { level: level ? t(`quality.${level}`) : t('quality.checking') })}
      </span>
    </span>
  );
}
