// DOM: the frame of the light screens, with the heading focused on arrival so screen readers
// announce where the patient is after every change of screen.
import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
}

export function Page({ title, children }: Props) {
  const headingRef = useRef<HTMLHeadingElement | null>(null);
  useEffect(() => {
    headingRef.current?.focus();
    document.title = `${title} · Bedside`;
  }, [title]);
  return (
    <div className="page">
      <p className="brand" aria-hidden="true">
        Bedside
      </p>
      <main className="card" aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1} ref={headingRef}>
          {title}
        </h1>
        {children}
      </main>
    </div>
  );
}
