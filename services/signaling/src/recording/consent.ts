// Pure: recording consent per room. The doctor asks; every other participant present answers;
// recording runs only while everyone present has accepted. Someone admitted during a recording
// pauses it until they answer; anyone declining or withdrawing stops it; the doctor leaving
// stops it. Consent belongs to the person (userId) for the life of one request, so a patient
// whose connection drops and comes back is not asked twice; a new request asks everyone again.
//
// Kept in this instance's memory. With several instances behind the Redis adapter the room's
// members must reach the instance that holds the doctor's socket for consent to be coherent
// (see docs/recording-and-files.md).
import type { RecordingOffReason, RecordingStateEvent, RecordingStatus } from '@bedside/shared';

export interface Participant {
  socketId: string;
  userId: string;
}

interface Active {
  doctor: Participant;
  /** userId → answer; present participants without an entry have not answered. */
  consents: Map<string, 'accepted'>;
  /** socketId → userId of everyone but the doctor now in the room. */
  present: Map<string, string>;
  /** Recording ran at some point for this request (a newcomer pauses rather than delays it). */
  started: boolean;
}

export type ConsentError = { code: 'bad-request' | 'forbidden' | 'conflict'; message: string };

/** What a change means: the new state, who must be asked, and the transitions to audit. */
export interface ConsentChange {
  state: RecordingStateEvent;
  ask: string[];
  transition: 'start' | 'pause' | 'resume' | 'stop' | null;
}

export class RecordingConsents {
  private readonly rooms = new Map<string, Active>();
  /** The last reason a room's request ended, reported until the next request. */
  private readonly ended = new Map<string, RecordingOffReason>();

  state(roomId: string): RecordingStateEvent {
    const a = this.rooms.get(roomId);
    if (!a) {
      return {
        roomId,
        recording: false,
        by: null,
        status: 'off',
        waitingFor: 0,
        reason: this.ended.get(roomId) ?? null,
      };
    }
    const status = statusOf(a);
    return {
      roomId,
      recording: status === 'recording',
      by: a.doctor.socketId,
      status,
      waitingFor: waitingFor(a).length,
      reason: null,
    };
  }

  isActive(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  /** The doctor asks; `others` are everyone else admitted now. */
  request(
    roomId: string,
    doctor: Participant,
    others: readonly Participant[],
  ): ConsentChange | ConsentError {
    const current = this.rooms.get(roomId);
    if (current) {
      if (current.doctor.socketId !== doctor.socketId)
        return { code: 'conflict', message: 'Another connection of the doctor is recording' };
      // Asking again while active re-prompts whoever has not answered.
      return { state: this.state(roomId), ask: waitingFor(current), transition: null };
    }
    if (others.length === 0)
      return { code: 'bad-request', message: 'Nobody else is in the visit to ask for consent' };
    const a: Active = {
      doctor,
      consents: new Map(),
      present: new Map(others.map((p) => [p.socketId, p.userId])),
      started: false,
    };
    this.rooms.set(roomId, a);
    this.ended.delete(roomId);
    return { state: this.state(roomId), ask: waitingFor(a), transition: null };
  }

  answer(roomId: string, who: Participant, accept: boolean): ConsentChange | ConsentError {
    const a = this.rooms.get(roomId);
    if (!a || !a.present.has(who.socketId))
      return { code: 'bad-request', message: 'Nobody asked you for consent to record' };
    const before = statusOf(a);
    if (!accept) {
      const withdrawn = a.consents.has(who.userId);
      return this.finish(roomId, withdrawn ? 'withdrawn' : 'declined', before);
    }
    a.consents.set(who.userId, 'accepted');
    return this.changed(roomId, a, before, []);
  }

  /** Doctor only. */
  stop(roomId: string, doctorSocketId: string): ConsentChange | ConsentError {
    const a = this.rooms.get(roomId);
    if (!a) return { state: this.state(roomId), ask: [], transition: null };
    if (a.doctor.socketId !== doctorSocketId)
      return { code: 'forbidden', message: 'Only the doctor who asked can stop the recording' };
    return this.finish(roomId, 'stopped', statusOf(a));
  }

  /** Someone was admitted (or came back). Null when no request is live. */
  joined(roomId: string, who: Participant): ConsentChange | null {
    const a = this.rooms.get(roomId);
    if (!a || who.socketId === a.doctor.socketId) return null;
    const before = statusOf(a);
    a.present.set(who.socketId, who.userId);
    const ask = a.consents.has(who.userId) ? [] : [who.socketId];
    return this.changed(roomId, a, before, ask);
  }

  left(roomId: string, socketId: string): ConsentChange | null {
    const a = this.rooms.get(roomId);
    if (!a) return null;
    const before = statusOf(a);
    if (socketId === a.doctor.socketId) return this.finish(roomId, 'doctor-left', before);
    if (!a.present.delete(socketId)) return null;
    if (a.present.size === 0) return this.finish(roomId, 'alone', before);
    return this.changed(roomId, a, before, []);
  }

  /** The visit ended: forget the room. */
  forget(roomId: string): void {
    this.rooms.delete(roomId);
    this.ended.delete(roomId);
  }

  private changed(
    roomId: string,
    a: Active,
    before: RecordingStatus,
    ask: string[],
  ): ConsentChange {
    const after = statusOf(a);
    if (after === 'recording') a.started = true;
    let transition: ConsentChange['transition'] = null;
    if (after === 'recording' && before === 'asking') transition = 'start';
    else if (after === 'recording' && before === 'paused') transition = 'resume';
    else if (after === 'paused' && before === 'recording') transition = 'pause';
    return { state: this.state(roomId), ask, transition };
  }

  private finish(
    roomId: string,
    reason: RecordingOffReason,
    before: RecordingStatus,
  ): ConsentChange {
    this.rooms.delete(roomId);
    this.ended.set(roomId, reason);
    const wasRecording = before === 'recording' || before === 'paused';
    return { state: this.state(roomId), ask: [], transition: wasRecording ? 'stop' : null };
  }
}

function waitingFor(a: Active): string[] {
  return [...a.present].filter(([, userId]) => !a.consents.has(userId)).map(([s]) => s);
}

function statusOf(a: Active): RecordingStatus {
  const waiting = waitingFor(a).length > 0;
  if (!waiting) return 'recording';
  return a.started ? 'paused' : 'asking';
}
