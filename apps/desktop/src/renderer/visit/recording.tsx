// DOM: the doctor's recording control. Record asks where to save (native save dialog in
// Electron), then asks everyone's consent through the service; the recorder follows the
// consent state. A persistent indicator shows while recording or paused.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { BedsideBridge, ErrorBody, Result } from '@bedside/shared';
import {
  DoctorRecording,
  type DoctorRecordingPhase,
  type RecorderSource,
  type RecordingConsentSnapshot,
  type RecordingSink,
  type VisitExtras,
} from '@bedside/shared/call';
import { t, useT } from '../i18n/i18n';
import { createLogger } from '../logger';
import { bridgeErrorText, type BridgeOperation } from '../ui/bridgeError';

const log = createLogger('recording');

/** A failed bridge call as an Error the recording's `failed` phase shows: worded by its code. */
function bridgeFailure(operation: BridgeOperation, error: ErrorBody): Error {
  log.warn('recording-bridge-failed', { operation, code: error.code });
  return new Error(bridgeErrorText(t, operation, error));
}

/** The recording goes through the bridge: a file stream in Electron, a download in a browser. */
export function bridgeSink(bridge: BedsideBridge, id: string): RecordingSink {
  const check = <D,>(r: Result<D>) => {
    if (!r.ok) throw bridgeFailure('recording.write', r.error);
    return r.data;
  };
  return {
    write: async (chunk) => void check(await bridge.recording.write(id, chunk)),
    close: async () => void check(await bridge.recording.close(id)),
    abort: async () => void check(await bridge.recording.abort(id)),
  };
}

export function useDoctorRecording(
  extras: VisitExtras | null,
  bridge: BedsideBridge,
  fileName: string,
  sources: () => RecorderSource[],
): DoctorRecording | null {
  const [rec, setRec] = useState<DoctorRecording | null>(null);
  const sourcesRef = useRef(sources);
  useEffect(() => {
    sourcesRef.current = sources;
  });
  useEffect(() => {
    if (!extras) return;
    const r = new DoctorRecording({
      consent: extras.consent,
      sources: () => sourcesRef.current(),
      openSink: async () => {
        const opened = await bridge.recording.open(fileName);
        if (!opened.ok) throw bridgeFailure('recording.open', opened.error);
        return opened.data ? bridgeSink(bridge, opened.data.id) : null;
      },
    });
    setRec(r);
    return () => {
      r.dispose();
      setRec(null);
    };
  }, [extras, bridge, fileName, sourcesRef]);
  return rec;
}

const noSubscribe = () => () => {};
const IDLE: DoctorRecordingPhase = { kind: 'idle' };

export function useRecordingPhase(rec: DoctorRecording | null): DoctorRecordingPhase {
  return useSyncExternalStore(
    rec ? rec.subscribe : noSubscribe,
    rec ? rec.getSnapshot : () => IDLE,
    rec ? rec.getSnapshot : () => IDLE,
  );
}

export function RecordingIndicator({ consent }: { consent: RecordingConsentSnapshot }) {
  const t = useT();
  const status = consent.state?.status ?? 'off';
  if (status === 'off') return null;
  const waiting = consent.state?.waitingFor ?? 0;
  const text =
    status === 'recording'
      ? t('recording.on')
      : status === 'paused'
        ? t('recording.paused', { count: waiting })
        : t('recording.asking', { count: waiting });
  return (
    <span
      className={status === 'recording' ? 'pill pill-rec' : 'pill pill-warn'}
      role="status"
      data-testid="recording-indicator"
    >
      <span className="rec-dot" aria-hidden="true" /> {text}
    </span>
  );
}

export function RecordButton(props: { rec: DoctorRecording | null; phase: DoctorRecordingPhase }) {
  const t = useT();
  const { rec, phase } = props;
  const live = phase.kind === 'asking' || phase.kind === 'recording' || phase.kind === 'paused';
  return (
    <button
      type="button"
      className={live ? 'ctrl ctrl-active' : 'ctrl'}
      disabled={!rec || phase.kind === 'choosing' || phase.kind === 'saving'}
      aria-pressed={live}
      onClick={() => void (live ? rec?.stop() : rec?.begin())}
    >
      <span className="rec-dot" aria-hidden="true" />
      <span>{live ? t('recording.stop') : t('recording.record')}</span>
    </button>
  );
}

export function RecordingNotice({ phase }: { phase: DoctorRecordingPhase }) {
  const t = useT();
  switch (phase.kind) {
    case 'declined':
      return (
        <p className="call-note" role="status">
          {t('recording.declined')}
        </p>
      );
    case 'saving':
      return (
        <p className="call-note" role="status">
          {t('recording.saving')}
        </p>
      );
    case 'saved':
      return (
        <p className="call-note" role="status" data-testid="recording-saved">
          {t('recording.saved', {
            megabytes: new Intl.NumberFormat(t.locale, {
              minimumFractionDigits: 1,
              maximumFractionDigits: 1,
            }).format(phase.bytes / 1024 / 1024),
          })}
        </p>
      );
    case 'failed':
      return (
        <p className="error-text call-error" role="alert">
          {t('recording.failed', { message: phase.message })}
        </p>
      );
    default:
      return null;
  }
}
