// GET /api/reports/call-durations through the real service (startService: Express, auth,
// role check, embedded store): figures, CSV = JSON, headers, audit, refusals.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { CallDurationsResponseSchema, type CallDurationsResponse } from '@bedside/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createMeeting, login, startTestService } from '../testing/harness.js';
import { errorHandler } from '../errors.js';
import { openStore } from '../store/index.js';
import type { AuditEntry } from '../store/types.js';
import { createReportsRouter } from './router.js';
import { BERLIN_ROWS_BY_TIME } from './testing/expected.js';
import { craftMeeting, referenceMeetings } from './testing/meetings.js';
import { csvToRows } from './testing/sink.js';

type Service = Awaited<ReturnType<typeof startTestService>>;

describe('GET /api/reports/call-durations', () => {
  let service: Service;
  let base: string;
  let manager: { token: string; id: string };
  let doctor: string;
  let patient: string;

  const exports = async (): Promise<AuditEntry[]> =>
    (await service.store.listAudit({ limit: 500 })).filter((e) => e.action === 'report.export');

  beforeAll(async () => {
    service = await startTestService({ clinicTimeZone: 'Europe/Berlin' });
    base = service.url;
    const m = await login(base, 'manager@demo.test');
    manager = { token: m.token, id: m.user.id };
    doctor = (await login(base, 'doctor@demo.test')).token;
    patient = (await createMeeting(base, doctor, 'live-visit')).patientToken;
    await service.store.bulkInsertMeetings(referenceMeetings());
  });
  afterAll(async () => {
    await service?.close();
  });

  // 1–20 November in Berlin: the reference meetings of that span, none of them live, so the
  // figures do not move with the clock between requests.
  const NOVEMBER = 'from=2026-11-01&to=2026-11-20';
  const expected = BERLIN_ROWS_BY_TIME.filter((r) =>
    ['reconnect', 'overlap', 'cancelled', 'fractions'].includes(r.appointmentId),
  ).map((r) => ({ ...r, doctorName: null })); // no accounts for the crafted doctors here

  it('gives managers the hand-worked rows and summaries in the clinic zone', async () => {
    const r = await api(base, 'GET', `/api/reports/call-durations?${NOVEMBER}`, {
      token: manager.token,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const body = CallDurationsResponseSchema.parse(r.body);
    expect(body).toMatchObject({ timeZone: 'Europe/Berlin', from: '2026-11-01', to: '2026-11-20' });
    expect(body.rows).toEqual(expected);
    expect(body.totals).toEqual({
      meetings: 4,
      completed: 3,
      totalDurationSeconds: 3610,
      averageDurationSeconds: 1203,
      active: 0,
      cancelled: 1,
      doctorConnectedSeconds: 4030,
      patientConnectedSeconds: 3489,
      interpreterConnectedSeconds: 0,
      caregiverConnectedSeconds: 0,
      clinicianConnectedSeconds: 0,
    });
    expect(body.perDoctor.map((d) => [d.doctorId, d.meetings, d.totalDurationSeconds])).toEqual([
      ['doc-a', 3, 1810],
      ['doc-b', 1, 1800],
    ]);
  });

  it('streams CSV with a ranged file name that a CSV parser reads back as the JSON rows', async () => {
    const json = CallDurationsResponseSchema.parse(
      (await api(base, 'GET', `/api/reports/call-durations?${NOVEMBER}`, { token: manager.token }))
        .body,
    );
    const res = await fetch(`${base}/api/reports/call-durations?${NOVEMBER}&format=csv`, {
      headers: { authorization: `Bearer ${manager.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // Quotes are optional for a token-safe name (RFC 6266); Express leaves them out.
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?call-durations_2026-11-01_2026-11-20\.csv"?$/,
    );
    expect(csvToRows(await res.text()).rows).toEqual(json.rows);
  });

  it('honours doctor, status and tz filters', async () => {
    const get = async (q: string): Promise<CallDurationsResponse> =>
      CallDurationsResponseSchema.parse(
        (await api(base, 'GET', `/api/reports/call-durations?${q}`, { token: manager.token })).body,
      );
    const ids = (r: CallDurationsResponse) => r.rows.map((row) => row.appointmentId);
    expect(ids(await get(`${NOVEMBER}&doctorId=doc-b`))).toEqual(['overlap']);
    expect(ids(await get(`${NOVEMBER}&status=cancelled`))).toEqual(['cancelled']);
    // The autumn change in Berlin: 25 hours of 2026-10-25; in New York that meeting is on the 24th.
    expect(ids(await get('from=2026-10-25&to=2026-10-25'))).toEqual(['dst-autumn']);
    const ny = await get('from=2026-10-24&to=2026-10-24&tz=America/New_York');
    expect(ny.rows.map((row) => [row.appointmentId, row.endTime])).toEqual([
      ['dst-autumn', '2026-10-24T21:10:00-04:00'],
    ]);
  });

  it('audits each export (JSON and CSV) with the manager, range, filters and rows', async () => {
    const before = (await exports()).length;
    await api(base, 'GET', `/api/reports/call-durations?${NOVEMBER}&doctorId=doc-a`, {
      token: manager.token,
    });
    await (
      await fetch(`${base}/api/reports/call-durations?${NOVEMBER}&format=csv`, {
        headers: { authorization: `Bearer ${manager.token}` },
      })
    ).text();
    const after = await exports();
    expect(after).toHaveLength(before + 2);
    const details = after.slice(0, 2).map((e) => ({ ...e, at: typeof e.at }));
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actorId: manager.id,
          actorRole: 'manager',
          at: 'string',
          detail: expect.objectContaining({
            from: '2026-11-01',
            to: '2026-11-20',
            doctorId: 'doc-a',
            format: 'json',
            rows: 3,
            completed: true,
          }),
        }),
        expect.objectContaining({
          actorId: manager.id,
          detail: expect.objectContaining({ doctorId: null, format: 'csv', rows: 4 }),
        }),
      ]),
    );
  });

  it('refuses doctors (403), patients and anonymous callers (401), and audits nothing', async () => {
    const before = (await exports()).length;
    const path = `/api/reports/call-durations?${NOVEMBER}`;
    const asDoctor = await api(base, 'GET', path, { token: doctor });
    expect(asDoctor.status).toBe(403);
    expect(asDoctor.body).toMatchObject({ error: { code: 'forbidden' } });
    const asPatient = await api(base, 'GET', path, { token: patient });
    expect([401, 403]).toContain(asPatient.status);
    expect((await api(base, 'GET', path)).status).toBe(401);
    expect((await api(base, 'GET', path, { token: 'not-a-token' })).status).toBe(401);
    const csv = await fetch(`${base}${path}&format=csv`, {
      headers: { authorization: `Bearer ${doctor}` },
    });
    expect(csv.status).toBe(403);
    expect(csv.headers.get('content-disposition')).toBeNull();
    expect(await exports()).toHaveLength(before);
  });

  it('answers hostile or invalid queries with 400 and the error envelope, auditing nothing', async () => {
    const before = (await exports()).length;
    const queries = [
      'from[$gt]=x',
      'from=2026-11-01&from=2026-11-02',
      'doctorId[$ne]=nobody',
      'from=2026-02-30&to=2026-03-01',
      'from=yesterday',
      'from=2026-11-30&to=2026-11-01',
      'format=xml',
      'status=done',
      'tz=Mars/Olympus',
      `tz=${'A'.repeat(100)}`,
      'unknown=1',
      'limit=5',
    ];
    for (const q of queries) {
      const r = await api(base, 'GET', `/api/reports/call-durations?${q}`, {
        token: manager.token,
      });
      expect(r.status, q).toBe(400);
      expect(r.body, q).toMatchObject({
        error: { code: 'bad-request', message: expect.any(String) },
      });
    }
    expect(await exports()).toHaveLength(before);
  });

  it('audits an export the client walks away from as not completed, and keeps serving', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      craftMeeting(`bulk-${i}`, {
        doctorId: 'doc-bulk',
        scheduledTime: new Date(Date.parse('2027-01-01T08:00:00Z') + i * 60_000).toISOString(),
      }),
    );
    await service.store.bulkInsertMeetings(many);
    const before = (await exports()).length;
    const abort = new AbortController();
    const res = await fetch(`${base}/api/reports/call-durations?doctorId=doc-bulk&format=csv`, {
      headers: { authorization: `Bearer ${manager.token}` },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    abort.abort();
    let entry: AuditEntry | undefined;
    for (let i = 0; i < 200 && !entry; i++) {
      const all = await exports();
      if (all.length > before) entry = all[0];
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(entry).toMatchObject({
      actorId: manager.id,
      detail: { doctorId: 'doc-bulk', format: 'csv', completed: false },
    });
    expect(Number(entry!.detail!.rows)).toBeLessThan(20_000);
    const health = await api(base, 'GET', `/api/reports/call-durations?${NOVEMBER}`, {
      token: manager.token,
    });
    expect(health.status).toBe(200);
  });
});

describe('reports router on its own', () => {
  it('answers a store failure before the first byte as a JSON error, not a CSV attachment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bedside-report-router-'));
    const store = await openStore({ dataDir: dir });
    await store.close(); // every call now fails: a store that went away under the service
    const app = express();
    app.use((_req, res, next) => {
      res.locals.principal = { kind: 'user', userId: 'mgr-x', role: 'manager', name: 'M' };
      next();
    });
    app.use('/api/reports', createReportsRouter({ store, clinicTimeZone: 'UTC' }));
    app.use(errorHandler);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/reports/call-durations?format=csv`);
      expect(res.status).toBe(500);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(await res.json()).toMatchObject({ error: { code: 'internal' } });
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
