// DOM: the call engine's React surface as this app uses it, with the engine's log lines routed
// to the renderer's logger (the engine logs only codes and numbers, never patient data).
import { useState } from 'react';
import {
  createLogger as createEngineLogger,
  type CallEngineApi,
  type CallEngineOptions,
  type LogSink,
} from '@bedside/shared/call';
import { useCallEngine } from '@bedside/shared/react';
import { createLogger } from '../logger';

export {
  useAudioLevel,
  useBackgroundBlur,
  useCallSnapshot,
  useMediaDevices,
} from '@bedside/shared/react';
export type { BlurState, DeviceLists } from '@bedside/shared/react';

const engineLog = createLogger('call-engine');
const sink: LogSink = (level, scope, message, context) =>
  engineLog[level](message, { engineScope: scope, ...context });

/** One engine for the visit (joins on mount, leaves on unmount). */
export function useVisitEngine(options: CallEngineOptions | null): CallEngineApi | null {
  const [deps] = useState(() => ({ logger: createEngineLogger('engine', sink) }));
  return useCallEngine(options, { deps });
}
