// DOM: the frame of the light screens, with the heading focused on arrival so screen readers
// announce where the patient is after every change of screen.
import { useEffect, useRef, type ReactNode } from 'react';
import { LanguagePicker } from './LanguagePicker.tsx';
import { useT } from '../i18n/i18n.ts';

interface Props {
  title: string;
  children: ReactNode;
}

export function Page({ title, children }: Props) {
  const headingRef = useRef<HTMLHeadingElement | null>(null);
  const t = useT();
  const documentTitle = t('page.titleSuffix', { title });
  useEffect(() => {
    headingRef.current?.focus();
  }, [title]);
  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);
  return (
    <div className="page">
      <div className="page-top">
        <p className="brand" aria-hidden="true">
          Bedside {/* i18n-ignore: the product's name */}
        </p>
        <LanguagePicker />
      </div>
      <main className="card" aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1} ref={headingRef}>
          {title}
        </h1>
        {children}
      </main>
    </div>
  );
}
