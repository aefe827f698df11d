import { describe, expect, it } from 'vitest';
import { RecordingConsents, type ConsentChange, type ConsentError } from './consent.js';

const R = 'room-a1';
const doctor = { socketId: 'sd', userId: 'doc' };
const patient = { socketId: 'sp', userId: 'pat' };
const interpreter = { socketId: 'si', userId: 'int' };

const change = (r: ConsentChange | ConsentError | null): ConsentChange => {
  if (!r || 'code' in r) throw new Error(`expected a change, got ${JSON.stringify(r)}`);
  return r;
};

describe('RecordingConsents', () => {
  it('starts only when everyone present accepted', () => {
    const c = new RecordingConsents();
    const asked = change(c.request(R, doctor, [patient, interpreter]));
    expect(asked.ask).toEqual(['sp', 'si']);
    expect(asked.state).toMatchObject({
      status: 'asking',
      recording: false,
      waitingFor: 2,
      by: 'sd',
    });
    const one = change(c.answer(R, patient, true));
    expect(one.state).toMatchObject({ status: 'asking', recording: false, waitingFor: 1 });
    expect(one.transition).toBeNull();
    const all = change(c.answer(R, interpreter, true));
    expect(all.state).toMatchObject({ status: 'recording', recording: true, waitingFor: 0 });
    expect(all.transition).toBe('start');
  });

  it('never starts after a decline, and a withdrawal stops it', () => {
    const c = new RecordingConsents();
    c.request(R, doctor, [patient, interpreter]);
    c.answer(R, patient, true);
    const declined = change(c.answer(R, interpreter, false));
    expect(declined.state).toMatchObject({ status: 'off', recording: false, reason: 'declined' });
    expect(declined.transition).toBeNull();
    // A late accept after the decline does not revive the request.
    expect(c.answer(R, patient, true)).toMatchObject({ code: 'bad-request' });

    c.request(R, doctor, [patient]);
    change(c.answer(R, patient, true));
    const withdrawn = change(c.answer(R, patient, false));
    expect(withdrawn.state).toMatchObject({ status: 'off', reason: 'withdrawn' });
    expect(withdrawn.transition).toBe('stop');
  });

  it('pauses for someone admitted mid-recording until they answer', () => {
    const c = new RecordingConsents();
    c.request(R, doctor, [patient]);
    c.answer(R, patient, true);
    const joined = change(c.joined(R, interpreter));
    expect(joined.ask).toEqual(['si']);
    expect(joined.state).toMatchObject({ status: 'paused', recording: false, waitingFor: 1 });
    expect(joined.transition).toBe('pause');
    const resumed = change(c.answer(R, interpreter, true));
    expect(resumed.state).toMatchObject({ status: 'recording', recording: true });
    expect(resumed.transition).toBe('resume');
  });

  it('resumes when the only person who had not answered leaves', () => {
    const c = new RecordingConsents();
    c.request(R, doctor, [patient]);
    c.answer(R, patient, true);
    c.joined(R, interpreter);
    expect(change(c.left(R, 'si')).state.status).toBe('recording');
  });

  it('keeps a person’s consent across a reconnect within one request', () => {
    const c = new RecordingConsents();
    c.request(R, doctor, [patient]);
    c.answer(R, patient, true);
    expect(change(c.left(R, 'sp')).state).toMatchObject({ status: 'off', reason: 'alone' });

    c.request(R, doctor, [patient, interpreter]);
    c.answer(R, patient, true);
    c.answer(R, interpreter, true);
    c.left(R, 'sp');
    const back = change(c.joined(R, { socketId: 'sp2', userId: 'pat' }));
    expect(back.ask).toEqual([]);
    expect(back.state.status).toBe('recording');
  });

  it('stops when the doctor leaves or stops, and only the asking doctor may stop', () => {
    const c = new RecordingConsents();
    c.request(R, doctor, [patient]);
    c.answer(R, patient, true);
    expect(c.stop(R, 'someone-else')).toMatchObject({ code: 'forbidden' });
    expect(change(c.stop(R, 'sd')).state).toMatchObject({ status: 'off', reason: 'stopped' });
    c.request(R, doctor, [patient]);
    expect(change(c.left(R, 'sd')).state).toMatchObject({ status: 'off', reason: 'doctor-left' });
  });

  it('refuses to ask an empty room and answers nobody asked', () => {
    const c = new RecordingConsents();
    expect(c.request(R, doctor, [])).toMatchObject({ code: 'bad-request' });
    expect(c.answer(R, patient, true)).toMatchObject({ code: 'bad-request' });
    expect(c.joined(R, patient)).toBeNull();
    expect(c.state(R)).toMatchObject({ status: 'off', reason: null });
  });
});
