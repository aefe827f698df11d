// DOM: the patient's path through a visit. Link check → camera check → waiting room → call →
// ended. A link that cannot open the visit (forged, expired, cancelled) stops at its own screen
// before the waiting room: the service's handshake judges it, the token's `exp` only breaks ties.
import type { CallEngineOptions } from '@bedside/shared/call';
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  clearResume,
  isExpired,
  loadResume,
  tabDeviceId,
  type JoinLink,
  type ResumeState,
} from './link/joinLink.ts';
import { probeLink } from './link/probeLink.ts';
import { PrecheckScreen, type JoinRequest } from './precheck/PrecheckScreen.tsx';
import {
  CancelledLink,
  CheckingLink,
  ErrorScreen,
  ExpiredLink,
  InvalidLink,
  Joining,
  Removed,
  VisitOver,
} from './screens/MessageScreens.tsx';
import { screenForRefusal, type LinkProblem } from './screens/screen.ts';

// The call (engine, zod contracts, in-call screens) loads after the link check: a patient whose
// link is cancelled or expired never downloads it, and the pre-call check shows sooner.
// Fetched as soon as the pre-call check shows, so "Join visit" does not wait for it.
const loadCallView = () => import('./call/CallView.tsx');
const CallView = lazy(() => loadCallView().then((m) => ({ default: m.CallView })));

interface Props {
  link: JoinLink;
  serverUrl: string;
  storage: Storage | null;
}

type Phase =
  | { kind: 'checking-link' }
  | { kind: 'problem'; screen: LinkProblem }
  | { kind: 'precheck' }
  | {
      kind: 'call';
      options: CallEngineOptions;
      speakerId: string | null;
      blur: boolean;
      attempt: number;
    };

export function App({ link, serverUrl, storage }: Props) {
  const [phase, setPhase] = useState<Phase>(() =>
    link.kind === 'ok'
      ? { kind: 'checking-link' }
      : { kind: 'problem', screen: { kind: 'invalid-link' } },
  );
  const [announcement, setAnnouncement] = useState('');
  const announce = useCallback((text: string) => {
    // Clearing first makes a repeated message count as new for screen readers.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(text));
  }, []);
  const attempts = useRef(0);
  const [deviceId] = useState(() => tabDeviceId(storage));
  // The name typed for this visit, offered again when the patient rejoins after leaving.
  const [lastName, setLastName] = useState('');

  const token = link.kind === 'ok' ? link.token : '';
  const guestRole = link.kind === 'ok' ? link.claims.guestRole : null;
  const roomId = link.kind === 'ok' ? link.roomId : '';
  // Judged once at load: a token that expires mid-visit does not end the visit (the service
  // checks the handshake, not the call), so neither should the page.
  const [expiredByClock] = useState(() => link.kind === 'ok' && isExpired(link.claims, Date.now()));

  const startCall = useCallback(
    (request: JoinRequest | ResumeState, speakerId: string | null) => {
      if (link.kind !== 'ok') return;
      const options: CallEngineOptions = {
        serverUrl,
        token: link.token,
        roomId: link.roomId,
        // The token is the identity; the service refuses a userId that differs from its subject.
        userId: link.claims.sub ?? 'patient',
        // A guest's link (interpreter, family member, clinician) joins as a guest.
        userType: link.claims.guestRole ? 'guest' : 'patient',
        userName: request.userName,
        client: 'patient-web',
        deviceId,
        cameraId: request.cameraId,
        microphoneId: request.microphoneId,
      };
      if ('precheck' in request) {
        options.precheck = request.precheck;
        // No stream at all (camera and microphone blocked): join to listen and chat rather
        // than have the engine ask again for what the patient's browser refuses. Joined before
        // the preview's devices opened (undefined): the engine opens them itself.
        if (request.stream !== undefined) options.localStream = request.stream ?? new MediaStream();
      }
      attempts.current += 1;
      setLastName(request.userName);
      setPhase({
        kind: 'call',
        options,
        speakerId,
        blur: request.blur ?? false,
        attempt: attempts.current,
      });
    },
    [deviceId, link, serverUrl],
  );

  const probe = useCallback(() => {
    if (link.kind !== 'ok') return;
    let cancelled = false;
    void probeLink(serverUrl, link.token).then((verdict) => {
      if (cancelled) return;
      if (verdict.kind === 'refused') {
        const screen = screenForRefusal(verdict.code, verdict.message, expiredByClock);
        if (screen.kind !== 'error') clearResume(storage, link.roomId);
        setPhase({ kind: 'problem', screen });
        return;
      }
      if (verdict.kind === 'unreachable' && expiredByClock) {
        setPhase({ kind: 'problem', screen: { kind: 'expired' } });
        return;
      }
      // A reload mid-visit goes straight back in, with the devices the patient had chosen.
      const resume = loadResume(storage, link.roomId);
      if (resume) startCall(resume, null);
      else setPhase({ kind: 'precheck' });
    });
    return () => {
      cancelled = true;
    };
  }, [link, serverUrl, storage, expiredByClock, startCall]);

  useEffect(() => probe(), [probe]);
  useEffect(() => {
    if (phase.kind === 'precheck') void loadCallView();
  }, [phase.kind]);
  const checkLink = useCallback(() => {
    setPhase({ kind: 'checking-link' });
    probe();
  }, [probe]);

  let body: ReactNode;
  switch (phase.kind) {
    case 'checking-link':
      body = <CheckingLink />;
      break;
    case 'problem':
      body = <ProblemScreen screen={phase.screen} onRetry={checkLink} />;
      break;
    case 'precheck':
      body = (
        <PrecheckScreen
          serverUrl={serverUrl}
          token={token}
          initialName={lastName || (loadResume(storage, roomId)?.userName ?? '')}
          guestRole={guestRole}
          onJoin={(request) => {
            startCall(request, request.speakerId);
          }}
        />
      );
      break;
    case 'call':
      body = (
        <Suspense fallback={<Joining />}>
          <CallView
            key={phase.attempt}
            options={phase.options}
            speakerId={phase.speakerId}
            blur={phase.blur}
            storage={storage}
            expiredByClock={expiredByClock}
            guestRole={guestRole}
            announce={announce}
            onRejoin={() => setPhase({ kind: 'precheck' })}
            onRetry={checkLink}
          />
        </Suspense>
      );
      break;
  }

  return (
    <>
      {body}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </>
  );
}

function ProblemScreen({ screen, onRetry }: { screen: LinkProblem; onRetry: () => void }) {
  switch (screen.kind) {
    case 'invalid-link':
      return <InvalidLink />;
    case 'expired':
      return <ExpiredLink />;
    case 'cancelled':
      return <CancelledLink />;
    case 'visit-over':
      return <VisitOver />;
    case 'removed':
      return <Removed />;
    case 'error':
      return <ErrorScreen message={screen.message} onRetry={screen.retry ? onRetry : null} />;
  }
}
