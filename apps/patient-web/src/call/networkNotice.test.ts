import { describe, expect, it } from 'vitest';
import type { NetworkAdaptation } from '@bedside/shared/call';
import { networkNotice } from './networkNotice.ts';

const net = (step: NetworkAdaptation['step'], suggestAudioOnly = false): NetworkAdaptation => ({
  step,
  suggestAudioOnly,
  availableKbps: 100,
});

describe('networkNotice', () => {
  it('says nothing on a full link or before any measurement', () => {
    expect(networkNotice({ network: null, audioOnly: false })).toBe('none');
    expect(networkNotice({ network: undefined, audioOnly: false })).toBe('none');
    expect(networkNotice({ network: net('full'), audioOnly: false })).toBe('none');
  });

  it('says video is reduced while the step is held down above the floor', () => {
    expect(networkNotice({ network: net('reduced'), audioOnly: false })).toBe('reduced');
    expect(networkNotice({ network: net('low'), audioOnly: false })).toBe('reduced');
  });

  it('offers audio-only at the floor', () => {
    expect(networkNotice({ network: net('floor', true), audioOnly: false })).toBe('audio-only');
  });

  it('offers nothing once the patient is audio-only', () => {
    expect(networkNotice({ network: net('floor', true), audioOnly: true })).toBe('none');
  });
});
