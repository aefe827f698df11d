import { fail, type ErrorBody } from '@bedside/shared';
import { describe, expect, it } from 'vitest';
import { t } from '../i18n/i18n';
import { bridgeErrorText } from './bridgeError';

const error = (r: ReturnType<typeof fail>): ErrorBody => {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
};

describe('bridgeErrorText', () => {
  it('words the code per operation and never shows main’s developer message', () => {
    // The codes and messages main's handlers answer with (recordingFiles.ts, exportCsv.ts).
    const there = error(fail('unavailable', 'The file could not be saved there.'));
    expect(bridgeErrorText(t, 'files.save', there)).toBe(
      'The file could not be saved there. Choose another folder.',
    );
    const busy = error(fail('conflict', 'An export is already running.'));
    expect(bridgeErrorText(t, 'reports.export', busy)).toBe('An export is already running.');
    const gone = error(fail('not-found', 'No such recording is open.'));
    expect(bridgeErrorText(t, 'recording.write', gone)).toBe(
      'The recording file was closed before the recording ended.',
    );
    const bad = error(fail('bad-request', 'Those settings are not valid.'));
    expect(bridgeErrorText(t, 'settings.set', bad)).toMatch(/^Enter the full address/);
  });
  it('falls back to the common wording, then to the operation’s', () => {
    const refused = error(fail('forbidden', 'This window may not call Bedside.'));
    expect(bridgeErrorText(t, 'files.save', refused)).toMatch(/^Bedside refused this/);
    // A server refusal passed through by the export keeps the export's own wording.
    expect(bridgeErrorText(t, 'reports.export', refused)).toBe(
      'This account may not export this report.',
    );
    const odd = error(fail('room-closed', 'x'));
    expect(bridgeErrorText(t, 'files.save', odd)).toBe('The file could not be saved.');
    expect(bridgeErrorText(t, 'reports.export', odd)).toBe('The export failed.');
  });
});
