// Node: the report as JSON (`CallDurationsResponse`), streamed: rows go out as they are read
// and the summaries, which need every row, close the document. Memory grows with doctors and
// days, not rows.
import type { CallDurationRow } from '@bedside/shared';
import { ReportSummary } from './compute.js';

/** Rows per chunk; large enough that the per-chunk cost disappears. */
const BATCH = 256;

export async function* jsonChunks<T>(
  source: AsyncIterable<T>,
  toRow: (item: T) => CallDurationRow,
  head: { timeZone: string; from: string | null; to: string | null },
): AsyncGenerator<Buffer> {
  const summary = new ReportSummary();
  yield Buffer.from(
    `{"timeZone":${JSON.stringify(head.timeZone)},"from":${JSON.stringify(head.from)},` +
      `"to":${JSON.stringify(head.to)},"rows":[`,
  );
  let parts: string[] = [];
  let first = true;
  for await (const item of source) {
    const row = toRow(item);
    summary.add(row);
    parts.push(JSON.stringify(row));
    if (parts.length === BATCH) {
      yield Buffer.from((first ? '' : ',') + parts.join(','));
      first = false;
      parts = [];
    }
  }
  if (parts.length > 0) yield Buffer.from((first ? '' : ',') + parts.join(','));
  // `{"totals":…}` without its opening brace continues the document.
  yield Buffer.from(`],${JSON.stringify(summary.result()).slice(1)}`);
}
