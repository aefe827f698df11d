// Main process (pure). Who may call an IPC handler: the main frame of a Bedside window, showing
// the app's own origin. A subframe, another origin (after a navigation slipped through) or a
// frame that is already gone is refused.

import type { IpcInvokeEventLike } from '../electron.js';
import { originOf } from '../security/origin.js';

export interface SenderPolicy {
  appOrigin: string;
  /** True for the WebContents of a window this app created. */
  isBedsideContents(webContentsId: number): boolean;
}

export type SenderVerdict =
  | { ok: true }
  | { ok: false; reason: 'no-frame' | 'foreign-origin' | 'subframe' | 'foreign-window' };

export function checkSender(event: IpcInvokeEventLike, policy: SenderPolicy): SenderVerdict {
  const frame = event.senderFrame;
  if (!frame || frame.isDestroyed?.()) return { ok: false, reason: 'no-frame' };
  if (originOf(frame.url) !== policy.appOrigin) return { ok: false, reason: 'foreign-origin' };
  if (frame.parent !== null) return { ok: false, reason: 'subframe' };
  if (!policy.isBedsideContents(event.sender.id)) return { ok: false, reason: 'foreign-window' };
  return { ok: true };
}
