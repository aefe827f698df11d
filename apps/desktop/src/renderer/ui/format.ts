// Pure: display formatting shared by the screens.
import { t } from '../i18n/i18n';

/**
 * "12 min 5 s", "1 h 3 min", "45 s": visit lengths as the doctor and billing read them. The units
 * are catalog messages (`duration.*`); Intl.DurationFormat would do this but is not in every
 * browser the renderer also runs in (Firefox ESR 128).
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return m > 0 ? t('duration.hm', { h, m }) : t('duration.h', { h });
  if (m > 0) return rest > 0 ? t('duration.ms', { m, s: rest }) : t('duration.m', { m });
  return t('duration.s', { s: rest });
}

/** "900 B", "20 KB", "3.4 MB"; the units are catalog messages (`size.*`), like `duration.*`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return t('size.b', { n: String(bytes) });
  if (bytes < 1024 * 1024) return t('size.kb', { n: String(Math.round(bytes / 1024)) });
  return t('size.mb', { n: (bytes / (1024 * 1024)).toFixed(1) });
}

/** "09:30" in the workstation's locale and zone. */
export function formatTime(iso: string, locale?: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** "for 4 min" since an ISO instant, relative to `now` (ms). */
export function formatWaitingFor(sinceIso: string, now: number): string {
  const seconds = Math.max(0, (now - new Date(sinceIso).getTime()) / 1000);
  if (seconds < 60) return t('waitingRoom.lessThanMinute');
  return formatDuration(Math.floor(seconds / 60) * 60);
}

/** Start and end of the local calendar day that contains `now`, as ISO instants. */
export function todayRange(now: Date): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  end.setMilliseconds(end.getMilliseconds() - 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** A `<input type="datetime-local">` value for `date` in local time ("2025-05-01T09:30"). */
export function toDateTimeLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The next quarter hour after `now`, for a new visit's default time. */
export function nextQuarterHour(now: Date): Date {
  const d = new Date(now);
  d.setSeconds(0, 0);
  d.setMinutes(Math.ceil((d.getMinutes() + 1) / 15) * 15);
  return d;
}
