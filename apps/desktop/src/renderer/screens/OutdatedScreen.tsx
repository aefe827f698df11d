// DOM: the clinic's server needs a newer desktop app than this one.
import { useState } from 'react';
import type { BedsideBridge } from '@bedside/shared';
import { useT } from '../i18n/i18n';
import { CenteredPage } from '../ui/Brand';
import { ErrorText } from '../ui/ErrorText';
import { useFocusOnMount } from '../ui/useFocusOnMount';

/** Where the clinic's server offers the installer; IT can also distribute it themselves. */
export const updatePageFor = (serverUrl: string): string => new URL('/download', serverUrl).href;

export function OutdatedScreen(props: {
  bridge: BedsideBridge;
  serverUrl: string | null;
  minVersion: string | null;
  currentVersion: string;
}) {
  const t = useT();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [error, setError] = useState<string | null>(null);
  const updateUrl = props.serverUrl ? updatePageFor(props.serverUrl) : null;

  const open = async () => {
    if (!updateUrl) return;
    const r = await props.bridge.app.openExternal(updateUrl);
    setError(
      r.ok ? null : t('outdated.openFailed', { version: props.minVersion ?? '', url: updateUrl }),
    );
  };

  return (
    <CenteredPage>
      <h1 ref={heading} tabIndex={-1}>
        {t('outdated.title')}
      </h1>
      <p>
        {props.minVersion
          ? t('outdated.body', { version: props.minVersion })
          : t('outdated.bodyLatest')}
      </p>
      <p className="muted small">{t('outdated.current', { version: props.currentVersion })}</p>
      {updateUrl && (
        <button type="button" className="btn btn-primary btn-block" onClick={() => void open()}>
          {t('outdated.get')}
        </button>
      )}
      <ErrorText message={error} />
    </CenteredPage>
  );
}
