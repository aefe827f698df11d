// Pure: what the patient is told when the network holds their video down (adaptation.ts in
// @bedside/shared): video reduced, or — below the floor — too weak for video, with an
// audio-only offer. The same rule as the doctor's call bar; the person decides.
import type { CallSnapshot } from '@bedside/shared/call';

export type NetworkNotice = 'none' | 'reduced' | 'audio-only';

export function networkNotice(snap: Pick<CallSnapshot, 'network' | 'audioOnly'>): NetworkNotice {
  const net = snap.network;
  // Already audio-only: nothing left to offer.
  if (!net || net.step === 'full' || snap.audioOnly) return 'none';
  return net.suggestAudioOnly ? 'audio-only' : 'reduced';
}
