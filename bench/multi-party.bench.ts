// Visits of 3 and 4 in real Chromium against the real service (docs/multi-party.md): from the
// doctor's admit to the newcomer's first decoded frame from every member already in the room,
// for the 2nd (the patient), 3rd and 4th person (two guests invited over REST) in the same run,
// so the 2-person figure is the baseline. Then the browser's CPU (all four pages are in one
// Chromium, each encoding one camera per pair) at 2, 3 and 4 people, and the difference each
// added person makes.
//
//   npm run bench -- multi-party     (needs /usr/bin/chromium; BENCH_RUNS, default 3)
import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { chromiumAvailable, launchHarness } from './harness/browser.ts';
import { createVisit, loginDoctor, startRealService, type Doctor } from './harness/service.ts';
import { fail, fmtMs as fmt, median, until as untilWithin } from './harness/common.ts';

/** Multi-party waits are longer (up to four pairs negotiate). */
const until = <T>(what: string, fn: () => Promise<T | null | false>, ms = 20_000) =>
  untilWithin(what, fn, ms);

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FRAME_TIMEOUT_MS = 60_000;
const CPU_WINDOW_MS = 5000;

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

async function post<T>(url: string, body: unknown, token: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) fail(`POST ${new URL(url).pathname} → ${res.status}`);
  return (await res.json()) as T;
}

/** CPU seconds (user + system) of every Chromium process below this Node process. */
function chromiumCpuSeconds(): number {
  const tick = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; comm: string; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const raw = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = raw.lastIndexOf(')');
      const comm = raw.slice(raw.indexOf('(') + 1, close);
      const f = raw.slice(close + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), comm, cpu: Number(f[11]) + Number(f[12]) });
    } catch {
      // The process ended while we read.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = pid, i = 0; p > 1 && i < 64; i++) {
      if (p === process.pid) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let cpu = 0;
  for (const [pid, s] of stats) if (/chrom/i.test(s.comm) && below(pid)) cpu += s.cpu;
  return cpu / tick;
}

async function cpuPercent(): Promise<number> {
  const a = chromiumCpuSeconds();
  const t = Date.now();
  await new Promise((r) => setTimeout(r, CPU_WINDOW_MS));
  return ((chromiumCpuSeconds() - a) / ((Date.now() - t) / 1000)) * 100;
}

interface Run {
  admitToAll: [number, number, number];
  cpu: [number, number, number];
}

async function visit(
  url: string,
  doctor: Doctor,
  pages: [Bench, Bench, Bench, Bench],
  run: number,
): Promise<Run> {
  const [doc, pat, g1, g2] = pages;
  const v = await createVisit(url, doctor, `bench-mp-${Date.now()}-${run + 1}`);
  const common = { serverUrl: url, roomId: v.roomId };
  const dState = await doc.eval<string>('join', {
    ...common,
    token: doctor.token,
    userId: doctor.userId,
    userType: 'doctor',
    userName: doctor.displayName,
    client: 'desktop',
    clientVersion: '0.1.0',
  });
  if (dState !== 'connected') fail(`doctor state after join: ${dState}`);

  const newcomers: Array<{ page: Bench; join: () => Promise<Record<string, unknown>> }> = [
    {
      page: pat,
      join: async () => ({
        token: v.patientToken,
        userId: v.patientId,
        userType: 'patient',
        userName: 'Bench Patient',
        client: 'patient-web',
      }),
    },
    ...(['interpreter', 'caregiver'] as const).map((role, i) => ({
      page: i === 0 ? g1 : g2,
      join: async () => {
        const r = await post<{ guest: { guestId: string }; joinUrl: string }>(
          `${url}/api/meetings/${v.roomId}/guests`,
          { role, name: `Bench ${role}` },
          doctor.token,
        );
        const token = new URLSearchParams(new URL(r.joinUrl).hash.slice(1)).get('token');
        if (!token) fail('guest joinUrl carries no #token=');
        return {
          token,
          userId: r.guest.guestId,
          userType: 'guest',
          userName: `Bench ${role}`,
          client: 'other',
        };
      },
    })),
  ];

  const admitToAll: number[] = [];
  const cpu: number[] = [];
  for (const [i, n] of newcomers.entries()) {
    const state = await n.page.eval<string>('join', { ...common, ...(await n.join()) });
    if (state !== 'waiting') fail(`newcomer ${i + 2} state after join: ${state}`);
    const [socketId] = await until(`newcomer ${i + 2} waiting`, async () => {
      const ids = await doc.eval<string[]>('waitingSocketIds');
      return ids.length ? ids : null;
    });
    await n.page.eval('watchAllFrames', { count: i + 1, timeoutMs: FRAME_TIMEOUT_MS });
    const t0 = await doc.eval<number>('admit', socketId);
    const t1 = await n.page
      .eval<number>('allFramesAt')
      .catch((e: Error) => fail(`newcomer ${i + 2}: ${e.message}`));
    admitToAll.push(t1 - t0);
    // Everyone else sees the newcomer too before the CPU window.
    for (const m of [doc, ...newcomers.slice(0, i).map((x) => x.page)])
      await until('every pair up', async () => (await m.eval<number>('peerCount')) === i + 1);
    cpu.push(await cpuPercent());
  }
  await doc.eval('endCall');
  for (const n of newcomers)
    await until('the end seen', async () => {
      const s = await n.page.eval<{ kind: string } | null>('state');
      return s?.kind === 'ended';
    });
  return {
    admitToAll: admitToAll as Run['admitToAll'],
    cpu: cpu as Run['cpu'],
  };
}

