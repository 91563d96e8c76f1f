/**
 * Budget monitoring of a shared service: forecast outturn, variance and RAG of each budget line,
 * and the figures of the forecast card, for the whole partnership or one council.
 *
 * Sign convention: every amount is positive as officers type it. A cost budget of £16.8m is +16.8m
 * of spending; an income budget of £6.5m is +6.5m of money coming in; actuals and forecasts follow
 * the line (spending on a cost line, income received on an income line), so a refund is negative.
 * A variance is positive when it is adverse: forecast − budget on a cost line (an overspend),
 * budget − forecast on an income line (a shortfall). Net figures are expenditure − income, so the
 * net variance is net forecast − net budget and equals the sum of the lines' variances.
 */
import { SHARED } from './partnership.js';
import type { Rag, Trend } from './rag.js';
import { allocate, formatMoney, parseMoney, pence, prorate, sumPence, type Pence } from './money.js';
import { formatShare, type Council } from './partnership.js';
import { financialPeriod, financialYearLabel, lastCompletePeriod, type FinancialPeriod } from './periods.js';

export const BUDGET_CATEGORIES = ['staffing', 'contracts', 'other', 'income'] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number];

export function isBudgetCategory(text: string): text is BudgetCategory {
  return (BUDGET_CATEGORIES as readonly string[]).includes(text);
}

/** Income lines are budgets of money coming in: less than budgeted is adverse. */
export function isIncome(category: BudgetCategory): boolean {
  return category === 'income';
}

/** Same shape as KPI codes, so that codes read alike across the bot. */
export function isValidBudgetCode(code: string): boolean {
  return /^[A-Z][A-Z0-9]{0,9}$/.test(code.toUpperCase());
}

export const PERIODS_IN_YEAR = 12;

/**
 * Actuals of one line for P1 … P12 (index 0 is P1), null where nothing has been entered: an entered
 * £0 is a figure (the ledger shows no spend that month), a null is not.
 */
export type ActualsByPeriod = readonly (Pence | null)[];

/** An officer's forecast of the line's outturn for the year; the latest one counts. */
export interface OfficerForecast {
  readonly amount: Pence;
  readonly reason: string;
  /** ISO instant. */
  readonly recordedAt: string;
  readonly recordedBy: string;
}

/** What a list card needs of one budget line: one compact record per line per year. */
export interface BudgetLineSummary {
  readonly code: string;
  readonly name: string;
  readonly category: BudgetCategory;
  /** A council code of the partnership, or SHARED for a line every council pays for by its share. */
  readonly council: string;
  /** Calendar year in which the financial year starts: 2023 for 2023/24. */
  readonly fyStart: number;
  /** The budget set for the year. */
  readonly originalBudget: Pence;
  /** The budget after virements; variances are measured against it. Equal to the original when none. */
  readonly revisedBudget: Pence;
  readonly actuals: ActualsByPeriod;
  readonly officerForecast: OfficerForecast | undefined;
}

export function noActuals(): ActualsByPeriod {
  return Array.from({ length: PERIODS_IN_YEAR }, () => null);
}

function checkActuals(actuals: ActualsByPeriod): void {
  if (actuals.length !== PERIODS_IN_YEAR) {
    throw new RangeError(`a line has actuals for ${PERIODS_IN_YEAR} periods, got ${actuals.length}`);
  }
}

/** Records the actual for a month; entering a month again replaces what was there. */
export function withActual(actuals: ActualsByPeriod, period: FinancialPeriod, amount: Pence): ActualsByPeriod {
  checkActuals(actuals);
  if (period.frequency !== 'monthly') throw new RangeError(`actuals are monthly, got ${period.frequency}`);
  const next = [...actuals];
  next[period.index - 1] = pence(amount);
  return next;
}

/** The latest forecast by time recorded (the later in the list on a tie), or undefined when none. */
export function latestOfficerForecast(forecasts: readonly OfficerForecast[]): OfficerForecast | undefined {
  let latest: OfficerForecast | undefined;
  for (const forecast of forecasts) {
    if (!latest || Date.parse(forecast.recordedAt) >= Date.parse(latest.recordedAt)) latest = forecast;
  }
  return latest;
}

