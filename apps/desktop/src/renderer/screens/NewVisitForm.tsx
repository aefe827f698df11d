// DOM: create a visit for an appointment; the service answers with the patient's link.
import { useState, type FormEvent } from 'react';
import {
  CreateMeetingRequestSchema,
  type CreateMeetingRequest,
  type CreateMeetingResponse,
} from '@bedside/shared';
import { ApiError, type ApiClient } from '../api';
import { nextQuarterHour, toDateTimeLocal } from '../ui/format';
import { ErrorText } from '../ui/ErrorText';

export function NewVisitForm(props: {
  api: ApiClient;
  onCreated: (created: CreateMeetingResponse) => void;
  onUnauthorized: () => void;
}) {
  const [appointmentId, setAppointmentId] = useState('');
  const [patientName, setPatientName] = useState('');
  const [when, setWhen] = useState(() => toDateTimeLocal(nextQuarterHour(new Date())));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const scheduled = new Date(when);
    if (Number.isNaN(scheduled.getTime())) {
      setError('Choose the scheduled date and time.');
      return;
    }
    const body: CreateMeetingRequest = {
      appointmentId: appointmentId.trim(),
      scheduledTime: scheduled.toISOString(),
      ...(patientName.trim() ? { patientName: patientName.trim() } : {}),
    };
    const parsed = CreateMeetingRequestSchema.safeParse(body);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0];
      setError(
        field === 'appointmentId'
          ? 'The appointment ID may hold letters, digits, "-" and "_" only (up to 64).'
          : field === 'patientName'
            ? 'The patient name is too long or holds characters that cannot be used.'
            : 'Check the form and try again.',
      );
      return;
    }
    setBusy(true);
    try {
      const created = await props.api.createMeeting(parsed.data);
      setAppointmentId('');
      setPatientName('');
      props.onCreated(created);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unauthorized') props.onUnauthorized();
      else setError(err instanceof ApiError ? err.message : 'The visit could not be created.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="new-visit-title"
    >
      <h2 id="new-visit-title">New visit</h2>
      <label htmlFor="appointment-id">Appointment ID</label>
      <input
        id="appointment-id"
        value={appointmentId}
        onChange={(e) => setAppointmentId(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        required
        aria-describedby="new-visit-error"
      />
      <label htmlFor="patient-name">Patient name</label>
      <input
        id="patient-name"
        value={patientName}
        onChange={(e) => setPatientName(e.target.value)}
        autoComplete="off"
        maxLength={80}
      />
      <label htmlFor="scheduled-time">Scheduled time</label>
      <input
        id="scheduled-time"
        type="datetime-local"
        value={when}
        onChange={(e) => setWhen(e.target.value)}
        required
      />
      <ErrorText id="new-visit-error" message={error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? 'Creating…' : 'Create visit'}
      </button>
    </form>
  );
}
