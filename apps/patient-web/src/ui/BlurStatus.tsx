// DOM: what background blur is doing, in words — above all when it turned itself off.
import type { BlurState } from '@bedside/shared/react';
import type { T } from '../i18n/i18n.ts';

export function blurMessage(t: T, state: BlurState): string {
  switch (state.kind) {
    case 'off':
      return '';
    case 'starting':
      return t('blur.starting');
    case 'on':
      return t('blur.on');
    case 'too-slow':
      return t('blur.tooSlow', { fps: Math.round(state.fps ?? 0), min: state.minFps });
    case 'failed':
      return t('blur.failed');
    case 'unsupported':
      return t('blur.unsupported');
  }
}

/** Turned off by itself: the patient should notice, so it is an alert, not a quiet status. */
export const blurGaveUp = (state: BlurState) =>
  state.kind === 'too-slow' || state.kind === 'failed' || state.kind === 'unsupported';

export function BlurStatusText({ t, state }: { t: T; state: BlurState }) {
  const gaveUp = blurGaveUp(state);
  return (
    <p
      className={gaveUp ? 'notice blur-status' : 'hint blur-status'}
      role={gaveUp ? 'alert' : 'status'}
      data-testid="blur-status"
      data-blur={state.kind}
    >
      {blurMessage(t, state)}
    </p>
  );
}
