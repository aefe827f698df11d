// DOM: one run of the call engine, from join to end, mapped onto the patient's screens.
// A new run (rejoin) is a new component instance with a new engine.
import type { CallEngineOptions } from '@bedside/shared/call';
import {
  useBackgroundBlur,
  useBindVisitExtras,
  useCallEngine,
  useCallSnapshot,
  useMediaDevices,
  useVisitExtras,
} from '@bedside/shared/react';
import { useEffect, useRef, useState } from 'react';
import { clearResume, saveResume } from '../link/joinLink.ts';
import {
  CancelledLink,
  Ended,
  ErrorScreen,
  ExpiredLink,
  InvalidLink,
  Joining,
  Removed,
  VisitOver,
} from '../screens/MessageScreens.tsx';
import type { GuestRole } from '../link/joinLink.ts';
import { screenForCall, type Screen } from '../screens/screen.ts';
import { WaitingScreen } from '../screens/WaitingScreen.tsx';
import { useT } from '../i18n/i18n.ts';
import { describeChange } from './announcements.ts';
import { InCallScreen } from './InCallScreen.tsx';

interface Props {
  options: CallEngineOptions;
  speakerId: string | null;
  /** Background blur asked for in the pre-call check (or before a reload). */
  blur: boolean;
  storage: Storage | null;
  expiredByClock: boolean;
  /** A guest's role, shown while waiting; null for the patient. */
  guestRole: GuestRole | null;
  announce: (text: string) => void;
  onRejoin: () => void;
  onRetry: () => void;
}

const JOINING: Screen = { kind: 'joining' };

export function CallView({
  options,
  speakerId,
  blur: blurAtStart,
  storage,
  expiredByClock,
  guestRole,
  announce,
  onRejoin,
  onRetry,
}: Props) {
  const t = useT();
  // Files and recording consent ride beside the call, hooked into each peer connection.
  const visit = useVisitExtras(options);
  const engine = useCallEngine(visit.options);
  useBindVisitExtras(visit.extras, engine);
  const snapshot = useCallSnapshot(engine);
  const devices = useMediaDevices();
  // Applied from the waiting room on, so the doctor never sees the room before the blur.
  const [blurWanted, setBlurWanted] = useState(blurAtStart);
  const blur = useBackgroundBlur({
    enabled: blurWanted,
    camera: snapshot?.localStream?.getVideoTracks()[0] ?? null,
    assetBase: __BEDSIDE_MEDIAPIPE_BASE__,
    onGaveUp: () => setBlurWanted(false),
    engine,
  });

  // The hook joins on creation; failures arrive through the snapshot (`ended` with an error).
  // The screen a reconnect overlays: adjusted during render, the way React documents for
  // state that follows other state.
  const [settled, setSettled] = useState<'waiting' | 'in-call'>('waiting');
  const stateKind = snapshot?.state.kind;
  const nowSettled =
    stateKind === 'waiting' ? 'waiting' : stateKind === 'connected' ? 'in-call' : settled;
  if (nowSettled !== settled) setSettled(nowSettled);
  const screen = snapshot ? screenForCall(snapshot.state, nowSettled, expiredByClock) : JOINING;

  const previous = useRef<Screen>(JOINING);
  const doctorSeen = useRef(false);

  const { roomId } = options;
  useEffect(() => {
    const from = previous.current;
    previous.current = screen;
    const change = describeChange(from, screen, doctorSeen.current);
    if (screen.kind === 'in-call' && screen.doctorPresent) doctorSeen.current = true;
    if (change) announce(t(change));
    if (from.kind === screen.kind) return;
    switch (screen.kind) {
      case 'waiting':
      case 'in-call':
        saveResume(storage, roomId, {
          userName: options.userName,
          cameraId: snapshot?.devices.cameraId ?? options.cameraId ?? null,
          microphoneId: snapshot?.devices.microphoneId ?? options.microphoneId ?? null,
          blur: blurWanted,
        });
        break;
      // The token stays (this tab only): a reload asks the service again, which knows the
      // visit is over, cancelled or expired and says so.
      case 'ended':
      case 'cancelled':
      case 'expired':
      case 'invalid-link':
      case 'visit-over':
      case 'removed':
        clearResume(storage, roomId);
        break;
      default:
        break;
    }
  });

  if (!engine || !snapshot) return <Joining />;

  const leave = () => engine.leave();
  const selfView = blur.preview ?? snapshot.localStream;
  const blurControl = {
    state: blur.state,
    on: blurWanted,
    selfView,
    toggle: () => setBlurWanted((w) => !w),
  };

  switch (screen.kind) {
    case 'checking-link':
    case 'precheck':
    case 'joining':
      return <Joining />;
    case 'waiting':
      return (
        <WaitingScreen
          stream={selfView}
          reconnecting={false}
          blur={blur.state}
          guestRole={guestRole}
          onLeave={leave}
        />
      );
    case 'reconnecting':
      if (screen.over === 'waiting') {
        return (
          <WaitingScreen
            stream={selfView}
            reconnecting
            blur={blur.state}
            guestRole={guestRole}
            onLeave={leave}
          />
        );
      }
      return (
        <InCallScreen
          snapshot={snapshot}
          engine={engine}
          extras={visit.extras}
          doctorPresent
          reconnecting
          cameraCount={devices.cameras.length}
          speakerId={speakerId}
          blur={blurControl}
          onLeave={leave}
          announce={announce}
        />
      );
    case 'in-call':
      return (
        <InCallScreen
          snapshot={snapshot}
          engine={engine}
          extras={visit.extras}
          doctorPresent={screen.doctorPresent}
          reconnecting={false}
          cameraCount={devices.cameras.length}
          speakerId={speakerId}
          blur={blurControl}
          onLeave={leave}
          announce={announce}
        />
      );
    case 'ended':
      return (
        <Ended
          by={screen.by}
          durationSeconds={screen.durationSeconds}
          onRejoin={screen.by === 'you' ? onRejoin : null}
        />
      );
    case 'cancelled':
      return <CancelledLink />;
    case 'expired':
      return <ExpiredLink />;
    case 'invalid-link':
      return <InvalidLink />;
    case 'visit-over':
      return <VisitOver />;
    case 'removed':
      return <Removed />;
    case 'error':
      return <ErrorScreen message={screen.message} onRetry={screen.retry ? onRetry : null} />;
  }
}