/**
 * How many months of the year the figures are at (0 … 12): the latest month for which any line of the
 * year has an actual, never later than the last complete month at `now` in London.
 *
 * The ledger is closed for every line at once, so the whole budget is reported at one period: a line
 * with nothing entered for a closed month spent nothing that month. Using each line's own last entry
 * instead would project a line not yet updated from older months; using the calendar alone would count
 * the month just ended as nothing spent in the days before its actuals are entered. An actual entered
 * for a month that has not ended yet waits until the month ends.
 */
export function periodsToDate(lines: readonly BudgetLineSummary[], fyStart: number, now: Date): number {
  const lastComplete = lastCompletePeriod('monthly', now);
  const cap =
    lastComplete.fyStart > fyStart ? PERIODS_IN_YEAR : lastComplete.fyStart < fyStart ? 0 : lastComplete.index;
  let latest = 0;
  for (const line of lines) {
    if (line.fyStart !== fyStart) continue;
    checkActuals(line.actuals);
    for (let i = Math.min(cap, PERIODS_IN_YEAR); i > latest; i--) {
      if (line.actuals[i - 1] !== null && line.actuals[i - 1] !== undefined) {
        latest = i;
        break;
      }
    }
  }
  return latest;
}

/** The month the figures are at, `P6` of the year, or undefined before any actuals. */
export function asAtPeriod(fyStart: number, periods: number): FinancialPeriod | undefined {
  checkPeriods(periods);
  return periods === 0 ? undefined : financialPeriod('monthly', fyStart, periods);
}

function checkPeriods(periods: number): void {
  if (!Number.isInteger(periods) || periods < 0 || periods > PERIODS_IN_YEAR) {
    throw new RangeError(`periods to date must be 0 to ${PERIODS_IN_YEAR}, got ${periods}`);
  }
}

/** Actuals of P1 … Pn added up; a month with nothing entered counts as nothing spent. */
export function actualToDate(actuals: ActualsByPeriod, periods: number): Pence {
  checkActuals(actuals);
  checkPeriods(periods);
  return sumPence(actuals.slice(0, periods).map((a) => a ?? pence(0)));
}

export type ForecastBasis = 'officer forecast' | 'run rate' | 'budget';

export interface Outturn {
  readonly amount: Pence;
  readonly basis: ForecastBasis;
}

/**
 * The forecast outturn of a line for the year: the officer's forecast when there is one; before any
 * actuals, the budget; otherwise the actuals to date plus the months left at the average monthly run
 * rate of P1 … Pn (months with nothing entered count as nothing spent, as the ledger shows them).
 *
 * The months left are projected in one division, actual to date × months left ÷ months to date,
 * rounded half away from zero to the penny, so the forecast carries at most half a penny of rounding
 * and there is no monthly remainder to place. A run rate suits steady spending such as salaries;
 * lumpy lines (annual licences, termly schools income) need an officer forecast.
 */
export function forecastOutturn(
  line: Pick<BudgetLineSummary, 'revisedBudget' | 'actuals' | 'officerForecast'>,
  periods: number,
): Outturn {
  checkActuals(line.actuals);
  checkPeriods(periods);
  if (line.officerForecast) return { amount: pence(line.officerForecast.amount), basis: 'officer forecast' };
  if (periods === 0) return { amount: pence(line.revisedBudget), basis: 'budget' };
  const toDate = actualToDate(line.actuals, periods);
  const rest = prorate(toDate, PERIODS_IN_YEAR - periods, periods);
  return { amount: sumPence([toDate, rest]), basis: 'run rate' };
}

/** Forecast against budget, positive when adverse: an overspend on a cost line, a shortfall on income. */
export function varianceOf(category: BudgetCategory, budget: Pence, forecast: Pence): Pence {
  return pence(isIncome(category) ? budget - forecast : forecast - budget);
}

export type VarianceDirection = 'adverse' | 'favourable' | 'on budget';

export function directionOf(variance: Pence): VarianceDirection {
  return variance > 0 ? 'adverse' : variance < 0 ? 'favourable' : 'on budget';
}

/** The council's words for a variance: `overspend`, `underspend`, `income shortfall`, `income surplus`. */
export function varianceWord(
  category: BudgetCategory | 'net',
  variance: Pence,
): 'overspend' | 'underspend' | 'income shortfall' | 'income surplus' | 'on budget' {
  const direction = directionOf(variance);
  if (direction === 'on budget') return direction;
  if (category === 'income') return direction === 'adverse' ? 'income shortfall' : 'income surplus';
  return direction === 'adverse' ? 'overspend' : 'underspend';
}

