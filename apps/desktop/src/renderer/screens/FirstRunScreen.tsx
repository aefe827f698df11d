// DOM: first start in Electron: which Bedside server does this clinic use?
import { useState, type FormEvent } from 'react';
import { SettingsSchema, type BedsideBridge, type Settings } from '@bedside/shared';
import { ApiError, createApi } from '../api';
import { CenteredPage } from '../ui/Brand';
import { ErrorText } from '../ui/ErrorText';
import { useFocusOnMount } from '../ui/useFocusOnMount';

export function FirstRunScreen(props: {
  bridge: BedsideBridge;
  onConfigured: (settings: Settings) => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [value, setValue] = useState('https://');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = SettingsSchema.shape.serverUrl.safeParse(value.trim());
    if (!parsed.success || parsed.data === null) {
      setError('Enter the full address, for example https://visits.your-clinic.org');
      return;
    }
    // Only the origin: a pasted link to a page on the server should still work.
    const serverUrl = new URL(parsed.data).origin;
    setBusy(true);
    try {
      await createApi(serverUrl, () => null).version();
    } catch (err) {
      setBusy(false);
      setError(
        err instanceof ApiError && err.code === 'unavailable'
          ? 'No Bedside server answered at that address. Check it with your IT team.'
          : 'That address answered, but not like a Bedside server. Check it with your IT team.',
      );
      return;
    }
    const saved = await props.bridge.settings.set({ serverUrl });
    setBusy(false);
    if (!saved.ok) {
      setError(saved.error.message);
      return;
    }
    props.onConfigured(saved.data);
  };

  return (
    <CenteredPage>
      <h1 ref={heading} tabIndex={-1}>
        Welcome to Bedside
      </h1>
      <p className="muted">
        Enter your clinic&apos;s Bedside server address. Your IT team can tell you what it is.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <label htmlFor="server-url">Server address</label>
        <input
          id="server-url"
          type="url"
          inputMode="url"
          autoComplete="url"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error !== null}
          aria-describedby="server-url-error"
          required
        />
        <ErrorText id="server-url-error" message={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Checking…' : 'Continue'}
        </button>
      </form>
    </CenteredPage>
  );
}
