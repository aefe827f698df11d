import { describe, expect, it } from 'vitest';
import type { WaitingPatient } from '@bedside/shared';
import { NO_WAITING_ALERT, nextWaitingAlert, type WaitingAlertState } from './waitingAlerts';

const patient = (userId: string, socketId: string, userName = 'Grace Hopper'): WaitingPatient => ({
  socketId,
  userId,
  userName,
  userType: 'patient',
  role: 'patient',
  waitingSince: '2030-01-01T10:00:00.000Z',
});

/** Feeds successive waiting-room lists; returns each step's announcement and chime. */
function run(...lists: WaitingPatient[][]) {
  let state: WaitingAlertState = NO_WAITING_ALERT;
  return lists.map((list) => {
    const step = nextWaitingAlert(state, list);
    state = step.state;
    return [step.announce, step.chime] as const;
  });
}

describe('nextWaitingAlert', () => {
  it('announces an arrival with a chime, and withdraws it once she is admitted', () => {
    expect(run([patient('p1', 's1')], [])).toEqual([
      ['Grace Hopper is in the waiting room.', true],
      ['', false],
    ]);
  });

  it('after a service restart (every socket new), says nothing for a patient back in the call', () => {
    // Waiting, admitted, then the restart: the doctor's fresh list is empty, then stays so.
    expect(run([patient('p1', 's1')], [], [], [])).toEqual([
      ['Grace Hopper is in the waiting room.', true],
      ['', false],
      [null, false],
      [null, false],
    ]);
  });

  it('does not re-announce a waiting patient whose connection changed', () => {
    expect(run([patient('p1', 's1')], [patient('p1', 's2')])).toEqual([
      ['Grace Hopper is in the waiting room.', true],
      [null, false],
    ]);
  });

  it('keeps the announcement while someone it named still waits; counts several arrivals', () => {
    const ada = patient('p2', 's2', 'Ada Lovelace');
    expect(run([patient('p1', 's1'), ada], [ada], [])).toEqual([
      ['2 patients are in the waiting room.', true],
      [null, false],
      ['', false],
    ]);
  });

  it('announces only the newcomer when others were already waiting', () => {
    const ada = patient('p2', 's2', 'Ada Lovelace');
    expect(run([patient('p1', 's1')], [patient('p1', 's1'), ada], [ada], [])).toEqual([
      ['Grace Hopper is in the waiting room.', true],
      ['Ada Lovelace is in the waiting room.', true],
      [null, false],
      ['', false],
    ]);
  });

  it('announces a patient again who left and came back later', () => {
    expect(run([patient('p1', 's1')], [], [patient('p1', 's3')])).toEqual([
      ['Grace Hopper is in the waiting room.', true],
      ['', false],
      ['Grace Hopper is in the waiting room.', true],
    ]);
  });

  it('names a guest with their part, and counts several arrivals per part', () => {
    const ana: WaitingPatient = {
      ...patient('g1', 's3', 'Ana Interp'),
      userType: 'guest',
      role: 'interpreter',
    };
    expect(run([ana], [])).toEqual([
      ['Ana Interp (Interpreter) is in the waiting room.', true],
      ['', false],
    ]);
    expect(run([patient('p1', 's1'), ana])).toEqual([
      ['1 patient and 1 interpreter are in the waiting room.', true],
    ]);
  });
});