/** Change in the net variance since the figure reported before: worse when more adverse. */
export function directionSince(previous: Pence | undefined, current: Pence): Trend | undefined {
  if (previous === undefined) return undefined;
  return current > previous ? 'worse' : current < previous ? 'better' : 'same';
}

// ---------------------------------------------------------------------------------------------
// RAG thresholds

/** A threshold is reached by an adverse variance of at least this share of budget or this amount. */
export interface Threshold {
  /** Of the budget, in hundredths of a percent (1% = 100). */
  readonly basisPoints: number | undefined;
  readonly amount: Pence | undefined;
}

export interface RagThresholds {
  readonly amber: Threshold;
  readonly red: Threshold;
}

/** The council rule: Amber from 1% of budget or £50k, Red from 5% or £100k, whichever is reached first. */
export const DEFAULT_RAG_THRESHOLDS: RagThresholds = {
  amber: { basisPoints: 100, amount: pence(5_000_000) },
  red: { basisPoints: 500, amount: pence(10_000_000) },
};

const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%$/;
const FULL = 10_000;

function parsePercent(text: string): number | undefined {
  const match = PERCENT.exec(text.trim());
  if (!match) return undefined;
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return basisPoints > 0 && basisPoints <= FULL ? basisPoints : undefined;
}

function parsePositiveMoney(text: string): Pence | undefined {
  const amount = parseMoney(text);
  return amount !== undefined && amount > 0 ? amount : undefined;
}

/**
 * `1%`, `£50k`, or both in either order (`1%,£50k`, `£50,000, 1%`); a percentage above 0 and up to
 * 100% with at most two decimals, an amount above £0; else undefined.
 */
export function parseThreshold(text: string): Threshold | undefined {
  const cleaned = text.trim();
  const single = parsePercent(cleaned);
  if (single !== undefined) return { basisPoints: single, amount: undefined };
  const amountAlone = parsePositiveMoney(cleaned);
  if (amountAlone !== undefined) return { basisPoints: undefined, amount: amountAlone };
  // The amount may hold commas of its own (`£50,000`), so the piece ending in % is found first.
  const percentFirst = /^([^,]*%)\s*,(.+)$/.exec(cleaned);
  const percentLast = /^(.+),\s*([^,]*%)$/.exec(cleaned);
  const [percentText, amountText] = percentFirst
    ? [percentFirst[1], percentFirst[2]]
    : percentLast
      ? [percentLast[2], percentLast[1]]
      : [undefined, undefined];
  if (percentText === undefined || amountText === undefined) return undefined;
  const basisPoints = parsePercent(percentText);
  const amount = parsePositiveMoney(amountText);
  return basisPoints === undefined || amount === undefined ? undefined : { basisPoints, amount };
}

/** `amber=1%,£50k red=5%,£100k` (either order, spaces allowed around `=` and `,`), else undefined. */
export function parseRagThresholds(text: string): RagThresholds | undefined {
  const pieces = text
    .trim()
    .replace(/\s*([=,])\s*/g, '$1')
    .split(/\s+/);
  const found = new Map<string, Threshold>();
  for (const piece of pieces) {
    const match = /^(amber|red)=(.+)$/i.exec(piece);
    const key = match?.[1]?.toLowerCase();
    if (!match || !key || found.has(key)) return undefined;
    const threshold = parseThreshold(match[2] ?? '');
    if (!threshold) return undefined;
    found.set(key, threshold);
  }
  const amber = found.get('amber');
  const red = found.get('red');
  return amber && red ? { amber, red } : undefined;
}

/** `1%,£50k`, `5%` or `£100k`: the form `parseThreshold` reads. */
export function formatThreshold(threshold: Threshold): string {
  const parts: string[] = [];
  if (threshold.basisPoints !== undefined) parts.push(formatShare(threshold.basisPoints));
  if (threshold.amount !== undefined) parts.push(formatMoney(threshold.amount));
  return parts.join(',');
}

