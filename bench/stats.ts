/** Latency summaries for the benchmark: nearest-rank percentiles, in milliseconds. */

export interface LatencySummary {
  readonly name: string;
  readonly count: number;
  readonly concurrency: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
  /** Completed requests per second of wall time for the whole loop. */
  readonly perSecond: number;
  /** Set when the loop stopped on its time budget before its count. */
  readonly cutShort: boolean;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(
  name: string,
  samples: readonly number[],
  wallMs: number,
  concurrency: number,
  cutShort: boolean,
): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return {
    name,
    count: sorted.length,
    concurrency,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? Number.NaN,
    mean,
    perSecond: wallMs > 0 ? (sorted.length * 1000) / wallMs : Number.NaN,
    cutShort,
  };
}

export function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '–';
}

/** A Markdown table; the first row is the header. */
export function table(rows: ReadonlyArray<readonly string[]>, rightAligned: readonly boolean[] = []): string {
  const [header, ...body] = rows;
  if (!header) return '';
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (rightAligned[i] ? '---:' : '---'));
  return [line(header), line(rule), ...body.map(line)].join('\n');
}
