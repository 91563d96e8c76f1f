import type { Tolerance } from './kpi.js';

/**
 * Councils set a KPI's target (and how far it may be missed) for each financial year. A target is
 * set from a year on and carried forward to the years after it until it is changed; the earliest
 * also stands for the years before it (history loaded from before the KPI was added here). A
 * reading is rated against the target of its own year, so a new target never re-rates a year the
 * committee has already seen.
 */
export interface YearTarget {
  /** The financial year it is set for (and carried forward from): 2026 is 2026/27. */
  readonly from: number;
  /** In the KPI's unit; pence for £ KPIs. */
  readonly target: number;
  readonly tolerance: Tolerance;
}

/** A KPI's targets, one per year they were set for, earliest first; never empty. */
export type YearTargets = readonly [YearTarget, ...YearTarget[]];

/** The target of a financial year: the one set for it, else the latest set before it, else the earliest. */
export function targetIn(targets: YearTargets, fyStart: number): YearTarget {
  let found = targets[0];
  for (const t of targets) if (t.from <= fyStart) found = t;
  return found;
}

function sameRules(a: YearTarget, b: YearTarget): boolean {
  return a.target === b.target && a.tolerance.kind === b.tolerance.kind && a.tolerance.value === b.tolerance.value;
}

/** Earliest first, each year once, and no entry that only repeats the one before it. */
function tidy(targets: readonly YearTarget[]): YearTargets {
  const sorted = [...targets].sort((a, b) => a.from - b.from);
  const kept: YearTarget[] = [];
  for (const t of sorted) {
    const last = kept.at(-1);
    if (!last || !sameRules(last, t)) kept.push(t);
  }
  if (kept.length === 0) throw new RangeError('a KPI has at least one target');
  return kept as unknown as YearTargets;
}

/**
 * The targets after `change` is set for `year`: that year takes it, and so do the years after it
 * that had no target of their own, when `year` is this year or a later one. Every earlier year
 * keeps its target, and so does every year after a past `year`: setting 2024/25's target in
 * 2026/27 changes 2024/25 alone.
 */
export function setYearTarget(
  targets: YearTargets,
  year: number,
  change: { readonly target?: number; readonly tolerance?: Tolerance },
  currentYear: number,
): YearTargets {
  const was = (y: number) => targetIn(targets, y);
  const next: YearTarget = {
    from: year,
    target: change.target ?? was(year).target,
    tolerance: change.tolerance ?? was(year).tolerance,
  };
  const kept: YearTarget[] = targets.filter((t) => t.from !== year);
  // The earliest target also stands for the years before it: they keep it as their own.
  const keep = (y: number) => {
    if (!sameRules(was(y), next)) kept.push({ ...was(y), from: y });
  };
  if (!kept.some((t) => t.from < year)) keep(year - 1);
  if (year < currentYear && !kept.some((t) => t.from === year + 1)) keep(year + 1);
  return tidy([...kept, next]);
}

/** The targets of a KPI set for one year alone (a new KPI, or one whose unit changed before any reading). */
export function firstTargets(year: number, target: number, tolerance: Tolerance): YearTargets {
  return [{ from: year, target, tolerance }];
}
