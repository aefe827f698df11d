// End-to-end: a screen shared with the computer's sound (the desktop app on Windows, Electron's
// `audio: 'loopback'`) reaches the patient's page in real Chromium as a second inbound audio
// stream beside the doctor's voice, and goes away with the screen. Electron's loopback cannot
// run here: the doctor's page stands in for it by answering `getDisplayMedia({ audio: true })`
// with Chromium's fake screen plus a tone from Web Audio.
import type { Page } from '@playwright/test';
import {
  PHONE,
  createMeeting,
  expect,
  expectRising,
  joinFromLink,
  openDoctorPage,
  requirePatientWebBuild,
  test,
  trackPeerConnections,
  videoFrames,
} from '../../../e2e/support/index.ts';

test.use({ ...PHONE });
requirePatientWebBuild();

/** Packets received on each inbound audio stream, in m-line order (voice first). */
const inboundAudio = (page: Page) =>
  page.evaluate(async () => {
    const rows: Array<{ mid: number; packets: number }> = [];
    for (const pc of window.__bedsideE2ePeers ?? []) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio')
          rows.push({ mid: Number(s.mid), packets: Number(s.packetsReceived ?? 0) });
      });
    }
    return rows.sort((a, b) => a.mid - b.mid).map((r) => r.packets);
  });

test("the doctor's screen with the computer's sound: the patient receives both, then neither", async ({
  doctorContext,
  page,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token, {
    patientName: 'Sound Case',
  });
  // The stand-in for Electron's loopback answer (see the top of this file).
  await doctorContext.addInitScript(() => {
    const md = navigator.mediaDevices;
    const native = md.getDisplayMedia.bind(md);
    md.getDisplayMedia = async (constraints?: DisplayMediaStreamOptions) => {
      const stream = await native({ video: constraints?.video ?? true, audio: false });
      if (!constraints?.audio) return stream;
      const ctx = new AudioContext();
      const tone = ctx.createOscillator();
      const out = ctx.createMediaStreamDestination();
      tone.connect(out);
      tone.start();
      await ctx.resume();
      return new MediaStream([...stream.getVideoTracks(), ...out.stream.getAudioTracks()]);
    };
  });
  const doc = await openDoctorPage(doctorContext, service, doctor, roomId);

  await trackPeerConnections(page);
  await joinFromLink(page, patientJoinUrl, 'Sami Sound');
  await doc.admitByName('Sami Sound');
  await expectRising(async () => (await inboundAudio(page))[0] ?? 0, "the doctor's voice");
  expect(await inboundAudio(page)).toHaveLength(1);

  await doc.startScreenShare({ systemAudio: true });
  const screenLabel = 'Screen shared by the doctor';
  await expectRising(() => videoFrames(page, screenLabel), "the doctor's screen");
  await expectRising(async () => (await inboundAudio(page))[1] ?? 0, "the computer's sound");
  await expectRising(async () => (await inboundAudio(page))[0] ?? 0, 'the voice, still');
  const screenAudio = () =>
    page.evaluate((label) => {
      const el = document.querySelector<HTMLVideoElement>(`video[aria-label="${label}"]`);
      return (el?.srcObject as MediaStream | null)?.getAudioTracks().length ?? null;
    }, screenLabel);
  expect(await screenAudio()).toBe(1);

  await doc.stopScreenShare();
  await expect.poll(screenAudio).toBeNull();
  await expectRising(async () => (await inboundAudio(page))[0] ?? 0, 'the voice after the share');
});
