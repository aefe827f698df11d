// DOM: the bar on top of every signed-in screen.
import type { ReactNode } from 'react';
import type { User } from '@bedside/shared';
import { useT } from '../i18n/i18n';
import { BrandMark } from './Brand';

export function AppHeader(props: {
  user: User;
  /** Omitted during a visit: signing out there would drop the call. */
  onSignOut?: () => void;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <header className="app-header">
      <BrandMark />
      <div className="app-header-middle">{props.children}</div>
      <span className="who">
        {props.user.displayName}
        <span className="muted small">
          {' '}
          · {props.user.role === 'manager' ? t('header.manager') : t('header.doctor')}
        </span>
      </span>
      {props.onSignOut && (
        <button type="button" className="btn btn-quiet" onClick={props.onSignOut}>
          {t('header.signOut')}
        </button>
      )}
    </header>
  );
}
