// Call setup time in real Chromium against the real service: from the doctor's admit to the
// first decoded remote video frame, on the patient's and on the doctor's side, beside the lower
// bound measured in the same run — two RTCPeerConnections wired directly in one page (no
// signaling, no server, camera already open). Target: ≤ 1.3× the lower bound.
// Also a functional check: it aborts unless video flows both ways through CallEngine.
//
//   npm run bench -- call-setup        (needs /usr/bin/chromium and `npx tsc -b` built shared)
//   BENCH_SQLITE_SYNCHRONOUS=full      the store's previous durability level instead of NORMAL
//   BENCH_COMPARE_SYNC=1               both levels, visits alternating, in the same run
//   BENCH_TRACE=1                      each visit's engine log lines, ms after the admit
import type { Page } from '@playwright/test';
import os from 'node:os';
import { chromiumAvailable, launchHarness } from './harness/browser.ts';
import { fail, fmtMs as fmt, quantile, until } from './harness/common.ts';
import {
  benchSqliteSynchronous,
  createVisit,
  loginDoctor,
  startRealService,
  type BenchService,
  type Doctor,
} from './harness/service.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const FRAME_TIMEOUT_MS = 30_000;
/** BENCH_TRACE=1: where each visit's setup time goes (engine log lines, ms after the admit). */
const TRACE = process.env.BENCH_TRACE === '1';

const bench = (page: Page) => ({
  eval: <T>(fn: string, arg?: unknown) =>
    page.evaluate(
      ([f, a]) =>
        (window as unknown as Record<string, Record<string, (x: unknown) => unknown>>).bench![
          f as string
        ]!(a),
      [fn, arg] as const,
    ) as Promise<T>,
});

type Bench = ReturnType<typeof bench>;
type Summary = {
  remoteScreen: boolean;
  remoteSharing: boolean;
  remoteMedia: { audio: boolean; video: boolean } | null;
};

/** Once per bench run, in the warm-up call: mute, screen share both ways, quality. */
async function functionalChecks(pat: Bench, doc: Bench) {
  await pat.eval('setMicrophoneEnabled', false);
  await until('the doctor to see the patient muted', async () => {
    const s = await doc.eval<Summary>('snapshotSummary');
    return s.remoteMedia?.audio === false;
  });
  await pat.eval('setMicrophoneEnabled', true);

  // The doctor (impolite) and then the patient (polite) share: each renegotiation adds a
  // second video stream on the other side, which keeps the camera.
  const pairs = [
    ['doctor', doc, pat],
    ['patient', pat, doc],
  ] as const;
  for (const [who, sharer, viewer] of pairs) {
    await sharer.eval('startScreenShare');
    await until(
      `the ${who}'s screen on the other side`,
      async () => {
        const s = await viewer.eval<Summary>('snapshotSummary');
        return s.remoteScreen && s.remoteSharing && (await viewer.eval<number>('screenFrames')) > 0;
      },
      20_000,
    );
    const cam = await viewer.eval<{ videoFrames: number }>('inbound');
    await new Promise((r) => setTimeout(r, 400));
    const cam2 = await viewer.eval<{ videoFrames: number }>('inbound');
    if (!(cam2.videoFrames > cam.videoFrames))
      fail(`video stalled during the ${who}'s screen share`);
    await sharer.eval('stopScreenShare');
    await until(`the ${who}'s screen share to end`, async () => {
      const s = await viewer.eval<Summary>('snapshotSummary');
      return !s.remoteScreen && !s.remoteSharing;
    });
  }

  type Q = { level: string; rttMs: number | null; bitrateKbps: number | null };
  const q = await until('a quality sample', () => doc.eval<Q | null>('quality'), 10_000);
  console.log(
    `functional checks passed: mute, screen share both ways, quality (doctor sees ${q.level}, rtt ${q.rttMs} ms, ${q.bitrateKbps} kbit/s)`,
  );
}

type M = { connected: number; frame: number };

/** Prints both sides' timestamped engine log lines (debug and info) relative to the admit. */
async function trace(t0: number, pages: Record<string, Bench>, ms: Record<string, M>) {
  const lines: { at: number; text: string }[] = [];
  for (const [who, b] of Object.entries(pages)) {
    for (const l of await b.eval<string[]>('logs')) {
      const m = /^(\d+) (.*)$/.exec(l);
      if (m && Number(m[1]) >= t0) lines.push({ at: Number(m[1]) - t0, text: `${who}: ${m[2]}` });
    }
    lines.push({ at: ms[who]!.connected - t0, text: `${who}: (bench) transport connected` });
    lines.push({ at: ms[who]!.frame - t0, text: `${who}: (bench) first decoded frame` });
  }
  lines.sort((a, b) => a.at - b.at);
  for (const l of lines)
    console.log(`    ${l.at.toFixed(0).padStart(5)} ms  ${l.text.slice(0, 110)}`);
}
const series = () => ({ connected: [] as number[], frame: [] as number[] });
type Series = ReturnType<typeof series>;

