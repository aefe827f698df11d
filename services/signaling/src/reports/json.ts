// Node: the report as JSON (`CallDurationsResponse`), streamed: rows go out as they are read
// and the summaries, which need every row, close the document. Memory grows with doctors and
// days, not rows.
import type { CallDurationRow } from '@bedside/shared';
import { ChunkWriter } from './chunks.js';
import { ReportSummary } from './compute.js';

export async function* jsonChunks<T>(
  source: AsyncIterable<T>,
  toRow: (item: T) => CallDurationRow,
  head: { timeZone: string; from: string | null; to: string | null },
): AsyncGenerator<Buffer> {
  const summary = new ReportSummary();
  const out = new ChunkWriter();
  out.write(
    `{"timeZone":${JSON.stringify(head.timeZone)},"from":${JSON.stringify(head.from)},` +
      `"to":${JSON.stringify(head.to)},"rows":[`,
  );
  let separator = '';
  for await (const item of source) {
    const row = toRow(item);
    summary.add(row);
    const full = out.write(separator + JSON.stringify(row));
    separator = ',';
    if (full) yield full;
  }
  // `{"totals":…}` without its opening brace continues the document.
  const full = out.write(`],${JSON.stringify(summary.result()).slice(1)}`);
  if (full) yield full;
  const rest = out.flush();
  if (rest) yield rest;
}
