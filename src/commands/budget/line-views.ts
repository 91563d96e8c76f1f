import {
  budgetLineCard,
  budgetLinesCard,
  type BudgetLineDetailData,
  type BudgetLineRowData,
  type BudgetLinesData,
} from '../../cards/budget.js';
import { bar, dayText, momentText, pageOf, RAG_VIEW } from '../../cards/views.js';
import type { BudgetCategory, ForecastCardFigures, LineFigures } from '../../domain/budget.js';
import { formatMoney, formatMoneyShort, pence, type Pence } from '../../domain/money.js';
import { councilLabel, type Partnership } from '../../domain/partnership.js';
import { financialPeriod, financialYearLabel } from '../../domain/periods.js';
import type { ActualRecord, ForecastRecord, Virement } from '../../storage/budget.js';
import { cardReply, type Reply } from '../types.js';
import { basisText, forecastHeadline, monthText, varianceText } from './views.js';
import { naturalCompare } from '../../domain/names.js';
import { plural } from '../../domain/vocabulary.js';

/** Rows per page of `budget lines`: 20 rows with long names stay under Teams' card size limit. */
export const LINES_PAGE_SIZE = 20;

const short = formatMoneyShort;

export interface LinesView {
  readonly partnership: Partnership;
  readonly figures: ForecastCardFigures;
  readonly category: BudgetCategory | undefined;
  readonly offset: number;
  readonly note?: string | undefined;
}

function rowOf(line: LineFigures): BudgetLineRowData {
  return {
    title: `${line.name} (${line.code})`,
    kind: `${line.category} · ${councilLabel(line.council)}`,
    budget: short(line.budget),
    original: line.originalBudget === line.budget ? '' : `was ${short(line.originalBudget)}`,
    forecast: short(line.forecast),
    basis: line.basis,
    variance: varianceText(line.category, line.variance),
    rag: RAG_VIEW[line.rag],
  };
}

/** `budget lines`: every line of the year (of a category, a council's part), by code, a page at a time. */
export function linesReply(view: LinesView): Reply {
  const { figures, category, offset } = view;
  const year = financialYearLabel(figures.fyStart);
  const shown = figures.lines
    .filter((l) => category === undefined || l.category === category)
    .sort((a, b) => naturalCompare(a.code, b.code));
  const page = pageOf(shown, offset, LINES_PAGE_SIZE);
  const rows = page.items.map(rowOf);
  const scope = [category, figures.council ? `${figures.council}'s part` : ''].filter(Boolean).join(', ');
  const data: BudgetLinesData = {
    title: `Budget lines ${year} — ${view.partnership.name}`,
    subtitle: `${plural(shown.length, 'line')}${scope ? ` (${scope})` : ''} · figures at ${figures.asAt ? monthText(figures.asAt) : 'no actuals yet'}`,
    ...(view.note ? { note: view.note } : {}),
    rows,
    ...page.view,
    emptyMessage:
      figures.lines.length === 0
        ? `No budget lines for ${year} yet. An editor can add one with: budget add STAFF "ICT staffing" category=staffing budget=£16.8m year=${year}`
        : `No ${category ?? ''} lines in ${year}.`,
    ...(page.next !== undefined
      ? { more: { year, category: category ?? '', council: figures.council ?? '', offset: page.next } }
      : {}),
  };
  const text = [
    data.title,
    data.subtitle,
    ...(data.note ? [data.note] : []),
    ...(rows.length > 0
      ? rows.map(
          (r) =>
            `${r.rag.word}: ${r.title}, budget ${r.budget}${r.original ? ` (${r.original})` : ''}, forecast ${r.forecast}, ${r.variance}`,
        )
      : [data.emptyMessage]),
    ...page.showing,
  ].join('\n');
  return cardReply(budgetLinesCard, data, text);
}

export interface LineView {
  readonly line: LineFigures;
  readonly figures: ForecastCardFigures;
  readonly actuals: readonly ActualRecord[];
  readonly forecasts: readonly ForecastRecord[];
  readonly virements: readonly Virement[];
}

/** Officer forecasts shown on a line's card, latest first. */
const FORECASTS_SHOWN = 5;

/** One line in detail, in exact pounds: its budgets, each month's actual, its forecasts and virements. */
export function lineReply(view: LineView): Reply {
  const { line, figures } = view;
  const year = financialYearLabel(figures.fyStart);
  const max = Math.max(0, ...view.actuals.map((a) => a.amount));
  const months = [...view.actuals]
    .sort((a, b) => a.index - b.index)
    .map((a) => ({
      month: monthText(financialPeriod('monthly', figures.fyStart, a.index)),
      actual: formatMoney(a.amount),
      bar: bar(a.amount, max, 12),
      by: a.recordedBy,
    }));
  const forecasts = [...view.forecasts]
    .reverse()
    .slice(0, FORECASTS_SHOWN)
    .map((f) => ({
      when: momentText(f.recordedAt),
      forecast: f.amount === null ? 'cleared' : formatMoney(f.amount),
      reason: f.reason,
      by: f.recordedBy,
    }));
  const virements = view.virements.map(
    (v) =>
      `V-${v.number}: ${formatMoney(v.amount)} ${v.to === line.code ? `in from ${v.from}` : `out to ${v.to}`} — ${v.reason} (${v.by}, ${dayText(v.at)})`,
  );
  const at = figures.asAt ? monthText(figures.asAt) : 'no actuals yet';
  const facts = [
    { title: 'Category', value: line.category },
    { title: 'Council', value: councilLabel(line.council) },
    { title: 'Original budget', value: formatMoney(line.originalBudget) },
    { title: 'Revised budget', value: exactChange(line.budget, line.originalBudget) },
    { title: 'Actual to date', value: `${formatMoney(line.actualToDate)} at ${at}` },
    { title: 'Forecast outturn', value: `${formatMoney(line.forecast)} (${basisText(line, figures.periodsToDate)})` },
    { title: 'Variance', value: varianceText(line.category, line.variance, formatMoney) },
  ];
  const data: BudgetLineDetailData = {
    title: `${line.name} (${line.code})`,
    subtitle: `Budget line ${year}`,
    rag: RAG_VIEW[line.rag],
    headline: forecastHeadline(line.variance, line.category, formatMoney),
    facts,
    months,
    hasMonths: months.length > 0,
    forecasts,
    hasForecasts: forecasts.length > 0,
    virements,
    hasVirements: virements.length > 0,
    code: line.code,
    year,
  };
  const text = [
    `${data.title}: ${line.rag}`,
    data.subtitle,
    data.headline,
    ...facts.map((f) => `${f.title}: ${f.value}`),
    ...(months.length > 0 ? ['Actuals:', ...months.map((m) => `  ${m.month}: ${m.actual}`)] : []),
    ...(forecasts.length > 0
      ? ['Officer forecasts:', ...forecasts.map((f) => `  ${f.when}: ${f.forecast} ${f.reason} (${f.by})`)]
      : []),
    ...(virements.length > 0 ? ['Virements:', ...virements.map((v) => `  ${v}`)] : []),
  ].join('\n');
  return cardReply(budgetLineCard, data, text);
}

function exactChange(revised: Pence, original: Pence): string {
  if (revised === original) return `${formatMoney(revised)} (no virements)`;
  const moved = pence(Math.abs(revised - original));
  return `${formatMoney(revised)}: ${formatMoney(moved)} moved ${revised > original ? 'in' : 'out'} by virement`;
}