/** Why the thresholds cannot be used, or undefined: each needs a part, and Amber must not start above Red. */
export function ragThresholdsProblem(thresholds: RagThresholds): string | undefined {
  const { amber, red } = thresholds;
  for (const [name, t] of [
    ['Amber', amber],
    ['Red', red],
  ] as const) {
    if (t.basisPoints === undefined && t.amount === undefined) {
      return `${name} needs a percentage of budget, an amount, or both, e.g. 1%,£50k`;
    }
  }
  if (amber.basisPoints !== undefined && red.basisPoints !== undefined && amber.basisPoints > red.basisPoints) {
    return `Amber from ${formatShare(amber.basisPoints)} of budget is above Red from ${formatShare(red.basisPoints)}: Amber must start at or below Red`;
  }
  if (amber.amount !== undefined && red.amount !== undefined && amber.amount > red.amount) {
    return `Amber from ${formatMoney(amber.amount)} is above Red from ${formatMoney(red.amount)}: Amber must start at or below Red`;
  }
  return undefined;
}

function reached(threshold: Threshold, adverse: bigint, base: bigint): boolean {
  if (threshold.amount !== undefined && adverse >= BigInt(threshold.amount)) return true;
  // Compared as whole numbers: adverse ÷ budget ≥ basis points ÷ 10,000.
  return threshold.basisPoints !== undefined && adverse * BigInt(FULL) >= BigInt(threshold.basisPoints) * base;
}

/**
 * RAG of a variance against its budget: Red when the adverse variance reaches either part of the Red
 * threshold, Amber when it reaches either part of Amber, else Green; favourable or nil is Green.
 * A percentage of a nil budget is reached by any adverse variance.
 */
export function ragForVariance(
  variance: Pence,
  budget: Pence,
  thresholds: RagThresholds = DEFAULT_RAG_THRESHOLDS,
): Rag {
  if (variance <= 0) return 'Green';
  const adverse = BigInt(variance);
  const base = BigInt(Math.abs(budget));
  if (reached(thresholds.red, adverse, base)) return 'Red';
  if (reached(thresholds.amber, adverse, base)) return 'Amber';
  return 'Green';
}

// ---------------------------------------------------------------------------------------------
// Cost shares

export interface CouncilAmount {
  readonly council: string;
  readonly amount: Pence;
}

function checkShares(councils: readonly Council[]): void {
  const total = councils.reduce((sum, c) => sum + c.shareBasisPoints, 0);
  if (councils.length === 0 || total !== FULL || councils.some((c) => !Number.isInteger(c.shareBasisPoints))) {
    throw new RangeError(`council shares must be whole basis points adding up to ${FULL}, got ${total}`);
  }
}

/**
 * A shared amount split between the councils by their cost shares, to the penny, by largest remainder
 * (the council listed first takes a spare penny on a tie): the parts always add back to the amount,
 * negative amounts too, and each is within a penny of the council's exact share.
 */
export function splitByShares(amount: Pence, councils: readonly Council[]): CouncilAmount[] {
  checkShares(councils);
  const parts = allocate(
    amount,
    councils.map((c) => c.shareBasisPoints),
  );
  return councils.map((c, i) => ({ council: c.code, amount: parts[i] ?? pence(0) }));
}

// ---------------------------------------------------------------------------------------------
// Line figures and the forecast card

export interface LineFigures {
  readonly code: string;
  readonly name: string;
  readonly category: BudgetCategory;
  /** The line's owner: a council code or SHARED, also when the figures are one council's share. */
  readonly council: string;
  readonly originalBudget: Pence;
  /** The revised budget, which the variance is measured against. */
  readonly budget: Pence;
  readonly actualToDate: Pence;
  readonly forecast: Pence;
  readonly basis: ForecastBasis;
  /** The officer's reason when the forecast is theirs. */
  readonly reason: string | undefined;
  /** Positive when adverse. */
  readonly variance: Pence;
  readonly direction: VarianceDirection;
  readonly rag: Rag;
}