async function main() {
  if (!chromiumAvailable()) {
    console.log('skipped: /usr/bin/chromium not found (set CHROMIUM_PATH)');
    return;
  }
  const service = await startRealService();
  const harness = await launchHarness(service.url);
  try {
    const doctor = await loginDoctor(service.url);
    const pages = [
      bench(await harness.open()),
      bench(await harness.open()),
      bench(await harness.open()),
      bench(await harness.open()),
    ] as [Bench, Bench, Bench, Bench];
    const runs: Run[] = [];
    // One warm-up (codec and capture start-up), not counted.
    for (let run = -1; run < RUNS; run++) {
      const r = await visit(service.url, doctor, pages, run);
      if (run < 0) continue;
      runs.push(r);
      console.log(
        `run ${run + 1}: admit → first frame from everyone: 2nd ${fmt(r.admitToAll[0])}, 3rd ${fmt(r.admitToAll[1])}, 4th ${fmt(r.admitToAll[2])} | browser CPU at 2/3/4 people ${r.cpu.map((c) => `${c.toFixed(0)} %`).join(' / ')}`,
      );
    }
    const col = (k: 'admitToAll' | 'cpu', i: number) => median(runs.map((r) => r[k][i]!));
    const [load] = os.loadavg();
    console.log(
      `\n${RUNS} runs, one Chromium with fake media holding all four pages, ${os.cpus().length} cores, load average ${load!.toFixed(1)}`,
    );
    console.log('Admit → newcomer decoded a frame on every pair (median):');
    console.log(`  2nd person (patient; the 2-person baseline)   ${fmt(col('admitToAll', 0))}`);
    for (const i of [1, 2])
      console.log(
        `  ${i + 2}${i === 1 ? 'rd' : 'th'} person (guest, ${i + 1} pairs to set up)        ${fmt(col('admitToAll', i))}   ×${(col('admitToAll', i) / col('admitToAll', 0)).toFixed(2)}`,
      );
    console.log(
      `Browser CPU over ${CPU_WINDOW_MS / 1000} s in the call (median, 100 % = one core):`,
    );
    for (const i of [0, 1, 2]) {
      const delta =
        i === 0
          ? ''
          : `   +${(col('cpu', i) - col('cpu', i - 1)).toFixed(0)} % for the added person`;
      console.log(`  ${i + 2} people  ${col('cpu', i).toFixed(0).padStart(4)} %${delta}`);
    }
  } finally {
    await harness.close();
    await service.close();
  }
}

main().catch((err: unknown) =>
  fail(err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
