/**
 * A change programme's budget, benefits and payback, counted as the council papers count it: in whole
 * financial years from the year the programme starts, that year being year 1. "£5.1m budget, £2.67m
 * benefits a year, payback 4 years" is a programme starting in 2023/24 whose benefits begin at £0.8m
 * in 2024/25 and run at £2.67m a year from 2025/26: by the end of 2026/27 they reach £5.1m.
 */
import { formatMoney, parseMoney, pence, sumPence, type Pence } from './money.js';
import { financialYearLabel, parseFinancialYear } from './periods.js';

export interface YearAmount {
  /** Calendar year in which the financial year starts: 2024 for 2024/25. */
  readonly fyStart: number;
  readonly amount: Pence;
}

export interface Programme {
  readonly name: string;
  /** The whole cost of the programme, which its benefits must pay back. */
  readonly totalBudget: Pence;
  readonly spendToDate: Pence;
  /** The financial year the programme starts in: year 1 of its payback. */
  readonly startYear: number;
  /** Cashable benefits by year; the last year's figure carries on in later years unless told otherwise. */
  readonly benefits: readonly YearAmount[];
  /** How the cost falls by year; undefined means all of it in the start year. */
  readonly costPhasing: readonly YearAmount[] | undefined;
}

// A new entry starts where a financial year follows a separator; amounts may hold commas of their own.
const ENTRY_BREAK = /\s*[,;]\s*(?=(?:fy\s?)?\d{4}[/-])|\s+(?=(?:fy\s?)?\d{4}[/-])/i;

/**
 * `2024/25:£0.8m,2025/26:£2.67m` (also `=` for `:`, `;` or spaces between entries, amounts with
 * commas) → entries in year order; undefined for a bad year or amount, a negative amount, a year given
 * twice, or nothing at all.
 */
export function parseYearAmounts(text: string): YearAmount[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const entries: YearAmount[] = [];
  for (const entry of trimmed.split(ENTRY_BREAK)) {
    const match = /^(.+?)\s*[:=]\s*(.+)$/.exec(entry);
    if (!match) return undefined;
    const fyStart = parseFinancialYear(match[1] ?? '');
    const amount = parseMoney(match[2] ?? '');
    if (fyStart === undefined || amount === undefined || amount < 0) return undefined;
    if (entries.some((e) => e.fyStart === fyStart)) return undefined;
    entries.push({ fyStart, amount });
  }
  return entries.sort((a, b) => a.fyStart - b.fyStart);
}

/** `2024/25:£800,000,2025/26:£2,670,000`: exact amounts, in the form `parseYearAmounts` reads. */
export function formatYearAmounts(entries: readonly YearAmount[]): string {
  return [...entries]
    .sort((a, b) => a.fyStart - b.fyStart)
    .map((e) => `${financialYearLabel(e.fyStart)}:${formatMoney(e.amount)}`)
    .join(',');
}

/** Why the programme's figures cannot be used for payback, or undefined when they can. */
export function programmeProblem(programme: Programme): string | undefined {
  const start = financialYearLabel(programme.startYear);
  if (programme.totalBudget < 0) return 'the programme budget must not be negative';
  if (programme.spendToDate < 0) return 'spend to date must not be negative';
  const early = programme.benefits.find((b) => b.fyStart < programme.startYear);
  if (early) {
    return `benefits are given for ${financialYearLabel(early.fyStart)}, before the programme starts in ${start}`;
  }
  if (programme.benefits.some((b) => b.amount < 0)) return 'benefits must not be negative';
  const phasing = programme.costPhasing;
  if (phasing) {
    const earlyCost = phasing.find((c) => c.fyStart < programme.startYear);
    if (earlyCost) {
      return `cost is phased into ${financialYearLabel(earlyCost.fyStart)}, before the programme starts in ${start}`;
    }
    if (phasing.some((c) => c.amount < 0)) return 'phased costs must not be negative';
    const phased = sumPence(phasing.map((c) => c.amount));
    if (phased !== programme.totalBudget) {
      return `the cost phasing adds up to ${formatMoney(phased)}, not the programme budget of ${formatMoney(programme.totalBudget)}`;
    }
  }
  return undefined;
}

