// DOM: the pre-call check. The patient sees and hears that camera and microphone work, picks
// devices, says their name and joins. What the check found travels with `join-room` so the
// doctor's waiting-room card shows it.
import type { Precheck } from '@bedside/shared';
import {
  useAudioLevel,
  useBackgroundBlur,
  useLocalPreview,
  useMediaDevices,
} from '@bedside/shared/react';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useT, type MessageId, type T } from '../i18n/i18n.ts';
import { BlurStatusText } from '../ui/BlurStatus.tsx';
import { Page } from '../ui/Page.tsx';
import { VideoView } from '../ui/VideoView.tsx';
import type { GuestRole } from '../link/joinLink.ts';
import { JoiningAs } from '../screens/JoiningAs.tsx';
import { checkConnection, type ConnectionLevel } from './connectionCheck.ts';
import { permissionSteps, platformFamily } from './platform.ts';
import { NAME_MAX, validateName } from './validateName.ts';

export interface JoinRequest {
  userName: string;
  /**
   * A stream the engine takes over (a clone: the preview releases its own on unmount); `null`
   * when the browser refused or has no camera and microphone (join to listen and chat);
   * `undefined` when Join came before the preview's devices opened — the engine then opens them
   * itself rather than join with nothing to send.
   */
  stream: MediaStream | null | undefined;
  precheck: Precheck;
  cameraId: string | null;
  microphoneId: string | null;
  speakerId: string | null;
  /** Background blur asked for in the check; the call turns it on before the doctor admits. */
  blur: boolean;
}

interface Props {
  serverUrl: string;
  token: string;
  initialName: string;
  /** A guest's role (interpreter, …), said at the top; null for the patient. */
  guestRole: GuestRole | null;
  onJoin: (request: JoinRequest) => void;
}

const canChooseSpeaker =
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

