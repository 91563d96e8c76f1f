import { ragFor, trendOf, type KpiStatus, type KpiUnit, type Polarity, type Rag, type Tolerance } from './kpi.js';
import {
  lastCompletePeriod,
  parsePeriod,
  periodOf,
  previousPeriod,
  samePeriodLastYear,
  type FinancialPeriod,
  type Frequency,
} from './periods.js';

export interface KpiOwner {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string | undefined;
}

export interface KpiDefinition {
  readonly code: string;
  readonly name: string;
  readonly description: string;
  readonly unit: KpiUnit;
  readonly polarity: Polarity;
  /** In the KPI's unit; pence for £ KPIs. */
  readonly target: number;
  readonly tolerance: Tolerance;
  readonly frequency: Frequency;
  readonly owner: KpiOwner | undefined;
  /** A council code of the partnership, or SHARED. */
  readonly council: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A reading's period and value: enough for RAG, trends and sparklines. */
export interface ReadingPoint {
  /** The period's canonical label: `2026-10`, `2026/27 Q2`, `2026/27`. */
  readonly period: string;
  readonly value: number;
}

export interface KpiReading extends ReadingPoint {
  readonly commentary: string;
  readonly recordedBy: string;
  readonly recordedById: string;
  readonly recordedAt: string;
}

export type Trend = 'better' | 'worse' | 'same';

export interface KpiAssessment {
  readonly status: KpiStatus;
  /** The period whose reading decides the status: the last complete one for the KPI's frequency. */
  readonly due: FinancialPeriod;
  readonly latest: (ReadingPoint & { rag: Rag }) | undefined;
  readonly trend: Trend | undefined;
  readonly lastYear: (ReadingPoint & { trend: Trend | undefined }) | undefined;
  /** Oldest first, up to 12, including an early reading for the period in progress: what the sparkline draws. */
  readonly history: readonly ReadingPoint[];
}

export const SHARED = 'SHARED';
export const HISTORY_SHOWN = 12;

export function ragOf(kpi: KpiDefinition, value: number): Rag {
  return ragFor({ value, target: kpi.target, tolerance: kpi.tolerance, polarity: kpi.polarity });
}

/**
 * The status a committee reads: RAG of the reading for the last complete period, "No data" when
 * that period has none; the trend against the reading before it and the same period last year.
 */
export function assessKpi(kpi: KpiDefinition, readings: readonly ReadingPoint[], now: Date): KpiAssessment {
  const due = lastCompletePeriod(kpi.frequency, now);
  // An early reading for the period in progress is shown, but the status waits for the period to end.
  const latestShown = periodOf(kpi.frequency, now);
  const sorted = readings
    .map((r) => ({ r, p: parsePeriod(r.period) }))
    .filter(
      (x): x is { r: ReadingPoint; p: FinancialPeriod } =>
        x.p !== undefined && x.p.frequency === kpi.frequency && x.p.sortKey <= latestShown.sortKey,
    )
    .sort((a, b) => (a.p.sortKey < b.p.sortKey ? -1 : 1));
  const history = sorted.slice(-HISTORY_SHOWN).map((x) => x.r);
  const at = sorted.findIndex((x) => x.p.sortKey === due.sortKey);
  if (at < 0) {
    return { status: 'No data', due, latest: undefined, trend: undefined, lastYear: undefined, history };
  }
  const current = sorted[at]!.r;
  const previous = sorted[at - 1]?.r;
  const yearBefore = samePeriodLastYear(due).label;
  const year = sorted.find((x) => x.p.label === yearBefore)?.r;
  const rag = ragOf(kpi, current.value);
  return {
    status: rag,
    due,
    latest: { ...current, rag },
    trend: trendOf(current.value, previous?.value, kpi.polarity),
    lastYear: year ? { ...year, trend: trendOf(current.value, year.value, kpi.polarity) } : undefined,
    history,
  };
}

/** A reading may be for any past period and for the one in progress (an early figure), never later. */
export function latestRecordablePeriod(kpi: Pick<KpiDefinition, 'frequency'>, now: Date): FinancialPeriod {
  return periodOf(kpi.frequency, now);
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of the values (oldest first) that every Teams client can show. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (max === min) return BARS[3]!.repeat(values.length);
  return values.map((v) => BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))]!).join('');
}

export interface YearToDate {
  readonly value: number;
  /** Months counted, e.g. 7 for April to October. */
  readonly months: number;
  /** The same months of the year before, when every one of them has a reading. */
  readonly lastYear: number | undefined;
}

/** For monthly counts (e.g. major incidents), the committee compares the year so far with last year's. */
export function yearToDate(
  kpi: KpiDefinition,
  readings: readonly ReadingPoint[],
  due: FinancialPeriod,
): YearToDate | undefined {
  if (kpi.unit !== 'count' || kpi.frequency !== 'monthly' || due.frequency !== 'monthly') return undefined;
  const byPeriod = new Map(readings.map((r) => [r.period, r.value]));
  let value = 0;
  let lastYear: number | undefined = 0;
  let months = 0;
  for (
    let p: FinancialPeriod | undefined = due;
    p && p.fyStart === due.fyStart;
    p = p.index > 1 ? previousPeriod(p) : undefined
  ) {
    const v = byPeriod.get(p.label);
    if (v === undefined) return undefined;
    value += v;
    months++;
    const before = byPeriod.get(samePeriodLastYear(p).label);
    lastYear = before === undefined || lastYear === undefined ? undefined : lastYear + before;
  }
  return { value, months, lastYear };
}
