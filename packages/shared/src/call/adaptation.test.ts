import { describe, expect, it } from 'vitest';
import {
  LOSS_FLOOR,
  LOSS_STEP_DOWN,
  UP_AFTER,
  VIDEO_STEPS,
  applyVideoScale,
  combinedMaxBitrate,
  initialAdaptation,
  measureLink,
  nextAdaptation,
  stepFor,
  type AdaptationState,
  type LinkMeasure,
} from './adaptation.js';
import { FakeRtpSender } from './testing/FakePeerConnection.js';

const report = (stats: Array<Record<string, unknown>>) =>
  new Map(stats.map((s) => [s.id as string, s])) as unknown as RTCStatsReport;

describe('stepFor', () => {
  it('follows the bandwidth estimate at the documented edges', () => {
    const at = (kbps: number) => stepFor({ availableKbps: kbps, loss: 0 });
    expect(at(2500)).toBe('full');
    expect(at(VIDEO_STEPS.full.minKbps)).toBe('full');
    expect(at(VIDEO_STEPS.full.minKbps - 1)).toBe('reduced');
    expect(at(VIDEO_STEPS.reduced.minKbps - 1)).toBe('low');
    expect(at(VIDEO_STEPS.low.minKbps - 1)).toBe('floor');
    expect(at(0)).toBe('floor');
  });

  it('steps down one for loss, and to the floor for heavy loss', () => {
    expect(stepFor({ availableKbps: 2000, loss: LOSS_STEP_DOWN })).toBe('full');
    expect(stepFor({ availableKbps: 2000, loss: LOSS_STEP_DOWN + 0.01 })).toBe('reduced');
    expect(stepFor({ availableKbps: 200, loss: 0.1 })).toBe('floor');
    expect(stepFor({ availableKbps: 5000, loss: LOSS_FLOOR + 0.01 })).toBe('floor');
  });

  it('stays full when nothing is known (Firefox gives no estimate)', () => {
    expect(stepFor({ availableKbps: null, loss: null })).toBe('full');
    expect(stepFor({ availableKbps: null, loss: 0.12 })).toBe('reduced');
  });
});

describe('nextAdaptation', () => {
  const run = (measures: LinkMeasure[], from: AdaptationState = initialAdaptation) =>
    measures.reduce<AdaptationState[]>(
      (acc, m) => [...acc, nextAdaptation(acc.at(-1) ?? from, m)],
      [],
    );
  const good: LinkMeasure = { availableKbps: 2000, loss: 0 };

  it('steps down at once, as far as the measure says', () => {
    expect(run([{ availableKbps: 100, loss: 0 }]).map((s) => s.step)).toEqual(['floor']);
    expect(run([{ availableKbps: 400, loss: 0 }]).map((s) => s.step)).toEqual(['reduced']);
  });

  it('steps up one step after UP_AFTER better intervals in a row', () => {
    const states = run(
      Array.from({ length: UP_AFTER * 3 }, () => good),
      { ...initialAdaptation, step: 'floor' },
    );
    const steps = states.map((s) => s.step);
    expect(steps.slice(0, UP_AFTER - 1).every((s) => s === 'floor')).toBe(true);
    expect(steps[UP_AFTER - 1]).toBe('low');
    expect(steps[2 * UP_AFTER - 1]).toBe('reduced');
    expect(steps[3 * UP_AFTER - 1]).toBe('full');
  });

  it('tries the next step on a clean link with headroom over the limit (the estimate stays near what is sent)', () => {
    // At `low` (150 kbit/s video) the browser's estimate sits near 1.5× what is sent.
    const headroom: LinkMeasure = { availableKbps: 290, loss: 0 };
    expect(stepFor(headroom)).toBe('low');
    const steps = run(
      Array.from({ length: UP_AFTER }, () => headroom),
      {
        ...initialAdaptation,
        step: 'low',
      },
    ).map((s) => s.step);
    expect(steps.at(-1)).toBe('reduced');
    // Lossy: no try.
    const lossy = run(
      Array.from({ length: UP_AFTER * 2 }, () => ({ availableKbps: 290, loss: 0.05 })),
      {
        ...initialAdaptation,
        step: 'low',
      },
    );
    expect(lossy.every((s) => s.step === 'low')).toBe(true);
  });

  it('waits twice as long before the next try after an up that did not hold', () => {
    const headroom: LinkMeasure = { availableKbps: 290, loss: 0 };
    const thin: LinkMeasure = { availableKbps: 290, loss: 0 };
    let s: AdaptationState = { ...initialAdaptation, step: 'low' };
    for (let i = 0; i < UP_AFTER; i++) s = nextAdaptation(s, headroom);
    expect(s.step).toBe('reduced');
    // The estimate does not grow at the higher limit: back down.
    s = nextAdaptation(s, thin);
    expect(s).toMatchObject({ step: 'low', upAfter: UP_AFTER * 2 });
    for (let i = 0; i < UP_AFTER * 2 - 1; i++) s = nextAdaptation(s, headroom);
    expect(s.step).toBe('low');
    s = nextAdaptation(s, headroom);
    expect(s.step).toBe('reduced');
  });

  it('does not flap: one bad interval resets the climb', () => {
    const bad: LinkMeasure = { availableKbps: 200, loss: 0 };
    const steps = run([good, good, bad, good, good], { ...initialAdaptation, step: 'low' }).map(
      (s) => s.step,
    );
    expect(steps).toEqual(['low', 'low', 'low', 'low', 'low']);
  });
});

