// End-to-end: the doctor's renderer in Chromium (browser stand-in for the preload bridge) across
// a crash of the real service (SIGKILL, then a restart on the same port and data). The
// screen-reader announcement ("… is in the waiting room") must describe the present: once the
// patient is admitted, and after the restart with the patient back in the call, nothing says
// they are waiting.
//
// Needs `npm run build:web -w apps/desktop` (dist-web).
import type { Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import {
  createVisit,
  DEMO_USERS,
  expect,
  getMeeting,
  loginAs,
  signIn,
  startTestService,
  appUrl,
  desktopTest,
  requireDesktopWebBuild,
  tokenFromJoinUrl,
  type TestService,
} from '../../../e2e/support/index.ts';

const test = desktopTest;

requireDesktopWebBuild();

/** A patient in Node: real socket.io-client with the link's token, no media. */
async function patientJoins(
  service: TestService,
  link: string,
  input: { roomId: string; patientId: string },
): Promise<{ socket: Socket; status: string }> {
  const socket = io(service.url, {
    auth: { token: tokenFromJoinUrl(link), client: 'other' },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(10_000).emitWithAck('join-room', {
    roomId: input.roomId,
    userId: input.patientId,
    userType: 'patient',
    userName: 'Grace Hopper',
  })) as { ok: boolean; data?: { status: string } };
  expect(ack.ok).toBe(true);
  return { socket, status: ack.data!.status };
}

const waitingAnnouncement = (page: Page) =>
  page.getByRole('status').filter({ hasText: 'is in the waiting room' });

test('the doctor is not told a patient is waiting once they are in the call, also after a service crash', async ({
  page,
  web,
}) => {
  let service = await startTestService({ CORS_ORIGINS: web.origin });
  const sockets: Socket[] = [];
  try {
    await page.goto(appUrl(web, service));
    await signIn(page, DEMO_USERS.doctor.email, DEMO_USERS.doctor.password);
    const { appointmentId, link } = await createVisit(page, 'Grace Hopper', 'restart');
    await page.getByRole('button', { name: 'Open visit with Grace Hopper' }).click();
    await expect(page.getByText('You are in the visit room')).toBeVisible();

    const roomId = `room-${appointmentId}`;
    const { token } = await loginAs(service, 'doctor');
    const { patientId } = await getMeeting(service, token, roomId);
    const first = await patientJoins(service, link, { roomId, patientId });
    sockets.push(first.socket);
    expect(first.status).toBe('waiting');
    await expect(waitingAnnouncement(page)).toHaveText('Grace Hopper is in the waiting room.');

    const card = page.getByRole('listitem').filter({ hasText: 'Grace Hopper' });
    await card.getByRole('button', { name: 'Admit' }).click();
    await expect(page.getByRole('button', { name: 'End visit' })).toBeVisible();
    // Admitted: the live region no longer claims she is waiting.
    await expect(waitingAnnouncement(page)).toHaveCount(0);

    // kill -9 mid-call; the same service comes back on the same address and data.
    await service.kill();
    first.socket.disconnect();
    service = await startTestService(
      { CORS_ORIGINS: web.origin },
      { from: { port: service.port, dataDir: service.dataDir, jwtSecret: service.jwtSecret } },
    );
    // The patient's app reconnects and goes straight back in (admitted before).
    const again = await patientJoins(service, link, { roomId, patientId });
    sockets.push(again.socket);
    expect(again.status).toBe('joined');
    // The doctor's app reconnects by itself and is back in the call with her.
    await expect(page.getByRole('heading', { name: 'Grace Hopper', exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByRole('button', { name: 'End visit' })).toBeVisible();
    await expect(waitingAnnouncement(page)).toHaveCount(0);
    await expect(page.getByTestId('waiting-count')).toHaveCount(0);
  } finally {
    for (const s of sockets) s.disconnect();
    await service.close();
  }
});
