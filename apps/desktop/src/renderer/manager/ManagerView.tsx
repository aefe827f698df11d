// DOM: the clinic manager's call-duration report: filters, totals, charts per day and per
// doctor, the rows, and CSV export through the bridge (native save dialog in Electron, a
// download in the browser stand-in).
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type {
  CallDurationRow,
  BedsideBridge,
  CallDurationsResponse,
  ExportProgress,
  MeetingStatus,
} from '@bedside/shared';
import { t, type MessageId } from '../i18n/i18n';
import { createLogger } from '../logger';
import { apiErrorText, errorCode } from '../ui/apiError';
import { bridgeErrorText } from '../ui/bridgeError';
import { BarChart } from './BarChart';
import {
  clinicWallTime,
  formatSeconds,
  exportFileName,
  fillDays,
  formatBytes,
  isDate,
  shortDate,
  thisMonth,
} from './dates';
import { fetchReport, reportQuery, type ReportFilters } from './reportApi';
import './manager.css';

const log = createLogger('manager');

/** Rows drawn in the table; the export carries all of them. */
const TABLE_LIMIT = 500;

const STATUSES: readonly MeetingStatus[] = ['scheduled', 'active', 'completed', 'cancelled'];
// The manager's report is a lazy chunk in the English-only doctor app: module-level `t`.
const statusLabel = (s: MeetingStatus) => t(`mgr.status.${s}` satisfies MessageId);
const qualityLabel = (q: CallDurationRow['quality']) => t(`mgr.quality.${q}` satisfies MessageId);

type ReportState =
  | { kind: 'loading' }
  | { kind: 'loaded'; data: CallDurationsResponse; filters: ReportFilters }
  | { kind: 'error'; message: string };

type ExportState =
  | { kind: 'idle' }
  | { kind: 'exporting'; bytes: number }
  | { kind: 'done'; path: string; bytes: number }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

const duration = (s: number | null): string => (s === null ? '—' : formatSeconds(s));