/** The figures of one line at `periods` months to date. */
export function lineFigures(
  line: BudgetLineSummary,
  periods: number,
  thresholds: RagThresholds = DEFAULT_RAG_THRESHOLDS,
): LineFigures {
  const outturn = forecastOutturn(line, periods);
  const budget = pence(line.revisedBudget);
  const variance = varianceOf(line.category, budget, outturn.amount);
  return {
    code: line.code,
    name: line.name,
    category: line.category,
    council: line.council,
    originalBudget: pence(line.originalBudget),
    budget,
    actualToDate: actualToDate(line.actuals, periods),
    forecast: outturn.amount,
    basis: outturn.basis,
    reason: outturn.basis === 'officer forecast' ? line.officerForecast?.reason : undefined,
    variance,
    direction: directionOf(variance),
    rag: ragForVariance(variance, budget, thresholds),
  };
}

/**
 * Each council's part of a line: the whole of a council's own line, nothing of another council's,
 * and a share of a SHARED line. Budgets, actuals and the variance are split by the cost shares; the
 * forecast is the share of budget plus (or, for income, minus) the share of variance, so that each
 * council's row adds up and the councils' rows add back to the line.
 */
export function councilParts(
  figures: LineFigures,
  councils: readonly Council[],
  thresholds: RagThresholds = DEFAULT_RAG_THRESHOLDS,
): Map<string, LineFigures> {
  if (figures.council !== SHARED) return new Map([[figures.council, figures]]);
  const split = (amount: Pence) => splitByShares(amount, councils).map((part) => part.amount);
  const original = split(figures.originalBudget);
  const budget = split(figures.budget);
  const toDate = split(figures.actualToDate);
  const variance = split(figures.variance);
  const parts = new Map<string, LineFigures>();
  councils.forEach((council, i) => {
    const b = budget[i] ?? pence(0);
    const v = variance[i] ?? pence(0);
    parts.set(council.code, {
      ...figures,
      originalBudget: original[i] ?? pence(0),
      budget: b,
      actualToDate: toDate[i] ?? pence(0),
      forecast: pence(isIncome(figures.category) ? b - v : b + v),
      variance: v,
      direction: directionOf(v),
      rag: ragForVariance(v, b, thresholds),
    });
  });
  return parts;
}

export interface BudgetFigures {
  readonly budget: Pence;
  readonly actualToDate: Pence;
  readonly forecast: Pence;
  /** Positive when adverse. */
  readonly variance: Pence;
  readonly direction: VarianceDirection;
}

export interface CategoryFigures extends BudgetFigures {
  readonly category: BudgetCategory;
}

export interface CouncilFigures extends BudgetFigures {
  readonly council: string;
  readonly rag: Rag;
}

export interface BudgetTotals extends BudgetFigures {
  /** Net figures: expenditure − income. */
  readonly originalBudget: Pence;
  readonly expenditureBudget: Pence;
  readonly incomeBudget: Pence;
  /** On the net variance, with percentages of the expenditure budget. */
  readonly rag: Rag;
}

export interface ForecastCardFigures {
  readonly fyStart: number;
  /** `2023/24`. */
  readonly year: string;
  /** The council the card is filtered to, or undefined for the whole partnership. */
  readonly council: string | undefined;
  /** Months of actuals the figures are at, 0 … 12. */
  readonly periodsToDate: number;
  /** The month the figures are at (`P6` = September), undefined before any actuals. */
  readonly asAt: FinancialPeriod | undefined;
  readonly totals: BudgetTotals;
  /** In the order of BUDGET_CATEGORIES, those with at least one line. */
  readonly categories: readonly CategoryFigures[];
  /** The five lines with the largest variance either way, largest first (by code on a tie); none on budget. */
  readonly drivers: readonly LineFigures[];
  /** Each council's part (its own lines and its share of shared lines); they add up to the totals. */
  readonly councils: readonly CouncilFigures[];
  /** The net variance against the one reported last month. */
  readonly sinceLastMonth: Trend | undefined;
  /** Every line in view (a council's share of shared lines when filtered), by code. */
  readonly lines: readonly LineFigures[];
}

export interface ForecastCardOptions {
  readonly fyStart: number;
  readonly now: Date;
  /** The partnership's councils and cost shares. */
  readonly councils: readonly Council[];
  /** Show one council: its own lines and its share of shared lines. */
  readonly council?: string | undefined;
  readonly thresholds?: RagThresholds | undefined;
  /** The net variance reported last month, for the direction of travel. */
  readonly previousNetVariance?: Pence | undefined;
}

export const DRIVERS_SHOWN = 5;

// Net of income: expenditure counts up and income down.
const signed = (line: LineFigures, amount: Pence): Pence => pence(isIncome(line.category) ? 0 - amount : amount);

