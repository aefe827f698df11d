// DOM: create a visit for an appointment; the service answers with the patient's link.
import { useState, type FormEvent } from 'react';
import {
  CreateMeetingRequestSchema,
  type CreateMeetingRequest,
  type CreateMeetingResponse,
} from '@bedside/shared';
import { ApiError, type ApiClient } from '../api';
import { nextQuarterHour, toDateTimeLocal } from '../ui/format';
import { createLogger } from '../logger';
import { apiErrorText, errorCode } from '../ui/apiError';
import { ErrorText } from '../ui/ErrorText';
import { PATIENT_LANGUAGES, useT, type PatientLanguage } from '../i18n/i18n';

const log = createLogger('new-visit');

export function NewVisitForm(props: {
  api: ApiClient;
  /** `language`: the patient page's language, which their link carries (`?lang=`). */
  onCreated: (created: CreateMeetingResponse, language: PatientLanguage | null) => void;
  onUnauthorized: () => void;
}) {
  const t = useT();
  const [appointmentId, setAppointmentId] = useState('');
  const [language, setLanguage] = useState<PatientLanguage | null>(null);
  const [patientName, setPatientName] = useState('');
  const [when, setWhen] = useState(() => toDateTimeLocal(nextQuarterHour(new Date())));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const scheduled = new Date(when);
    if (Number.isNaN(scheduled.getTime())) {
      setError(t('newVisit.error.time'));
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
          ? t('newVisit.error.appointmentId')
          : field === 'patientName'
            ? t('newVisit.error.patientName')
            : t('newVisit.error.form'),
      );
      return;
    }
    setBusy(true);
    try {
      const created = await props.api.createMeeting(parsed.data);
      setAppointmentId('');
      setPatientName('');
      props.onCreated(created, language);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unauthorized') props.onUnauthorized();
      else {
        log.warn('create-failed', { code: errorCode(err) });
        setError(apiErrorText(t, 'visit.create', err));
      }
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
      <h2 id="new-visit-title">{t('newVisit.title')}</h2>
      <label htmlFor="appointment-id">{t('newVisit.appointmentId')}</label>
      <input
        id="appointment-id"
        value={appointmentId}
        onChange={(e) => setAppointmentId(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        required
        aria-describedby="new-visit-error"
      />
      <label htmlFor="patient-name">{t('newVisit.patientName')}</label>
      <input
        id="patient-name"
        value={patientName}
        onChange={(e) => setPatientName(e.target.value)}
        autoComplete="off"
        maxLength={80}
      />
      <label htmlFor="scheduled-time">{t('newVisit.scheduledTime')}</label>
      <input
        id="scheduled-time"
        type="datetime-local"
        value={when}
        onChange={(e) => setWhen(e.target.value)}
        required
      />
      <label htmlFor="patient-language">{t('newVisit.language')}</label>
      <select
        id="patient-language"
        value={language ?? ''}
        onChange={(e) => setLanguage((e.target.value || null) as PatientLanguage | null)}
      >
        <option value="">{t('newVisit.languageBrowser')}</option>
        {PATIENT_LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
      <ErrorText id="new-visit-error" message={error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('newVisit.creating') : t('newVisit.create')}
      </button>
    </form>
  );
}