export function PrecheckScreen({ serverUrl, token, initialName, guestRole, onJoin }: Props) {
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [microphoneId, setMicrophoneId] = useState<string | null>(null);
  const [speakerId, setSpeakerId] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [name, setName] = useState(initialName);
  const [nameError, setNameError] = useState<MessageId | null>(null);
  const [connection, setConnection] = useState<ConnectionLevel | 'checking'>('checking');
  const ids = useId();
  const t = useT();

  // A new object on "Try again" asks the browser again (after the patient changed a setting).
  const constraints = useMemo<MediaStreamConstraints>(
    () => ({
      video: cameraId
        ? { deviceId: { exact: cameraId }, width: { ideal: 1280 }, height: { ideal: 720 } }
        : { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: microphoneId
        ? { deviceId: { exact: microphoneId }, echoCancellation: true, noiseSuppression: true }
        : { echoCancellation: true, noiseSuppression: true },
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `attempt` only forces a new request
    [cameraId, microphoneId, attempt],
  );
  const { stream, error } = useLocalPreview(constraints);
  const level = useAudioLevel(stream);
  const devices = useMediaDevices();
  const [blurWanted, setBlurWanted] = useState(false);
  const blur = useBackgroundBlur({
    enabled: blurWanted,
    camera: stream?.getVideoTracks()[0] ?? null,
    assetBase: __BEDSIDE_MEDIAPIPE_BASE__,
    onGaveUp: () => setBlurWanted(false),
  });

  useEffect(() => {
    const abort = new AbortController();
    void checkConnection(serverUrl, token, abort.signal).then((r) => {
      if (!abort.signal.aborted) setConnection(r.level);
    });
    return () => abort.abort();
  }, [serverUrl, token]);

  const hasVideo = (stream?.getVideoTracks().length ?? 0) > 0;
  const hasAudio = (stream?.getAudioTracks().length ?? 0) > 0;
  const deviceState = (ok: boolean): Precheck['camera'] =>
    ok ? 'ok' : error === 'denied' ? 'denied' : error === 'missing' ? 'missing' : 'unknown';
  const starting = stream === null && error === null;
  const camera = deviceState(hasVideo);
  const microphone = deviceState(hasAudio);
  const family = useMemo(
    () => platformFamily(navigator.userAgent, navigator.maxTouchPoints ?? 0),
    [],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = validateName(name);
    setNameError(problem);
    if (problem) {
      document.getElementById(`${ids}-name`)?.focus();
      return;
    }
    onJoin({
      userName: name.trim(),
      stream: stream ? stream.clone() : starting ? undefined : null,
      precheck: {
        camera,
        microphone,
        connection: connection === 'checking' ? 'unknown' : connection,
      },
      cameraId: cameraId ?? stream?.getVideoTracks()[0]?.getSettings().deviceId ?? null,
      microphoneId: microphoneId ?? stream?.getAudioTracks()[0]?.getSettings().deviceId ?? null,
      speakerId,
      blur: blurWanted,
    });
  };

  const label = (d: MediaDeviceInfo, i: number, kind: MessageId) =>
    d.label || t('precheck.deviceN', { kind: t(kind), n: i + 1 });
  const currentCamera = cameraId ?? stream?.getVideoTracks()[0]?.getSettings().deviceId ?? '';
  const currentMic = microphoneId ?? stream?.getAudioTracks()[0]?.getSettings().deviceId ?? '';
  const levelPct = Math.round(Math.min(1, Math.max(0, level)) * 100);

  return (
    <Page title={t('precheck.title')}>
      <JoiningAs role={guestRole} />
      <p className="muted">{t('precheck.intro')}</p>

      <div className="preview">
        <VideoView
          stream={hasVideo ? (blur.preview ?? stream) : null}
          label={t('precheck.preview')}
          self
        />
        {!hasVideo && (
          <div className="preview-empty">
            {starting ? t('precheck.starting') : t('precheck.noPicture')}
          </div>
        )}
      </div>

      {hasVideo && (
        <div className="blur-row">
          <button
            type="button"
            role="switch"
            aria-checked={blurWanted}
            className="switch"
            onClick={() => setBlurWanted((w) => !w)}
          >
            <span className="switch-track" aria-hidden="true" />
            {t('blur.label')}
          </button>
          <BlurStatusText t={t} state={blur.state} />
        </div>
      )}

      <div className="meter">
        <span id={`${ids}-meter`}>{t('precheck.microphone')}</span>
        <div
          className="meter-track"
          role="meter"
          aria-labelledby={`${ids}-meter`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={levelPct}
          aria-valuetext={
            hasAudio ? t('precheck.level', { percent: levelPct }) : t('precheck.noMicrophone')
          }
        >
          <div className="meter-fill" style={{ transform: `scaleX(${levelPct / 100})` }} />
        </div>
      </div>
      <p className="hint">{hasAudio ? t('precheck.saySomething') : ''}</p>

      {error && (
        <div className="notice" role="alert">
          <strong>
            {t(
              error === 'denied'
                ? 'precheck.error.denied'
                : error === 'missing'
                  ? 'precheck.error.missing'
                  : error === 'in-use'
                    ? 'precheck.error.inUse'
                    : error === 'insecure'
                      ? 'precheck.error.insecure'
                      : 'precheck.error.unknown',
            )}
          </strong>
          <ol>
            {permissionSteps(error, family).map((step) => (
              <li key={step}>{t(step)}</li>
            ))}
          </ol>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => setAttempt((a) => a + 1)}
          >
            {t('precheck.retry')}
          </button>
        </div>
      )}

      <ul className="status-list" aria-label={t('precheck.results')}>
        <StatusRow t={t} label={t('precheck.camera')} value={camera} pending={starting} />
        <StatusRow t={t} label={t('precheck.microphone')} value={microphone} pending={starting} />
        <li>
          <span>{t('precheck.connection')}</span>
          <span
            className={
              connection === 'good'
                ? 'status-ok'
                : connection === 'checking'
                  ? 'muted'
                  : 'status-meh'
            }
          >
            {connection === 'checking'
              ? t('precheck.checking')
              : t(`precheck.connection.${connection}`)}
          </span>
        </li>
      </ul>

      <form onSubmit={submit} noValidate>
        {(devices.cameras.length > 0 || devices.microphones.length > 0) && (
          <details className="devices">
            <summary>{t('precheck.devices')}</summary>
            {devices.cameras.length > 0 && (
              <div className="field">
                <label htmlFor={`${ids}-cam`}>{t('precheck.camera')}</label>
                <select
                  id={`${ids}-cam`}
                  value={currentCamera}
                  onChange={(e) => setCameraId(e.target.value || null)}
                >
                  {devices.cameras.map((d, i) => (
                    <option key={d.deviceId || i} value={d.deviceId}>
                      {label(d, i, 'precheck.camera')}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {devices.microphones.length > 0 && (
              <div className="field">
                <label htmlFor={`${ids}-mic`}>{t('precheck.microphone')}</label>
                <select
                  id={`${ids}-mic`}
                  value={currentMic}
                  onChange={(e) => setMicrophoneId(e.target.value || null)}
                >
                  {devices.microphones.map((d, i) => (
                    <option key={d.deviceId || i} value={d.deviceId}>
                      {label(d, i, 'precheck.microphone')}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {canChooseSpeaker && devices.speakers.length > 0 && (
              <div className="field">
                <label htmlFor={`${ids}-spk`}>{t('precheck.speaker')}</label>
                <select
                  id={`${ids}-spk`}
                  value={speakerId ?? ''}
                  onChange={(e) => setSpeakerId(e.target.value || null)}
                >
                  {devices.speakers.map((d, i) => (
                    <option key={d.deviceId || i} value={d.deviceId}>
                      {label(d, i, 'precheck.speaker')}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </details>
        )}

        <div className="field">
          <label htmlFor={`${ids}-name`}>{t('precheck.name')}</label>
          <input
            id={`${ids}-name`}
            name="name"
            autoComplete="name"
            maxLength={NAME_MAX}
            required
            value={name}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${ids}-name-error` : `${ids}-name-hint`}
            onChange={(e) => setName(e.target.value)}
          />
          {nameError ? (
            <span id={`${ids}-name-error`} className="field-error">
              {t(nameError, { max: NAME_MAX })}
            </span>
          ) : (
            <span id={`${ids}-name-hint`} className="hint">
              {t('precheck.nameHint')}
            </span>
          )}
        </div>

        <button type="submit" className="btn btn-block">
          {t('precheck.join')}
        </button>
      </form>
    </Page>
  );
}

function StatusRow({
  t,
  label,
  value,
  pending,
}: {
  t: T;
  label: string;
  value: Precheck['camera'];
  pending: boolean;
}) {
  if (pending) {
    return (
      <li>
        <span>{label}</span>
        <span className="muted">{t('precheck.checking')}</span>
      </li>
    );
  }
  const text = t(`precheck.state.${value}`);
  return (
    <li>
      <span>{label}</span>
      <span className={value === 'ok' ? 'status-ok' : 'status-bad'}>{text}</span>
    </li>
  );
}
