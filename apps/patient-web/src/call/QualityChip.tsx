// DOM: the connection quality as words plus a coloured dot (colour is never the only signal).
import type { QualityLevel } from '@bedside/shared/call';
import { useT } from '../i18n/i18n.ts';

export function QualityChip({ level }: { level: QualityLevel | null }) {
  const t = useT();
  if (!level) return null;
  return (
    <span className={`chip q-${level}`} data-quality={level}>
      <span className="dot" aria-hidden="true" />
      {t(`quality.${level}`)}
    </span>
  );
}
