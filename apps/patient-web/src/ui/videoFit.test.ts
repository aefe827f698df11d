import { describe, expect, it } from 'vitest';
import { selfViewAspect, videoFit } from './videoFit.ts';

describe('videoFit', () => {
  it('shows a portrait camera whole on a phone held in landscape (844×390)', () => {
    expect(videoFit({ width: 720, height: 1280 }, { width: 844, height: 390 })).toBe('contain');
    // A landscape camera in the same box: 16:9 against 2.16:1 crops ~18%, so fill it.
    expect(videoFit({ width: 1280, height: 720 }, { width: 844, height: 390 })).toBe('cover');
  });
  it('covers a portrait phone screen with a portrait camera, contains a landscape one', () => {
    expect(videoFit({ width: 720, height: 1280 }, { width: 390, height: 700 })).toBe('cover');
    expect(videoFit({ width: 1280, height: 720 }, { width: 390, height: 700 })).toBe('contain');
  });
  it('contains while sizes are unknown', () => {
    expect(videoFit({ width: 0, height: 0 }, { width: 390, height: 700 })).toBe('contain');
  });
});

describe('selfViewAspect', () => {
  it('follows the camera', () => {
    expect(selfViewAspect({ width: 1280, height: 720 })).toBe('1280 / 720');
    expect(selfViewAspect({ width: 720, height: 1280 })).toBe('720 / 1280');
    expect(selfViewAspect({ width: 0, height: 0 })).toBeUndefined();
  });
});
