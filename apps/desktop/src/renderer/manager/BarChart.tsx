// DOM: a small hand-drawn SVG bar chart. The picture is one `role="img"` with a spoken
// summary; the numbers behind it are in a real table right below, for screen readers and for
// anyone who wants the exact figures.
import { useId } from 'react';

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
  /** Columns: show every n-th label under the axis (others stay in the tooltip and table). */
  labelEvery?: number;
}

/** Largest value rounded up to a tidy 1 / 2 / 5 × 10ⁿ, so gridlines land on round numbers. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * exp >= max) return step * exp;
  return 10 * exp;
}

export function summarize(
  title: string,
  bars: readonly Bar[],
  format: (v: number) => string,
): string {
  if (bars.length === 0) return `${title}: no data.`;
  const total = bars.reduce((s, b) => s + b.value, 0);
  const top = bars.reduce((a, b) => (b.value > a.value ? b : a));
  if (total === 0) return `${title}: ${bars.length} entries, all zero.`;
  return `${title}: ${bars.length} entries, total ${format(total)}; highest ${top.label} with ${format(top.value)}.`;
}

export function BarChart(props: BarChartProps) {
  const id = useId();
  const { bars, format } = props;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
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
        <summary>Chart data</summary>
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

const GRID = [0.25, 0.5, 0.75, 1];

function Columns(props: {
  bars: readonly Bar[];
  max: number;
  format: (v: number) => string;
  summary: string;
  labelEvery: number;
}) {
  const { bars, max, format } = props;
  const left = 64;
  const top = 8;
  const plotH = 160;
  const slot = 24;
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
        const x = left + i * slot + 4;
        const h = y(0) - y(b.value);
        return (
          <g key={b.key}>
            <rect className="mgr-bar" x={x} y={y(b.value)} width={slot - 8} height={Math.max(0, h)}>
              <title>{`${b.label}: ${format(b.value)}`}</title>
            </rect>
            {i % props.labelEvery === 0 ? (
              <text
                className="mgr-tick"
                x={x + (slot - 8) / 2}
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
