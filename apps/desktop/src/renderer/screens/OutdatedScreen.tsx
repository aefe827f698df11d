// DOM: the clinic's server needs a newer desktop app than this one.
import { useState } from 'react';
import type { BedsideBridge } from '@bedside/shared';
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
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [error, setError] = useState<string | null>(null);
  const updateUrl = props.serverUrl ? updatePageFor(props.serverUrl) : null;

  const open = async () => {
    if (!updateUrl) return;
    const r = await props.bridge.app.openExternal(updateUrl);
    setError(
      r.ok
        ? null
        : `The update page could not be opened. Ask your IT team for Bedside ${props.minVersion ?? ''} (${updateUrl}).`,
    );
  };

  return (
    <CenteredPage>
      <h1 ref={heading} tabIndex={-1}>
        Please update Bedside
      </h1>
      <p>
        This version of Bedside is too old for your clinic&apos;s server. Please update to{' '}
        {props.minVersion ? `${props.minVersion} or later` : 'the latest version'}.
      </p>
      <p className="muted small">You have version {props.currentVersion}.</p>
      {updateUrl && (
        <button type="button" className="btn btn-primary btn-block" onClick={() => void open()}>
          Get the update
        </button>
      )}
      <ErrorText message={error} />
    </CenteredPage>
  );
}
