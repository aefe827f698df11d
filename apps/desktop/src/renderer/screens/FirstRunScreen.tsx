// DOM: first start in Electron: which Bedside server does this clinic use?
import { useState, type FormEvent } from 'react';
import { SettingsSchema, type BedsideBridge, type Settings } from '@bedside/shared';
import { ApiError, createApi } from '../api';
import { useT } from '../i18n/i18n';
import { createLogger } from '../logger';
import { bridgeErrorText } from '../ui/bridgeError';
import { CenteredPage } from '../ui/Brand';
import { ErrorText } from '../ui/ErrorText';
import { useFocusOnMount } from '../ui/useFocusOnMount';

const log = createLogger('first-run');

export function FirstRunScreen(props: {
  bridge: BedsideBridge;
  onConfigured: (settings: Settings) => void;
}) {
  const t = useT();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [value, setValue] = useState('https://');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = SettingsSchema.shape.serverUrl.safeParse(value.trim());
    if (!parsed.success || parsed.data === null) {
      setError(t('firstRun.error.address'));
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
          ? t('firstRun.error.noAnswer')
          : t('firstRun.error.notBedside'),
      );
      return;
    }
    const saved = await props.bridge.settings.set({ serverUrl });
    setBusy(false);
    if (!saved.ok) {
      log.warn('settings-save-failed', { code: saved.error.code });
      setError(bridgeErrorText(t, 'settings.set', saved.error));
      return;
    }
    props.onConfigured(saved.data);
  };

  return (
    <CenteredPage>
      <h1 ref={heading} tabIndex={-1}>
        {t('firstRun.title')}
      </h1>
      <p className="muted">{t('firstRun.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <label htmlFor="server-url">{t('firstRun.address')}</label>
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
          {busy ? t('firstRun.checking') : t('firstRun.continue')}
        </button>
      </form>
    </CenteredPage>
  );
}