describe('measureLink', () => {
  it("reads the selected pair's estimate and the worst reported loss", () => {
    const m = measureLink(
      report([
        { id: 'T', type: 'transport', selectedCandidatePairId: 'P1' },
        { id: 'P0', type: 'candidate-pair', availableOutgoingBitrate: 9_000_000 },
        { id: 'P1', type: 'candidate-pair', availableOutgoingBitrate: 312_345 },
        { id: 'R1', type: 'remote-inbound-rtp', kind: 'video', fractionLost: 0.11 },
        { id: 'R2', type: 'remote-inbound-rtp', kind: 'audio', fractionLost: 0.02 },
      ]),
      0.05,
    );
    expect(m).toEqual({ availableKbps: 312, loss: 0.11 });
  });

  it('knows nothing from an empty report but the inbound loss', () => {
    expect(measureLink(report([]), null)).toEqual({ availableKbps: null, loss: null });
    expect(measureLink(report([]), 0.3)).toEqual({ availableKbps: null, loss: 0.3 });
  });
});

describe('combinedMaxBitrate', () => {
  it('is the lower of the step limit and the other cap', () => {
    expect(combinedMaxBitrate('full', null)).toBeNull();
    expect(combinedMaxBitrate('full', 900_000)).toBe(900_000);
    expect(combinedMaxBitrate('low', null)).toBe(VIDEO_STEPS.low.maxBitrate);
    expect(combinedMaxBitrate('low', 900_000)).toBe(VIDEO_STEPS.low.maxBitrate);
    expect(combinedMaxBitrate('reduced', 300_000)).toBe(300_000);
  });
});

describe('applyVideoScale', () => {
  const sender = () => new FakeRtpSender(null);
  const asSender = (s: FakeRtpSender) => s as unknown as RTCRtpSender;

  it("sets the step's resolution, and back to full size", async () => {
    const s = sender();
    expect(await applyVideoScale(asSender(s), 'low')).toBe(true);
    expect(s.encodings[0]).toMatchObject({
      active: true,
      scaleResolutionDownBy: VIDEO_STEPS.low.scaleResolutionDownBy,
    });
    expect(await applyVideoScale(asSender(s), 'full')).toBe(true);
    expect(s.encodings[0]!.scaleResolutionDownBy).toBe(1);
    expect(s.parameterChanges).toHaveLength(2);
  });

  it('changes nothing when the step is already applied', async () => {
    const s = sender();
    await applyVideoScale(asSender(s), 'reduced');
    await applyVideoScale(asSender(s), 'reduced');
    expect(s.parameterChanges).toHaveLength(1);
  });

  it('resolves false when the sender has no encoding or refuses', async () => {
    const none = sender();
    none.encodings = [];
    expect(await applyVideoScale(asSender(none), 'low')).toBe(false);
    const refusing = sender();
    refusing.setParameters = () => Promise.reject(new Error('refused'));
    expect(await applyVideoScale(asSender(refusing), 'low')).toBe(false);
  });
});
