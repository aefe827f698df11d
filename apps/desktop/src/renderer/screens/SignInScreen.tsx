// DOM: sign in with the clinic account.
import { useState, type FormEvent } from 'react';
import { LoginRequestSchema } from '@bedside/shared';
import type { ApiClient } from '../api';
import type { Session } from '../appState';
import { useT } from '../i18n/i18n';
import { fromLogin } from '../session';
import { apiErrorText } from '../ui/apiError';
import { CenteredPage } from '../ui/Brand';
import { ErrorText } from '../ui/ErrorText';
import { useFocusOnMount } from '../ui/useFocusOnMount';

export function SignInScreen(props: {
  api: ApiClient;
  serverUrl: string;
  notice: string | null;
  canChangeServer: boolean;
  onSignedIn: (session: Session) => void;
  onChangeServer: () => void;
}) {
  const t = useT();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = LoginRequestSchema.safeParse({ email: email.trim(), password });
    if (!parsed.success) {
      setError(
        email.trim() === '' || password === '' ? t('signIn.error.empty') : t('signIn.error.email'),
      );
      return;
    }
    setBusy(true);
    try {
      const response = await props.api.login(parsed.data);
      setPassword('');
      props.onSignedIn(fromLogin(response));
    } catch (err) {
      setError(apiErrorText(t, 'signIn', err));
      setBusy(false);
    }
  };

  return (
    <CenteredPage>
      <h1 ref={heading} tabIndex={-1}>
        {t('signIn.title')}
      </h1>
      {props.notice && (
        <p className="notice" role="status">
          {props.notice}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <label htmlFor="email">{t('signIn.email')}</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-describedby="sign-in-error"
          required
        />
        <label htmlFor="password">{t('signIn.password')}</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby="sign-in-error"
          required
        />
        <ErrorText id="sign-in-error" message={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
      <p className="muted small server-line">
        {t('server.line', { host: new URL(props.serverUrl).host })}
        {props.canChangeServer && (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={props.onChangeServer}>
              {t('server.change')}
            </button>
          </>
        )}
      </p>
    </CenteredPage>
  );
}
