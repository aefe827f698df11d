import { describe, expect, it } from 'vitest';
import { screenShareOptions } from './screenShare';

describe('screenShareOptions', () => {
  it("asks for the computer's sound on Windows", () => {
    expect(screenShareOptions('win32')).toEqual({ systemAudio: true });
  });

  it.each(['darwin', 'linux', 'browser', 'unknown'])('asks for no sound on %s', (platform) => {
    expect(screenShareOptions(platform)).toEqual({});
  });
});