/** What is left of the budget; negative when spending has gone past it. */
export function remainingBudget(programme: Pick<Programme, 'totalBudget' | 'spendToDate'>): Pence {
  return pence(programme.totalBudget - programme.spendToDate);
}

export interface PaybackYear {
  readonly fyStart: number;
  /** `2026/27`. */
  readonly year: string;
  /** 1 for the start year. */
  readonly yearNumber: number;
  readonly cost: Pence;
  readonly benefit: Pence;
  readonly cumulativeCost: Pence;
  readonly cumulativeBenefit: Pence;
}

export interface Payback {
  /** The start year of the payback year, or undefined when benefits never reach the cost in the years counted. */
  readonly fyStart: number | undefined;
  /** The payback period in whole years, the start year counting as year 1: 4 for 2023/24 to 2026/27. */
  readonly years: number | undefined;
  /** Year by year from the start, to the payback year or to the last year counted. */
  readonly schedule: readonly PaybackYear[];
}

export interface PaybackOptions {
  /** Whether the last year's benefit carries on in later years (a recurring saving). Default true. */
  readonly benefitsRecur?: boolean;
  /** How many years from the start to look for payback. Default 20. */
  readonly horizonYears?: number;
}

export const PAYBACK_HORIZON_YEARS = 20;

/**
 * The payback year: the first year by whose end the cumulative benefits reach the cumulative cost,
 * once all the cost has fallen (a programme that gets ahead before its later spending has not yet paid
 * back). Cost is the total budget, all in the start year unless phased. Benefits after the last year
 * given carry on at that year's figure, as a saving does, unless `benefitsRecur` is false.
 */
export function paybackOf(programme: Programme, options: PaybackOptions = {}): Payback {
  const problem = programmeProblem(programme);
  if (problem) throw new RangeError(problem);
  const recur = options.benefitsRecur ?? true;
  const horizon = options.horizonYears ?? PAYBACK_HORIZON_YEARS;
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`the payback horizon must be 1 year or more`);

  const start = programme.startYear;
  const costs = new Map(
    (programme.costPhasing ?? [{ fyStart: start, amount: programme.totalBudget }]).map((c) => [c.fyStart, c.amount]),
  );
  const benefits = new Map(programme.benefits.map((b) => [b.fyStart, b.amount]));
  const lastCostYear = Math.max(start, ...costs.keys());
  const lastBenefitYear = Math.max(start, ...benefits.keys());
  const lastBenefit = benefits.get(lastBenefitYear) ?? pence(0);
  const lastYearCounted = Math.max(lastCostYear, lastBenefitYear, recur ? start + horizon - 1 : start);

  const schedule: PaybackYear[] = [];
  let cumulativeCost = pence(0);
  let cumulativeBenefit = pence(0);
  for (let fyStart = start; fyStart <= lastYearCounted; fyStart++) {
    const cost = costs.get(fyStart) ?? pence(0);
    const benefit = benefits.get(fyStart) ?? (recur && fyStart > lastBenefitYear ? lastBenefit : pence(0));
    cumulativeCost = sumPence([cumulativeCost, cost]);
    cumulativeBenefit = sumPence([cumulativeBenefit, benefit]);
    const yearNumber = fyStart - start + 1;
    schedule.push({
      fyStart,
      year: financialYearLabel(fyStart),
      yearNumber,
      cost,
      benefit,
      cumulativeCost,
      cumulativeBenefit,
    });
    if (fyStart >= lastCostYear && cumulativeBenefit >= cumulativeCost) {
      return { fyStart, years: yearNumber, schedule };
    }
  }
  return { fyStart: undefined, years: undefined, schedule };
}
