// DOM: sign in with the clinic account.
import { useState, type FormEvent } from 'react';
import { LoginRequestSchema } from '@bedside/shared';
import { ApiError, type ApiClient } from '../api';
import type { Session } from '../appState';
import { fromLogin } from '../session';
import { CenteredPage } from '../ui/Brand';
import { ErrorText } from '../ui/ErrorText';
import { useFocusOnMount } from '../ui/useFocusOnMount';

function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'unauthorized':
    case 'not-found':
      return 'The email or password is not correct.';
    case 'rate-limited':
      return 'Too many sign-in attempts. Wait a minute, then try again.';
    case 'forbidden':
      return 'This account cannot use the desktop app. Ask your clinic administrator.';
    case 'client-outdated':
      return 'This version of Bedside is too old for the server. Please update.';
    default:
      return error.message;
  }
}

export function SignInScreen(props: {
  api: ApiClient;
  serverUrl: string;
  notice: string | null;
  canChangeServer: boolean;
  onSignedIn: (session: Session) => void;
  onChangeServer: () => void;
}) {
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
        email.trim() === '' || password === ''
          ? 'Enter your email and password.'
          : 'Enter a valid email address.',
      );
      return;
    }
    setBusy(true);
    try {
      const response = await props.api.login(parsed.data);
      setPassword('');
      props.onSignedIn(fromLogin(response));
    } catch (err) {
      setError(messageFor(err));
      setBusy(false);
    }
  };

  return (
    <CenteredPage>
      <h1 ref={heading} tabIndex={-1}>
        Sign in
      </h1>
      {props.notice && (
        <p className="notice" role="status">
          {props.notice}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-describedby="sign-in-error"
          required
        />
        <label htmlFor="password">Password</label>
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
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted small server-line">
        Server: {new URL(props.serverUrl).host}
        {props.canChangeServer && (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={props.onChangeServer}>
              Change server
            </button>
          </>
        )}
      </p>
    </CenteredPage>
  );
}
