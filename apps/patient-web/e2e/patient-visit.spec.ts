// End-to-end: a whole visit with real media both ways. The patient uses the built join page on
// a phone-sized screen; the doctor runs the same call engine in a second browser context (the
// test harness in e2e/support). A reload mid-call must bring the patient straight back in.
import {
  PHONE,
  createMeeting,
  expect,
  expectRising,
  joinFromLink,
  frameStats,
  getMeeting,
  openDoctorPage,
  requirePatientWebBuild,
  test,
  trackPeerConnections,
  videoFrames,
} from '../../../e2e/support/index.ts';

test.use({ ...PHONE });
requirePatientWebBuild();

test('a full visit: admitted, media both ways, reload mid-call rejoins, doctor ends', async ({
  doctorContext,
  page,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token, {
    patientName: 'Reload Case',
  });
  const doc = await openDoctorPage(doctorContext, service, doctor, roomId);

  await trackPeerConnections(page);
  await joinFromLink(page, patientJoinUrl, 'Rita Reload');

  await doc.admitByName('Rita Reload');

  await expect(page.getByRole('button', { name: 'Leave visit' })).toBeVisible();
  const patientIn = async () => (await frameStats(page)).peers.framesDecoded;
  const patientAudio = async () => (await frameStats(page)).peers.audioPacketsReceived;
  const doctorIn = async () => (await frameStats(doc.page)).peers.framesDecoded;
  await expectRising(patientIn, "patient's inbound video frames (doctor's camera)");
  await expectRising(patientAudio, "patient's inbound audio packets");
  await expectRising(doctorIn, "doctor's inbound video frames (patient's camera)");
  await expect.poll(async () => (await doc.view())?.peerName).toBe('Rita Reload');

  // The doctor's microphone and screen share, as the patient sees them.
  await doc.setMicrophoneEnabled(false);
  await expect(page.getByTestId('doctor-muted')).toBeVisible();
  await doc.setMicrophoneEnabled(true);
  await expect(page.getByTestId('doctor-muted')).toHaveCount(0);
  await doc.startScreenShare();
  await expect(page.getByText('The doctor is sharing their screen')).toBeVisible();
  await expectRising(
    () => videoFrames(page, 'Screen shared by the doctor'),
    "the doctor's shared screen on the patient's page",
  );
  await doc.stopScreenShare();
  await expect(page.getByLabel('Screen shared by the doctor')).toHaveCount(0);

  // Reload mid-call: the token is no longer in the address bar, only in this tab's storage.
  expect(page.url()).not.toContain('token=');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Leave visit' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Check your camera and microphone' })).toHaveCount(
    0,
  );
  await expectRising(patientIn, "patient's inbound video frames after the reload");
  await expectRising(doctorIn, "doctor's inbound video frames after the patient's reload");

  const during = await getMeeting(service, doctor.token, roomId);
  expect(during.status).toBe('active');
  // One participant entry per join: the reload shows as a second patient entry.
  expect(during.participants.filter((p) => p.userType === 'patient').length).toBeGreaterThanOrEqual(
    2,
  );

  await doc.endCall();
  await expect(page.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
  await expect(page.getByText(/The visit lasted \d+ (second|minute)/)).toBeVisible();
  expect((await getMeeting(service, doctor.token, roomId)).status).toBe('completed');

  // After the end, a reload does not rejoin: the service says the visit is over.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'The visit has ended' })).toBeVisible();
  await expect(page.getByText('This visit already took place')).toBeVisible();
});

// A phone slow to open its camera: the patient taps Join while the preview still says
// "Starting your camera…". They must still be seen and heard once admitted, not join with nothing to
// send (the page used to hand the engine an empty stream then).
test('Join tapped before the camera opened: the doctor still sees and hears the patient', async ({
  doctorContext,
  page,
  service,
  doctor,
}) => {
  const { roomId, patientJoinUrl } = await createMeeting(service, doctor.token, {
    patientName: 'Slow Camera',
  });
  const doc = await openDoctorPage(doctorContext, service, doctor, roomId);
  await trackPeerConnections(page);
  // The preview's first getUserMedia answers after 4 s, as a slow camera or an unanswered
  // permission prompt would; later calls (the engine's) answer at once.
  await page.addInitScript(() => {
    const md = navigator.mediaDevices;
    const native = md.getUserMedia.bind(md);
    let first = true;
    md.getUserMedia = async (constraints) => {
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, 4_000));
      }
      return native(constraints);
    };
  });
  await page.goto(patientJoinUrl);
  await page.getByLabel('Your name').fill('Sam Slow');
  await expect(page.getByText('Starting your camera…')).toBeVisible();
  await page.getByRole('button', { name: 'Join visit' }).click();
  await expect(page.getByRole('heading', { name: 'Waiting for the doctor' })).toBeVisible();

  await doc.admitByName('Sam Slow');
  await expectRising(
    async () => (await frameStats(doc.page)).peers.framesDecoded,
    "doctor's inbound video frames (patient's camera)",
  );
  await expectRising(
    async () => (await frameStats(doc.page)).peers.audioPacketsReceived,
    "doctor's inbound audio packets (patient's microphone)",
  );
});