export function ManagerView(props: { serverUrl: string; token: string; bridge: BedsideBridge }) {
  const { serverUrl, token, bridge } = props;
  const initial = useMemo<ReportFilters>(
    () => ({ ...thisMonth(new Date()), doctorId: '', status: '' }),
    [],
  );
  const [form, setForm] = useState<ReportFilters>(initial);
  const [applied, setApplied] = useState<ReportFilters>(initial);
  const [formError, setFormError] = useState<string | null>(null);
  const [report, setReport] = useState<ReportState>({ kind: 'loading' });
  const [exportState, setExportState] = useState<ExportState>({ kind: 'idle' });
  // Doctors seen in any report so far: filtering to one doctor must not empty the list.
  const [doctors, setDoctors] = useState<ReadonlyMap<string, string | null>>(new Map());
  const heading = useRef<HTMLHeadingElement>(null);
  const fieldId = useId();

  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    fetchReport(serverUrl, token, applied, abort.signal).then(
      (data) => {
        setReport({ kind: 'loaded', data, filters: applied });
        setDoctors((known) => {
          const next = new Map(known);
          for (const d of data.perDoctor) next.set(d.doctorId, d.doctorName);
          return next;
        });
      },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        log.warn('report-load-failed', { code: errorCode(error) });
        setReport({ kind: 'error', message: apiErrorText(t, 'report.load', error) });
      },
    );
    return () => abort.abort();
  }, [serverUrl, token, applied]);

  function apply(event: FormEvent) {
    event.preventDefault();
    if (!isDate(form.from) || !isDate(form.to)) {
      setFormError(t('mgr.error.dates'));
      return;
    }
    if (form.from > form.to) {
      setFormError(t('mgr.error.order'));
      return;
    }
    setFormError(null);
    setReport({ kind: 'loading' });
    setApplied({ ...form });
  }

  async function exportCsv() {
    if (report.kind !== 'loaded') return;
    const filters = report.filters;
    setExportState({ kind: 'exporting', bytes: 0 });
    const onProgress = (p: ExportProgress) =>
      setExportState((s) => (s.kind === 'exporting' ? { kind: 'exporting', bytes: p.bytes } : s));
    try {
      const result = await bridge.reports.exportCsv(
        { query: reportQuery(filters), suggestedName: exportFileName(filters.from, filters.to) },
        onProgress,
      );
      if (!result.ok) {
        log.warn('export-refused', { code: result.error.code });
        setExportState({
          kind: 'error',
          message: bridgeErrorText(t, 'reports.export', result.error),
        });
      } else if (result.data.path === null) setExportState({ kind: 'cancelled' });
      else setExportState({ kind: 'done', path: result.data.path, bytes: result.data.bytes });
    } catch (error) {
      log.warn('export-failed', { code: errorCode(error) });
      setExportState({ kind: 'error', message: t('mgr.error.export') });
    }
  }

  const doctorOptions = [...doctors.entries()].sort(([aId, aName], [bId, bName]) =>
    (aName ?? aId).localeCompare(bName ?? bId),
  );

  return (
    <main className="mgr-page">
      <h1 ref={heading} tabIndex={-1} className="mgr-heading">
        {t('mgr.title')}
      </h1>

      <form className="mgr-filters" onSubmit={apply} aria-describedby="mgr-form-error" noValidate>
        <div className="mgr-field">
          <label htmlFor={`${fieldId}-from`}>{t('mgr.from')}</label>
          <input
            id={`${fieldId}-from`}
            type="date"
            value={form.from}
            required
            onChange={(e) => setForm({ ...form, from: e.target.value })}
          />
        </div>
        <div className="mgr-field">
          <label htmlFor={`${fieldId}-to`}>{t('mgr.to')}</label>
          <input
            id={`${fieldId}-to`}
            type="date"
            value={form.to}
            required
            onChange={(e) => setForm({ ...form, to: e.target.value })}
          />
        </div>
        <div className="mgr-field">
          <label htmlFor={`${fieldId}-doctor`}>{t('mgr.doctor')}</label>
          <select
            id={`${fieldId}-doctor`}
            value={form.doctorId}
            onChange={(e) => setForm({ ...form, doctorId: e.target.value })}
          >
            <option value="">{t('mgr.allDoctors')}</option>
            {doctorOptions.map(([id, name]) => (
              <option key={id} value={id}>
                {name ?? id}
              </option>
            ))}
          </select>
        </div>
        <div className="mgr-field">
          <label htmlFor={`${fieldId}-status`}>{t('mgr.status')}</label>
          <select
            id={`${fieldId}-status`}
            value={form.status}
            onChange={(e) => setForm({ ...form, status: e.target.value as MeetingStatus | '' })}
          >
            <option value="">{t('mgr.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="mgr-button">
          {t('mgr.show')}
        </button>
        <p id="mgr-form-error" className="mgr-error" role="alert" hidden={formError === null}>
          {formError}
        </p>
      </form>

      <ReportBody report={report} />

      <section className="mgr-export" aria-label={t('mgr.export')}>
        <button
          type="button"
          className="mgr-button mgr-button-primary"
          onClick={() => void exportCsv()}
          disabled={report.kind !== 'loaded' || exportState.kind === 'exporting'}
        >
          {t('mgr.exportCsv')}
        </button>
        <ExportStatus state={exportState} />
      </section>
    </main>
  );
}

function ReportBody({ report }: { report: ReportState }) {
  if (report.kind === 'loading')
    return (
      <p className="mgr-muted" role="status">
        {t('mgr.loading')}
      </p>
    );
  if (report.kind === 'error')
    return (
      <p className="mgr-error" role="alert">
        {report.message}
      </p>
    );
  const { data, filters } = report;
  const { totals } = data;
  const days = fillDays(data.perDay, filters.from, filters.to);
  const dayBars = days.map((d) => ({
    key: d.date,
    label: shortDate(d.date),
    value: d.totalDurationSeconds,
  }));
  const doctorBars = data.perDoctor.map((d) => ({
    key: d.doctorId,
    label: d.doctorName ?? d.doctorId,
    value: d.totalDurationSeconds,
  }));
  // Share of visits with poor quality, among those measured (visits without reports left out).
  const poorShare = (t: object) => {
    const { qualityMeasured = 0, qualityPoor = 0 } = t as {
      qualityMeasured?: number;
      qualityPoor?: number;
    };
    return qualityMeasured ? Math.round((qualityPoor / qualityMeasured) * 100) : 0;
  };
  const poorDayBars = days.map((d) => ({
    key: d.date,
    label: shortDate(d.date),
    value: poorShare(d),
  }));
  const poorDoctorBars = data.perDoctor.map((d) => ({
    key: d.doctorId,
    label: d.doctorName ?? d.doctorId,
    value: poorShare(d),
  }));
  const percent = (v: number) => t('mgr.chart.percent', { value: v });
  const shown = data.rows.slice(0, TABLE_LIMIT);

  return (
    <>
      <p className="mgr-muted">{t('mgr.timesIn', { zone: data.timeZone })}</p>
      <dl className="mgr-totals" aria-label={t('mgr.totals')}>
        <Total term={t('mgr.total.visits')} value={String(totals.meetings)} />
        <Total term={t('mgr.total.completed')} value={String(totals.completed)} />
        <Total term={t('mgr.total.time')} value={formatSeconds(totals.totalDurationSeconds)} />
        <Total term={t('mgr.total.average')} value={duration(totals.averageDurationSeconds)} />
        <Total term={t('mgr.total.active')} value={String(totals.active ?? 0)} />
        <Total term={t('mgr.total.cancelled')} value={String(totals.cancelled ?? 0)} />
      </dl>

      {totals.meetings === 0 ? (
        <p className="mgr-muted">{t('mgr.none')}</p>
      ) : (
        <div className="mgr-charts">
          <BarChart
            title={t('mgr.chart.timePerDay')}
            bars={dayBars}
            format={formatSeconds}
            labelHeading={t('mgr.chart.day')}
            valueHeading={t('mgr.chart.visitTime')}
            orientation="columns"
            kind="duration"
            labelEvery={dayBars.length > 16 ? 5 : 1}
          />
          <BarChart
            title={t('mgr.chart.timePerDoctor')}
            bars={doctorBars}
            format={formatSeconds}
            labelHeading={t('mgr.doctor')}
            valueHeading={t('mgr.chart.visitTime')}
            orientation="rows"
            kind="duration"
          />
          {(totals.qualityMeasured ?? 0) > 0 ? (
            <>
              <BarChart
                title={t('mgr.chart.poorPerDay')}
                bars={poorDayBars}
                format={percent}
                labelHeading={t('mgr.chart.day')}
                valueHeading={t('mgr.chart.poorShare')}
                orientation="columns"
                kind="count"
                labelEvery={poorDayBars.length > 16 ? 5 : 1}
              />
              <BarChart
                title={t('mgr.chart.poorPerDoctor')}
                bars={poorDoctorBars}
                format={percent}
                labelHeading={t('mgr.doctor')}
                valueHeading={t('mgr.chart.poorShare')}
                orientation="rows"
                kind="count"
              />
            </>
          ) : null}
        </div>
      )}

      {totals.meetings > 0 ? (
        // It scrolls sideways on narrow windows: focusable, so keyboard users can scroll it too.
        <div className="mgr-table-wrap" tabIndex={0} role="region" aria-label={t('mgr.table')}>
          <table className="mgr-table">
            <caption>
              {data.rows.length > TABLE_LIMIT
                ? t('mgr.table.first', { limit: TABLE_LIMIT, count: data.rows.length })
                : t('mgr.table.count', { count: data.rows.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('mgr.col.scheduled')}</th>
                <th scope="col">{t('mgr.col.appointment')}</th>
                <th scope="col">{t('mgr.col.doctor')}</th>
                <th scope="col">{t('mgr.col.patient')}</th>
                <th scope="col">{t('mgr.col.status')}</th>
                <th scope="col">{t('mgr.col.started')}</th>
                <th scope="col">{t('mgr.col.ended')}</th>
                <th scope="col" className="mgr-num">
                  {t('mgr.col.duration')}
                </th>
                <th scope="col" className="mgr-num">
                  {t('mgr.col.doctorConnected')}
                </th>
                <th scope="col" className="mgr-num">
                  {t('mgr.col.patientConnected')}
                </th>
                <th scope="col">{t('mgr.col.quality')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.roomId}>
                  <td>{clinicWallTime(r.scheduledTime)}</td>
                  <td>{r.appointmentId}</td>
                  <td>{r.doctorName ?? r.doctorId}</td>
                  <td>{r.patientId}</td>
                  <td>
                    <span className={`mgr-status mgr-status-${r.status}`}>
                      {statusLabel(r.status)}
                    </span>
                  </td>
                  <td>{clinicWallTime(r.startTime)}</td>
                  <td>{clinicWallTime(r.endTime)}</td>
                  <td className="mgr-num">{duration(r.duration)}</td>
                  <td className="mgr-num">{formatSeconds(r.doctorConnectedSeconds)}</td>
                  <td className="mgr-num">{formatSeconds(r.patientConnectedSeconds)}</td>
                  <td>
                    {qualityLabel(r.quality)}
                    {r.relayUsed ? t('mgr.relayed') : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function Total({ term, value }: { term: string; value: string }) {
  return (
    <div className="mgr-total">
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function ExportStatus({ state }: { state: ExportState }) {
  switch (state.kind) {
    case 'idle':
      return <p className="mgr-export-status" role="status" />;
    case 'exporting':
      return (
        <p className="mgr-export-status" role="status">
          <progress className="mgr-progress" aria-label={t('mgr.exportProgress')} />
          {t('mgr.exporting', { size: formatBytes(state.bytes) })}
        </p>
      );
    case 'done':
      return (
        <p className="mgr-export-status" role="status">
          {t('mgr.exportSaved', { path: state.path, size: formatBytes(state.bytes) })}
        </p>
      );
    case 'cancelled':
      return (
        <p className="mgr-export-status" role="status">
          {t('mgr.exportCancelled')}
        </p>
      );
    case 'error':
      return (
        <p className="mgr-export-status mgr-error" role="alert">
          {state.message}
        </p>
      );
  }
}
