// DOM + React: thin subscriptions over VisitExtras (files and recording consent).
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { CallEngineApi, CallEngineOptions } from '../call/types.js';
import { VisitExtras } from '../call/visitExtras.js';
import type { FileShareSnapshot } from '../call/files/FileShare.js';
import type { RecordingConsentSnapshot } from '../call/recording/RecordingConsent.js';
import type { Logger } from '../call/logger.js';

/**
 * One VisitExtras per `options` object, and the engine options with its hooks. Keep `options`
 * referentially stable, as for useCallEngine; pass the returned options to it.
 */
export function useVisitExtras(
  options: CallEngineOptions | null,
  logger?: Logger,
): { extras: VisitExtras | null; options: CallEngineOptions | null } {
  const [state, setState] = useState<{
    source: CallEngineOptions | null;
    extras: VisitExtras | null;
    options: CallEngineOptions | null;
  }>(() => make(options, logger));
  if (state.source !== options) {
    const next = make(options, logger);
    setState(next);
    return next;
  }
  return state;
}

function make(options: CallEngineOptions | null, logger?: Logger) {
  if (!options) return { source: options, extras: null, options: null };
  const extras = new VisitExtras(options.roomId, logger);
  return { source: options, extras, options: extras.withHooks(options) };
}

/** Binds the extras to the engine while both exist. */
export function useBindVisitExtras(extras: VisitExtras | null, engine: CallEngineApi | null): void {
  useEffect(() => {
    if (!extras || !engine) return;
    return extras.bind(engine);
  }, [extras, engine]);
}

const emptyFiles: FileShareSnapshot = { peers: [], transfers: [] };
const emptyConsent: RecordingConsentSnapshot = { state: null, prompt: null, accepted: false };
const noSubscribe = () => () => {};

export function useFileShare(extras: VisitExtras | null): FileShareSnapshot {
  return useSyncExternalStore(
    extras ? extras.files.subscribe : noSubscribe,
    extras ? extras.files.getSnapshot : () => emptyFiles,
    extras ? extras.files.getSnapshot : () => emptyFiles,
  );
}

export function useRecordingConsent(extras: VisitExtras | null): RecordingConsentSnapshot {
  return useSyncExternalStore(
    extras ? extras.consent.subscribe : noSubscribe,
    extras ? extras.consent.getSnapshot : () => emptyConsent,
    extras ? extras.consent.getSnapshot : () => emptyConsent,
  );
}
