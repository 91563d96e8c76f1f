import {
  budgetForecastCard,
  type BudgetCategoryData,
  type BudgetCouncilData,
  type BudgetDriverData,
  type BudgetForecastData,
} from '../../cards/budget.js';
import { bar, RAG_VIEW, trendText } from '../../cards/views.js';
import {
  directionSince,
  varianceWord,
  type BudgetCategory,
  type ForecastCardFigures,
  type LineFigures,
  type RagThresholds,
  type Threshold,
} from '../../domain/budget.js';
import { formatMoney, formatMoneyShort, pence, prorate, type Pence } from '../../domain/money.js';
import { councilLabel, formatShare, type Partnership } from '../../domain/partnership.js';
import { financialYearLabel, shortLabel, type FinancialPeriod } from '../../domain/periods.js';
import { cardReply, type Reply } from '../types.js';
import { plural } from '../../domain/vocabulary.js';

/** How budget figures read on cards: short amounts on summaries (£845k), exact pounds on details. */

const short = formatMoneyShort;
const BAR_WIDTH = 16;
/** Cards may run spaces together; the labels of a pair of bars are padded with no-break spaces to line up. */
const PAD = '\u00a0';

/** `£845k overspend`, `£1.04m underspend`, `£1.56m income shortfall`, `on budget`. */
export function varianceText(category: BudgetCategory | 'net', variance: Pence, money = short): string {
  const word = varianceWord(category, variance);
  return word === 'on budget' ? word : `${money(pence(Math.abs(variance)))} ${word}`;
}

/** `Forecast overspend £845k`, `Forecast underspend £120k`, `Forecast on budget`: the net position in a few words. */
export function forecastHeadline(variance: Pence, category: BudgetCategory | 'net' = 'net', money = short): string {
  const word = varianceWord(category, variance);
  return word === 'on budget' ? 'Forecast on budget' : `Forecast ${word} ${money(pence(Math.abs(variance)))}`;
}

/** `P6 (Sep 2023)`. */
export function monthText(period: FinancialPeriod): string {
  return `P${period.index} (${shortLabel(period)})`;
}

function thresholdText(threshold: Threshold): string {
  const parts = [
    ...(threshold.basisPoints !== undefined ? [`${formatShare(threshold.basisPoints)} of budget`] : []),
    ...(threshold.amount !== undefined ? [short(threshold.amount)] : []),
  ];
  return parts.join(' or ');
}

/** `Amber from 1% of budget or £50k adverse, Red from 5% of budget or £100k, whichever comes first`. */
export function thresholdsText(thresholds: RagThresholds): string {
  return `Amber from ${thresholdText(thresholds.amber)} adverse, Red from ${thresholdText(thresholds.red)}, whichever comes first`;
}

/** How a line's forecast was reached, in a few words. */
export function basisText(line: LineFigures, periods: number): string {
  if (line.basis === 'officer forecast') return `Officer forecast: ${line.reason ?? ''}`.trim();
  if (line.basis === 'budget') return 'No actuals yet: forecast at budget';
  const monthly = prorate(line.actualToDate, 1, periods);
  return `Run rate: ${short(line.actualToDate)} in ${plural(periods, 'month')}, ${short(monthly)} a month`;
}

const CATEGORY_TITLES: Record<BudgetCategory, string> = {
  staffing: 'Staffing',
  contracts: 'Contracts',
  other: 'Other spending',
  income: 'Income (money in)',
};

export interface ForecastView {
  readonly partnership: Partnership;
  readonly figures: ForecastCardFigures;
  readonly thresholds: RagThresholds;
  /** The net variance noted last month (for the council in view, when filtered). */
  readonly previous: Pence | undefined;
  readonly note?: string | undefined;
}

function scopeText(view: ForecastView): string {
  const { figures, partnership } = view;
  if (figures.council === undefined) {
    return `whole partnership (${partnership.councils.map((c) => `${c.code} ${formatShare(c.shareBasisPoints)}`).join(', ')})`;
  }
  const share = partnership.councils.find((c) => c.code === figures.council)?.shareBasisPoints;
  return `${figures.council}: its own lines and ${share === undefined ? 'its share' : formatShare(share)} of shared lines`;
}

