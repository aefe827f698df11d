// DOM: asks the service whether this join link still opens its room, before the patient spends
// time on the camera check or reaches a waiting room that would never open. The Socket.io
// handshake is the judge: it refuses a bad token (`unauthorized`), a token for another room or
// role (`forbidden`), and a cancelled or finished meeting (`room-closed`). The probe connects,
// reads the verdict and disconnects; it never joins the room.
import { io } from 'socket.io-client';

export type LinkVerdict =
  | { kind: 'ok' }
  | { kind: 'refused'; code: string; message: string }
  /** The service could not be reached; the join itself will try again. */
  | { kind: 'unreachable' };

export function probeLink(
  serverUrl: string,
  token: string,
  timeoutMs = 8000,
): Promise<LinkVerdict> {
  return new Promise((resolve) => {
    const socket = io(serverUrl, {
      auth: { token, client: 'patient-web' },
      reconnection: false,
      timeout: timeoutMs,
      forceNew: true,
    });
    const done = (verdict: LinkVerdict) => {
      socket.off();
      socket.disconnect();
      resolve(verdict);
    };
    socket.on('connect', () => done({ kind: 'ok' }));
    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      const data = err.data as { code?: unknown; message?: unknown } | undefined;
      if (data && typeof data.code === 'string') {
        done({
          kind: 'refused',
          code: data.code,
          message: typeof data.message === 'string' ? data.message : err.message,
        });
      } else {
        done({ kind: 'unreachable' });
      }
    });
  });
}
