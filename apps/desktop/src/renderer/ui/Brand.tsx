// DOM: the product mark and the frame the signed-out screens share.
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n';

export function BrandMark() {
  const t = useT();
  return (
    <span className="brand">
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="9" fill="currentColor" />
        <path d="M16 8v16M8 16h16" stroke="#fff" strokeWidth="4" strokeLinecap="round" />
      </svg>
      <span className="brand-name">{t('brand.name')}</span>
    </span>
  );
}

/** A calm, centred card for the screens before sign-in. */
export function CenteredPage({ children }: { children: ReactNode }) {
  return (
    <main className="centered-page">
      <div className="centered-card">
        <BrandMark />
        {children}
      </div>
    </main>
  );
}