function figuresOf(lines: readonly LineFigures[]): BudgetFigures {
  // The variance is already positive when adverse, whatever the line.
  const budget = sumPence(lines.map((l) => signed(l, l.budget)));
  const forecast = sumPence(lines.map((l) => signed(l, l.forecast)));
  const variance = sumPence(lines.map((l) => l.variance));
  return {
    budget,
    actualToDate: sumPence(lines.map((l) => signed(l, l.actualToDate))),
    forecast,
    variance,
    direction: directionOf(variance),
  };
}

function categoryFigures(category: BudgetCategory, lines: readonly LineFigures[]): CategoryFigures {
  // Within one category amounts are shown as typed (income as money in), not netted.
  const variance = sumPence(lines.map((l) => l.variance));
  return {
    category,
    budget: sumPence(lines.map((l) => l.budget)),
    actualToDate: sumPence(lines.map((l) => l.actualToDate)),
    forecast: sumPence(lines.map((l) => l.forecast)),
    variance,
    direction: directionOf(variance),
  };
}

function expenditureBudgetOf(lines: readonly LineFigures[]): Pence {
  return sumPence(lines.filter((l) => !isIncome(l.category)).map((l) => l.budget));
}

/**
 * The figures of the budget forecast card for a year, for the whole partnership or, with `council`,
 * for one council (its own lines and its share of shared lines). The figures are at the same month
 * for every council: the month is found from all the year's lines before any filter.
 */
export function forecastCard(lines: readonly BudgetLineSummary[], options: ForecastCardOptions): ForecastCardFigures {
  const { fyStart, now, councils, council } = options;
  const thresholds = options.thresholds ?? DEFAULT_RAG_THRESHOLDS;
  checkShares(councils);
  if (council !== undefined && !councils.some((c) => c.code === council)) {
    throw new RangeError(`${council} is not a council of the partnership`);
  }
  const yearLines = lines.filter((l) => l.fyStart === fyStart).sort((a, b) => a.code.localeCompare(b.code));
  const periods = periodsToDate(yearLines, fyStart, now);
  const whole = yearLines.map((l) => lineFigures(l, periods, thresholds));
  const byCouncil = whole.map((f) => councilParts(f, councils, thresholds));
  const inView = council === undefined ? whole : byCouncil.flatMap((parts) => parts.get(council) ?? []);

  const net = figuresOf(inView);
  const expenditureBudget = expenditureBudgetOf(inView);
  const totals: BudgetTotals = {
    ...net,
    originalBudget: sumPence(inView.map((l) => signed(l, l.originalBudget))),
    expenditureBudget,
    incomeBudget: sumPence(inView.filter((l) => isIncome(l.category)).map((l) => l.budget)),
    rag: ragForVariance(net.variance, expenditureBudget, thresholds),
  };

  const categories = BUDGET_CATEGORIES.flatMap((category) => {
    const of = inView.filter((l) => l.category === category);
    return of.length === 0 ? [] : [categoryFigures(category, of)];
  });

  const drivers = inView
    .filter((l) => l.variance !== 0)
    .sort((a, b) => Math.abs(b.variance) - Math.abs(a.variance) || a.code.localeCompare(b.code))
    .slice(0, DRIVERS_SHOWN);

  // A line owned by a council no longer in the partnership still counts, in a row of its own.
  const councilCodes = [...councils.map((c) => c.code)];
  for (const line of yearLines) {
    if (line.council !== SHARED && !councilCodes.includes(line.council)) councilCodes.push(line.council);
  }
  const shown = council === undefined ? councilCodes : [council];
  const councilRows = shown.map((code): CouncilFigures => {
    const of = byCouncil.flatMap((parts) => parts.get(code) ?? []);
    const figures = figuresOf(of);
    return { council: code, ...figures, rag: ragForVariance(figures.variance, expenditureBudgetOf(of), thresholds) };
  });

  return {
    fyStart,
    year: financialYearLabel(fyStart),
    council,
    periodsToDate: periods,
    asAt: asAtPeriod(fyStart, periods),
    totals,
    categories,
    drivers,
    councils: councilRows,
    sinceLastMonth: directionSince(options.previousNetVariance, net.variance),
    lines: inView,
  };
}
