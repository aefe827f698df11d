// One duration rule across the meeting record (GET /api/meetings/:roomId), the JSON report and
// the CSV export: an ended meeting has a duration (0 when the call never started), a scheduled
// one has none. Through the real service: a visit cancelled over REST, one still scheduled.
import { CallDurationsResponseSchema, MeetingSchema } from '@bedside/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createMeeting, login, startTestService } from '../testing/harness.js';
import { csvToRows } from './testing/sink.js';

type Service = Awaited<ReturnType<typeof startTestService>>;

describe('duration of a meeting, the same everywhere', () => {
  let service: Service;
  let doctor: string;
  let manager: string;

  beforeAll(async () => {
    service = await startTestService();
    doctor = (await login(service.url, 'doctor@demo.test')).token;
    manager = (await login(service.url, 'manager@demo.test')).token;
    await createMeeting(service.url, doctor, 'rule-cancelled');
    await createMeeting(service.url, doctor, 'rule-scheduled');
    const cancel = await api(service.url, 'POST', '/api/meetings/room-rule-cancelled/cancel', {
      token: doctor,
    });
    expect(cancel.status).toBe(200);
  });
  afterAll(async () => {
    await service?.close();
  });

  const record = async (roomId: string) => {
    const r = await api(service.url, 'GET', `/api/meetings/${roomId}`, { token: doctor });
    expect(r.status).toBe(200);
    const body = r.body as { meeting?: unknown };
    return MeetingSchema.parse(body.meeting ?? body);
  };

  it('record, JSON report and CSV agree: cancelled before it started → 0, scheduled → none', async () => {
    const cancelled = await record('room-rule-cancelled');
    const scheduled = await record('room-rule-scheduled');
    expect([cancelled.status, cancelled.duration]).toEqual(['cancelled', 0]);
    expect([scheduled.status, scheduled.duration]).toEqual(['scheduled', null]);

    const day = new Date().toISOString().slice(0, 10);
    const query = `/api/reports/call-durations?from=${day}&to=${day}`;
    const json = await api(service.url, 'GET', `${query}&format=json`, { token: manager });
    expect(json.status).toBe(200);
    const rows = CallDurationsResponseSchema.parse(json.body).rows;
    const byId = (id: string) => rows.find((r) => r.appointmentId === id)?.duration;
    expect(byId('rule-cancelled')).toBe(0);
    expect(byId('rule-scheduled')).toBeNull();

    const csv = await fetch(`${service.url}${query}&format=csv`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    expect(csv.status).toBe(200);
    const csvRows = csvToRows(await csv.text()).rows;
    const csvById = (id: string) => csvRows.find((r) => r.appointmentId === id)?.duration;
    expect(csvById('rule-cancelled')).toBe(0);
    expect(csvById('rule-scheduled')).toBeNull();
  });
});