interface Target {
  /** How the figures are labelled: the store's durability level. */
  label: string;
  service: BenchService;
  doctor: Doctor;
  /** The doctor's and the patient's pages, on this service's origin. */
  doc: Bench;
  pat: Bench;
  engine: { patient: Series; doctor: Series; both: Series };
}

/** One visit: join both, admit, first frame both ways, checks, end. Times relative to the admit. */
async function visit(t: Target, run: number): Promise<{ p: M; d: M }> {
  const { doc, pat } = t;
  const v = await createVisit(t.service.url, t.doctor, `bench-${Date.now()}-${run + 1}`);
  const common = { serverUrl: t.service.url, roomId: v.roomId };
  const dState = await doc.eval<string>('join', {
    ...common,
    token: t.doctor.token,
    userId: t.doctor.userId,
    userType: 'doctor',
    userName: t.doctor.displayName,
    client: 'desktop',
    clientVersion: '0.1.0',
  });
  if (dState !== 'connected') fail(`doctor state after join: ${dState}`);
  const pState = await pat.eval<string>('join', {
    ...common,
    token: v.patientToken,
    userId: v.patientId,
    userType: 'patient',
    userName: 'Bench Patient',
    client: 'patient-web',
  });
  if (pState !== 'waiting') fail(`patient state after join: ${pState}`);
  const [socketId] = await until('the patient in the waiting room', async () => {
    const ids = await doc.eval<string[]>('waitingSocketIds');
    return ids.length ? ids : null;
  });

  await pat.eval('watchFirstFrame', FRAME_TIMEOUT_MS);
  await doc.eval('watchFirstFrame', FRAME_TIMEOUT_MS);
  const t0 = await doc.eval<number>('admit', socketId);
  const diagnose = async (who: string, e: Error): Promise<never> => {
    const p = await pat.eval('diagnostics').catch(() => null);
    const d = await doc.eval('diagnostics').catch(() => null);
    return fail(
      `${who}: ${e.message}\npatient: ${JSON.stringify(p)}\ndoctor: ${JSON.stringify(d)}`,
    );
  };
  const [tp, td] = await Promise.all([
    pat.eval<M>('firstFrameAt').catch((e: Error) => diagnose('patient', e)),
    doc.eval<M>('firstFrameAt').catch((e: Error) => diagnose('doctor', e)),
  ]);
  if (TRACE) await trace(t0, { patient: pat, doctor: doc }, { patient: tp, doctor: td });

  // Functional check: frames keep arriving both ways, audio too.
  type Inb = { videoFrames: number; videoBytes: number; audioBytes: number };
  const before = await Promise.all([pat.eval<Inb>('inbound'), doc.eval<Inb>('inbound')]);
  await new Promise((r) => setTimeout(r, 600));
  const after = await Promise.all([pat.eval<Inb>('inbound'), doc.eval<Inb>('inbound')]);
  for (const [i, who] of ['patient', 'doctor'].entries()) {
    if (!(after[i]!.videoFrames > before[i]!.videoFrames))
      fail(`${who} stopped decoding video (${before[i]!.videoFrames} → ${after[i]!.videoFrames})`);
    if (!(after[i]!.audioBytes > before[i]!.audioBytes)) fail(`${who} receives no audio`);
  }
  if (run === -1) {
    await functionalChecks(pat, doc);
    for (const [who, b] of [
      ['patient', pat],
      ['doctor', doc],
    ] as const) {
      const s = await b.eval<{
        state: string;
        remoteVideoTracks: number;
        remoteAudioTracks: number;
      }>('snapshotSummary');
      if (s.state !== 'connected' || s.remoteVideoTracks !== 1 || s.remoteAudioTracks !== 1)
        fail(`${who} snapshot: ${JSON.stringify(s)}`);
    }
  }

  await doc.eval('endCall');
  await until('the patient to see the end', async () => {
    const s = await pat.eval<{ kind: string; reason?: string } | null>('state');
    return s?.kind === 'ended' && s.reason === 'ended-by-doctor';
  });
  const rel = (m: M) => ({ connected: m.connected - t0, frame: m.frame - t0 });
  return { p: rel(tp), d: rel(td) };
}

