// DOM: camera / microphone / speaker pickers, with a live microphone level.
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n';
import type { DeviceLists } from './engine';

export function DeviceSettings(props: {
  devices: DeviceLists;
  cameraId: string | null;
  microphoneId: string | null;
  speakerId: string | null;
  /** 0..1 */
  micLevel: number;
  onCamera: (deviceId: string) => void;
  onMicrophone: (deviceId: string) => void;
  onSpeaker: (deviceId: string) => void;
}) {
  const t = useT();
  const { devices } = props;
  return (
    <div className="device-settings">
      <DeviceSelect
        id="camera-select"
        label={t('devices.camera')}
        list={devices.cameras}
        value={props.cameraId}
        onChange={props.onCamera}
        none={t('devices.noCamera')}
      />
      <DeviceSelect
        id="microphone-select"
        label={t('devices.microphone')}
        list={devices.microphones}
        value={props.microphoneId}
        onChange={props.onMicrophone}
        none={t('devices.noMicrophone')}
      >
        {/* Visual only: it shows the microphone hears something while the doctor talks. */}
        <div className="meter" aria-hidden="true">
          <span style={{ transform: `scaleX(${Math.min(1, props.micLevel * 1.6)})` }} />
        </div>
      </DeviceSelect>
      {devices.speakers.length > 0 && (
        <DeviceSelect
          id="speaker-select"
          label={t('devices.speaker')}
          list={devices.speakers}
          value={props.speakerId}
          onChange={props.onSpeaker}
          none={t('devices.systemDefault')}
        />
      )}
    </div>
  );
}

function DeviceSelect(props: {
  id: string;
  label: string;
  list: readonly MediaDeviceInfo[];
  value: string | null;
  onChange: (deviceId: string) => void;
  none: string;
  children?: ReactNode;
}) {
  const known = props.list.some((d) => d.deviceId === props.value);
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={known ? (props.value ?? '') : (props.list[0]?.deviceId ?? '')}
        disabled={props.list.length === 0}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.list.length === 0 && <option value="">{props.none}</option>}
        {props.list.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || `${props.label} ${i + 1}`}
          </option>
        ))}
      </select>
      {props.children}
    </div>
  );
}
