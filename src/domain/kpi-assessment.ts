import { ragFor, trendOf, type KpiUnit, type Polarity } from './kpi.js';
import { targetIn, type YearTarget, type YearTargets } from './kpi-targets.js';
import {
  comparePeriods,
  periodFromLabel,
  periodsBack,
  previousPeriod,
  samePeriodLastYear,
  type FinancialPeriod,
  type Frequency,
  type PeriodsAt,
} from './periods.js';
import type { Rag, RagStatus, Trend } from './rag.js';

export interface KpiOwner {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string | undefined;
}

/** What RAG and trends depend on: each year's target and how far it may be missed, and which way is better. */
export interface KpiRules {
  readonly unit: KpiUnit;
  readonly polarity: Polarity;
  /** The target and tolerance of each financial year, in the KPI's unit (pence for £ KPIs). */
  readonly targets: YearTargets;
  readonly frequency: Frequency;
}

export interface KpiDefinition extends KpiRules {
  readonly code: string;
  readonly name: string;
  readonly description: string;
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

export interface KpiAssessment {
  readonly status: RagStatus;
  /** The period whose reading decides the status: the last complete one for the KPI's frequency. */
  readonly due: FinancialPeriod;
  readonly latest: (ReadingPoint & { rag: Rag }) | undefined;
  readonly trend: Trend | undefined;
  readonly lastYear: (ReadingPoint & { trend: Trend | undefined }) | undefined;
  /**
   * Up to 12 periods, oldest first, from the first reading on and ending with the due period (or
   * the one in progress when it has an early reading): what the sparkline draws, gaps included.
   */
  readonly history: ReadonlyArray<{ period: FinancialPeriod; value: number | undefined }>;
}

export const HISTORY_SHOWN = 12;
/** Readings a list needs of each KPI: 13 periods reach the same month last year. */
export const RECENT_KEPT = 13;

/** The target a period's reading is rated against: that of the period's own financial year. */
export function targetOf(kpi: KpiRules, period: FinancialPeriod): YearTarget {
  return targetIn(kpi.targets, period.fyStart);
}

/** RAG of a reading against the target of its own year, so a new target never re-rates a year gone by. */
export function ragOf(kpi: KpiRules, value: number, period: FinancialPeriod): Rag {
  const { target, tolerance } = targetOf(kpi, period);
  return ragFor({ value, target, tolerance, polarity: kpi.polarity });
}

/** Readings of the KPI's own frequency up to `last`, by sort key; labels that are not periods are left out. */
function bySortKey(kpi: KpiRules, readings: readonly ReadingPoint[], last: FinancialPeriod): Map<string, ReadingPoint> {
  const found = new Map<string, ReadingPoint>();
  for (const reading of readings) {
    const period = periodFromLabel(reading.period);
    if (period && period.frequency === kpi.frequency && period.sortKey <= last.sortKey)
      found.set(period.sortKey, reading);
  }
  return found;
}

/**
 * The status a committee reads: RAG of the reading for the last complete period, "No data" when
 * that period has none; the trend against the reading before it and the same period last year.
 * The periods come worked out once per request (`at`), so assessing a KPI does no date arithmetic.
 */
export function assessKpi(kpi: KpiRules, readings: readonly ReadingPoint[], at: PeriodsAt): KpiAssessment {
  const due = at.lastComplete[kpi.frequency];
  // An early reading for the period in progress is shown, but the status waits for the period to end.
  const inProgress = at.current[kpi.frequency];
  const found = bySortKey(kpi, readings, inProgress);
  const keys = [...found.keys()].sort();
  const end = found.has(inProgress.sortKey) ? inProgress : due;
  const first = keys[0];
  const history = first
    ? periodsBack(end, HISTORY_SHOWN)
        .filter((p) => p.sortKey >= first)
        .map((period) => ({ period, value: found.get(period.sortKey)?.value }))
    : [];
  const current = found.get(due.sortKey);
  if (!current) return { status: 'No data', due, latest: undefined, trend: undefined, lastYear: undefined, history };
  const before = keys.filter((k) => k < due.sortKey).at(-1);
  const previous = before === undefined ? undefined : found.get(before);
  const year = found.get(samePeriodLastYear(due).sortKey);
  const rag = ragOf(kpi, current.value, due);
  return {
    status: rag,
    due,
    latest: { ...current, rag },
    trend: trendOf(current.value, previous?.value, kpi.polarity),
    lastYear: year ? { ...year, trend: trendOf(current.value, year.value, kpi.polarity) } : undefined,
    history,
  };
}

/** Keeps one value per period, the latest `RECENT_KEPT` periods, oldest first. */
export function mergeRecent(recent: readonly ReadingPoint[], point: ReadingPoint): ReadingPoint[] {
  const merged = [...recent.filter((r) => r.period !== point.period), point]
    .map((r) => ({ r, p: periodFromLabel(r.period) }))
    .filter((x): x is { r: ReadingPoint; p: FinancialPeriod } => x.p !== undefined)
    .sort((a, b) => comparePeriods(a.p, b.p));
  return merged.slice(-RECENT_KEPT).map((x) => x.r);
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
  kpi: KpiRules,
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