async function main() {
  if (!chromiumAvailable()) {
    console.log('skipped: /usr/bin/chromium not found (set CHROMIUM_PATH)');
    return;
  }
  const level = (benchSqliteSynchronous() ?? 'normal').toUpperCase();
  const service = await startRealService();
  // BENCH_COMPARE_SYNC=1: a second service with the store's previous durability level
  // (synchronous=FULL), visits alternating between the two in the same run; each service's
  // pages are served on its own origin, as in production.
  const compare = process.env.BENCH_COMPARE_SYNC === '1';
  const other = compare ? await startRealService({ sqliteSynchronous: 'full' }) : null;
  const harness = await launchHarness(service.url, other ? [other.url] : []);
  try {
    const targets: Target[] = [];
    for (const [label, svc] of [
      [compare ? 'NORMAL' : level, service],
      ...(other ? [['FULL', other] as const] : []),
    ] as const) {
      targets.push({
        label,
        service: svc,
        doctor: await loginDoctor(svc.url),
        doc: bench(await harness.open(svc.url)),
        pat: bench(await harness.open(svc.url)),
        engine: { patient: series(), doctor: series(), both: series() },
      });
    }
    const base = bench(await harness.open());
    const lower = series();
    const add = (into: Series, m: M) => {
      into.connected.push(m.connected);
      into.frame.push(m.frame);
    };

    // One warm-up of each (codec and capture start-up), not counted.
    for (let run = -1; run < RUNS; run++) {
      const bl = await base.eval<{ a: M; b: M }>('baseline', FRAME_TIMEOUT_MS);
      // Alternate which service goes first, so drifting load falls on both alike.
      const order = run % 2 === 0 ? targets : [...targets].reverse();
      const line: string[] = [];
      for (const t of order) {
        const { p, d } = await visit(t, run);
        if (run < 0) continue;
        add(t.engine.patient, p);
        add(t.engine.doctor, d);
        add(t.engine.both, {
          connected: Math.max(p.connected, d.connected),
          frame: Math.max(p.frame, d.frame),
        });
        line.push(
          `${targets.length > 1 ? `${t.label} ` : ''}engine patient ${fmt(p.frame)}, doctor ${fmt(d.frame)}, connected ${fmt(Math.max(p.connected, d.connected))}`,
        );
      }
      if (run < 0) continue;
      add(lower, {
        connected: Math.max(bl.a.connected, bl.b.connected),
        frame: Math.max(bl.a.frame, bl.b.frame),
      });
      console.log(
        `run ${String(run + 1).padStart(2)}: first frame — ${line.join(' | ')} | lower bound ${fmt(Math.max(bl.a.frame, bl.b.frame))}, connected ${fmt(Math.max(bl.a.connected, bl.b.connected))}`,
      );
    }

    const row = (label: string, xs: number[], ref: number[]) => {
      const m = quantile(xs, 0.5);
      const p = quantile(xs, 0.9);
      const ratio =
        ref === xs
          ? ''
          : `   ×${(m / quantile(ref, 0.5)).toFixed(2)} (median)  ×${(p / quantile(ref, 0.9)).toFixed(2)} (p90)`;
      return `  ${label.padEnd(48)} median ${fmt(m)}  p90 ${fmt(p)}${ratio}`;
    };
    const [load] = os.loadavg();
    console.log(
      `\n${RUNS} runs, Chromium with fake media, ${os.cpus().length} cores, load average ${load!.toFixed(1)}, store synchronous=${targets.map((t) => t.label).join(' and ')}`,
    );
    const tag = (t: Target, what: string) =>
      targets.length > 1 ? `${what}, synchronous=${t.label}` : what;
    console.log('Admit → first decoded remote video frame (the figure that matters):');
    console.log(row('lower bound: 2 PCs in one page', lower.frame, lower.frame));
    for (const t of targets) {
      console.log(row(tag(t, 'CallEngine, patient side'), t.engine.patient.frame, lower.frame));
      console.log(row(tag(t, 'CallEngine, doctor side'), t.engine.doctor.frame, lower.frame));
      console.log(row(tag(t, 'CallEngine, both sides'), t.engine.both.frame, lower.frame));
    }
    console.log('Admit → transport connected (ICE + DTLS; the signaling and negotiation share):');
    console.log(row('lower bound: 2 PCs in one page', lower.connected, lower.connected));
    for (const t of targets)
      console.log(row(tag(t, 'CallEngine, both sides'), t.engine.both.connected, lower.connected));
    const ratio = quantile(targets[0]!.engine.both.frame, 0.5) / quantile(lower.frame, 0.5);
    console.log(
      `Target ≤ 1.30× the lower bound (first frame, median, both sides${targets.length > 1 ? `, ${targets[0]!.label}` : ''}): ${ratio <= 1.3 ? 'met' : 'NOT met'} (×${ratio.toFixed(2)})`,
    );
  } finally {
    await harness.close();
    await service.close();
    await other?.close();
  }
}

main().catch((err: unknown) =>
  fail(err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