function directionText(view: ForecastView): string {
  const { figures, previous } = view;
  if (figures.periodsToDate === 0) return 'No actuals yet: every line is forecast at its budget';
  if (figures.periodsToDate === 1) return 'First month of the year: nothing to compare with yet';
  const before = `P${figures.periodsToDate - 1}`;
  const trend = directionSince(previous, figures.totals.variance);
  if (previous === undefined || trend === undefined) return `No position was noted at ${before} to compare with`;
  return `${trendText(trend)} since ${before} (${varianceText('net', previous)})`;
}

function driverOf(line: LineFigures, periods: number): BudgetDriverData {
  return {
    title: `${line.name} (${line.code})`,
    figure: varianceText(line.category, line.variance),
    reason: basisText(line, periods),
    rag: RAG_VIEW[line.rag],
  };
}

function categoriesOf(figures: ForecastCardFigures): BudgetCategoryData[] {
  const max = Math.max(0, ...figures.categories.flatMap((c) => [c.budget, c.forecast]));
  return figures.categories.map((c) => ({
    category: CATEGORY_TITLES[c.category],
    budgetBar: `Budget${PAD.repeat(3)}${bar(c.budget, max, BAR_WIDTH)} ${short(c.budget)}`,
    forecastBar: `Forecast${PAD}${bar(c.forecast, max, BAR_WIDTH)} ${short(c.forecast)}`,
    variance: varianceText(c.category, c.variance),
  }));
}

/** The budget forecast card: the net position with its RAG and direction, the drivers, the councils and the categories. */
export function forecastReply(view: ForecastView): Reply {
  const { figures, partnership } = view;
  const { totals } = figures;
  const year = financialYearLabel(figures.fyStart);
  const at = figures.asAt ? monthText(figures.asAt) : 'no actuals yet';
  const headline = forecastHeadline(totals.variance);
  const drivers = figures.drivers.map((line) => driverOf(line, figures.periodsToDate));
  const councils: BudgetCouncilData[] = figures.councils.map((c) => ({
    council: councilLabel(c.council),
    figure: varianceText('net', c.variance),
    detail: `budget ${short(c.budget)}, forecast ${short(c.forecast)}`,
    rag: RAG_VIEW[c.rag],
  }));
  const facts = [
    {
      title: 'Net budget',
      value: `${short(totals.budget)} (spending ${short(totals.expenditureBudget)}, income ${short(totals.incomeBudget)})`,
    },
    { title: 'Actual to date', value: `${short(totals.actualToDate)} at ${at}` },
    { title: 'Forecast outturn', value: short(totals.forecast) },
    { title: 'Net variance', value: varianceText('net', totals.variance, formatMoney) },
  ];
  const data: BudgetForecastData = {
    title: `Budget forecast ${year} — ${partnership.name}`,
    subtitle: `Figures at ${at} · ${scopeText(view)}`,
    ...(view.note ? { note: view.note } : {}),
    hasLines: figures.lines.length > 0,
    emptyMessage: `No budget lines for ${year} yet. An editor can add one with: budget add STAFF "ICT staffing" category=staffing budget=£16.8m year=${year}`,
    headline,
    rag: RAG_VIEW[totals.rag],
    direction: directionText(view),
    facts,
    drivers,
    hasDrivers: drivers.length > 0,
    councils,
    categories: categoriesOf(figures),
    thresholds: `RAG: ${thresholdsText(view.thresholds)}.`,
  };
  const text = [
    data.title,
    data.subtitle,
    ...(data.note ? [data.note] : []),
    ...(data.hasLines
      ? [
          `${headline}: ${totals.rag}`,
          data.direction,
          ...facts.map((f) => `${f.title}: ${f.value}`),
          ...(drivers.length > 0
            ? ['Top drivers:', ...drivers.map((d) => `  ${d.title}: ${d.figure} (${d.rag.word}). ${d.reason}`)]
            : []),
          'By council:',
          ...councils.map((c) => `  ${c.council}: ${c.figure} (${c.rag.word}), ${c.detail}`),
          'Budget against forecast:',
          ...data.categories.flatMap((c) => [
            `  ${c.category}: ${c.variance}`,
            `    ${c.budgetBar}`,
            `    ${c.forecastBar}`,
          ]),
          data.thresholds,
        ]
      : [data.emptyMessage]),
  ].join('\n');
  return cardReply(budgetForecastCard, data, text);
}
