// DOM: a small hand-drawn SVG bar chart. The picture is one `role="img"` with a spoken
// summary; the numbers behind it are in a real table right below, for screen readers and for
// anyone who wants the exact figures.
import { useId } from 'react';
import { t } from '../i18n/i18n';

export interface Bar {
  key: string;
  label: string;
  value: number;
}

interface BarChartProps {
  title: string;
  bars: readonly Bar[];
  /** How a value reads ("3 h 20 min"). */
  format: (value: number) => string;
  /** Column heading for the labels in the data table. */
  labelHeading: string;
  valueHeading: string;
  orientation: 'columns' | 'rows';
  /** What the values are, for round gridlines. */
  kind?: 'count' | 'duration';
  /** Columns: show every n-th label under the axis (others stay in the tooltip and table). */
  labelEvery?: number;
}

const GRID_LINES = 4;
/** Tidy gridline steps for durations (seconds): minutes, quarter hours, hours, days. */
const DURATION_STEPS = [
  1, 5, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 28800, 43200,
  86400,
];

/**
 * The axis maximum: four gridlines at round values above `max` — 1 / 2 / 5 × 10ⁿ for counts,
 * whole minutes and hours for durations ("15 min, 30 min, 45 min, 1 h").
 */
export function niceMax(max: number, kind: 'count' | 'duration'): number {
  if (max <= 0) return GRID_LINES;
  if (kind === 'duration') {
    const step = DURATION_STEPS.find((s) => s * GRID_LINES >= max);
    if (step !== undefined) return step * GRID_LINES;
    const days = Math.ceil(max / GRID_LINES / 86400);
    return days * 86400 * GRID_LINES;
  }
  const exp = 10 ** Math.floor(Math.log10(max / GRID_LINES));
  for (const step of [1, 2, 5, 10])
    if (step * exp * GRID_LINES >= max) return step * exp * GRID_LINES;
  return 10 * exp * GRID_LINES;
}

export function summarize(
  title: string,
  bars: readonly Bar[],
  format: (v: number) => string,
): string {
  if (bars.length === 0) return `${title}: no data.`;
  const total = bars.reduce((s, b) => s + b.value, 0);
  const top = bars.reduce((a, b) => (b.value > a.value ? b : a));
  const entries = bars.length === 1 ? '1 entry' : `${bars.length} entries`;
  if (total === 0) return `${title}: ${entries}, all zero.`;
  return `${title}: ${entries}, total ${format(total)}; highest ${top.label} with ${format(top.value)}.`;
}

export function BarChart(props: BarChartProps) {
  const id = useId();
  const { bars, format } = props;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)), props.kind ?? 'count');
  const summary = summarize(props.title, bars, format);
  return (
    <figure className="mgr-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="mgr-chart-title">
        {props.title}
      </figcaption>
      {props.orientation === 'columns' ? (
        <Columns
          bars={bars}
          max={max}
          format={format}
          summary={summary}
          labelEvery={props.labelEvery ?? 1}
        />
      ) : (
        <Rows bars={bars} max={max} format={format} summary={summary} />
      )}
      <details className="mgr-chart-data">
        <summary>{t('mgr.chart.data')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.labelHeading}</th>
              <th scope="col">{props.valueHeading}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.label}</th>
                <td>{format(b.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

const GRID = [1, 2, 3, 4].map((i) => i / GRID_LINES);

function Columns(props: {
  bars: readonly Bar[];
  max: number;
  format: (v: number) => string;
  summary: string;
  labelEvery: number;
}) {
  const { bars, max, format } = props;
  const left = 80;
  const top = 8;
  const plotH = 160;
  // A month of days fits a half-width card at a readable scale.
  const slot = bars.length > 20 ? 16 : 24;
  const gap = slot > 16 ? 8 : 4;
  const width = left + Math.max(1, bars.length) * slot + 8;
  const height = top + plotH + 28;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  return (
    <svg
      className="mgr-chart-svg"
      role="img"
      aria-label={props.summary}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="xMinYMin meet"
    >
      {GRID.map((g) => (
        <g key={g} className="mgr-grid" aria-hidden="true">
          <line x1={left} x2={width - 4} y1={y(g * max)} y2={y(g * max)} />
          <text x={left - 6} y={y(g * max) + 4} textAnchor="end">
            {format(g * max)}
          </text>
        </g>
      ))}
      <line className="mgr-axis" x1={left} x2={width - 4} y1={y(0)} y2={y(0)} aria-hidden="true" />
      {bars.map((b, i) => {
        const x = left + i * slot + gap / 2;
        const h = y(0) - y(b.value);
        return (
          <g key={b.key}>
            <rect
              className="mgr-bar"
              x={x}
              y={y(b.value)}
              width={slot - gap}
              height={Math.max(0, h)}
            >
              <title>{`${b.label}: ${format(b.value)}`}</title>
            </rect>
            {i % props.labelEvery === 0 ? (
              <text
                className="mgr-tick"
                x={x + (slot - gap) / 2}
                y={y(0) + 16}
                textAnchor="middle"
                aria-hidden="true"
              >
                {b.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

function Rows(props: {
  bars: readonly Bar[];
  max: number;
  format: (v: number) => string;
  summary: string;
}) {
  const { bars, max, format } = props;
  const left = 150;
  const right = 110;
  const plotW = 420;
  const rowH = 28;
  const width = left + plotW + right;
  const height = Math.max(1, bars.length) * rowH + 8;
  return (
    <svg
      className="mgr-chart-svg"
      role="img"
      aria-label={props.summary}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="xMinYMin meet"
    >
      {bars.map((b, i) => {
        const yTop = 4 + i * rowH;
        const w = (b.value / max) * plotW;
        const label = b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label;
        return (
          <g key={b.key}>
            <text
              className="mgr-tick"
              x={left - 8}
              y={yTop + rowH / 2 + 4}
              textAnchor="end"
              aria-hidden="true"
            >
              {label}
            </text>
            <rect
              className="mgr-bar"
              x={left}
              y={yTop + 4}
              width={Math.max(0, w)}
              height={rowH - 8}
            >
              <title>{`${b.label}: ${format(b.value)}`}</title>
            </rect>
            <text className="mgr-value" x={left + w + 6} y={yTop + rowH / 2 + 4} aria-hidden="true">
              {format(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
