// The report's quality columns and poor-visit shares, from meetings carrying quality summaries;
// every figure worked out by hand.
import type { ParticipantQuality } from '@bedside/shared';
import { describe, expect, it } from 'vitest';
import { ReportSummary, meetingToRow } from './compute.js';
import { csvRecord, CSV_COLUMNS } from './csv.js';
import { DOCTOR_A, REFERENCE_NOW, referenceMeetings } from './testing/meetings.js';
import { ClinicZone } from './zone.js';

const zone = new ClinicZone('Europe/Berlin');
const doctorNames = new Map([[DOCTOR_A, 'Dr. Ada']]);

const q = (
  userType: 'doctor' | 'patient',
  seconds: ParticipantQuality['secondsByLevel'],
  over: Partial<ParticipantQuality> = {},
): ParticipantQuality => ({
  userId: `${userType}-1`,
  userType,
  at: '2026-11-10T09:30:00.000Z',
  samples: 10,
  rttMedianMs: 60,
  rttP95Ms: 120,
  packetLossMedian: 0,
  packetLossP95: 0.01,
  bitrateMedianKbps: 900,
  secondsByLevel: seconds,
  iceRestarts: 0,
  relayUsed: false,
  ...over,
});

describe('quality in the call-duration report', () => {
  const [first, second, third] = referenceMeetings();
  // Visit 1: the patient spent 300 of 1200 s poor/lost (25 % → poor); the doctor was fine.
  const poor = {
    ...first!,
    quality: [
      q('doctor', { good: 1200, fair: 0, poor: 0, lost: 0 }, { rttP95Ms: 90 }),
      q(
        'patient',
        { good: 900, fair: 0, poor: 240, lost: 60 },
        { rttP95Ms: 850, packetLossP95: 0.18, iceRestarts: 2, relayUsed: true },
      ),
    ],
  };
  // Visit 2: 100 of 500 s fair (20 % → fair).
  const fair = { ...second!, quality: [q('patient', { good: 400, fair: 100, poor: 0, lost: 0 })] };
  // Visit 3: no summaries → unknown, left out of the shares.
  const unknown = { ...third!, quality: undefined };

  it('derives the row columns: the visit word, worst p95s, poor seconds, restarts, relay', () => {
    const row = meetingToRow(poor, { zone, now: REFERENCE_NOW, doctorNames });
    expect(row).toMatchObject({
      quality: 'poor',
      rttP95Ms: 850,
      packetLossP95: 0.18,
      poorSeconds: 300,
      iceRestarts: 2,
      relayUsed: true,
    });
    expect(meetingToRow(fair, { zone, now: REFERENCE_NOW, doctorNames }).quality).toBe('fair');
    expect(meetingToRow(unknown, { zone, now: REFERENCE_NOW, doctorNames })).toMatchObject({
      quality: 'unknown',
      rttP95Ms: null,
      poorSeconds: 0,
      relayUsed: false,
    });
    const record = csvRecord(row);
    const cell = (name: (typeof CSV_COLUMNS)[number]) => record[CSV_COLUMNS.indexOf(name)];
    expect([cell('quality'), cell('rttP95Ms'), cell('poorSeconds'), cell('relayUsed')]).toEqual([
      'poor',
      '850',
      '300',
      'true',
    ]);
  });

  it('counts measured and poor visits in totals, per doctor and per day', () => {
    const summary = new ReportSummary();
    for (const m of [poor, fair, unknown])
      summary.add(meetingToRow(m, { zone, now: REFERENCE_NOW, doctorNames }));
    const { totals, perDoctor, perDay } = summary.result();
    expect([totals.qualityMeasured, totals.qualityPoor]).toEqual([2, 1]);
    const measured = perDoctor.reduce((n, d) => n + (d.qualityMeasured ?? 0), 0);
    const poorCount = perDay.reduce((n, d) => n + (d.qualityPoor ?? 0), 0);
    expect([measured, poorCount]).toEqual([2, 1]);
  });
});
