import { z } from 'zod';
import { isValidBudgetCode, parseThreshold, ragThresholdsProblem, type RagThresholds } from '../../domain/budget.js';
import { parseMoney, type Pence } from '../../domain/money.js';
import type { Partnership } from '../../domain/partnership.js';
import {
  financialYearLabel,
  parsePeriodInYear,
  parsePeriodNear,
  periodOf,
  shortLabel,
  type FinancialPeriod,
} from '../../domain/periods.js';
import { parseYearAmounts, type YearAmount } from '../../domain/programme.js';
import { vocabulary } from '../../domain/vocabulary.js';
import type { ArgScope } from '../types.js';
import * as field from '../kit/fields.js';

/** The budget family's fields as typed: each checked once here, with the right form in every problem. */

export const CATEGORIES = vocabulary({
  staffing: ['staff', 'salaries', 'pay'],
  contracts: ['contract'],
  other: [],
  income: [],
});

/** The financial year a date falls in: 2026 for 25 Nov 2026 (2026/27). */
export function currentYear(now: Date): number {
  return periodOf('annual', now).fyStart;
}

/** A budget line's code as typed: letters and digits, shown in capitals. */
export function code(what: string, example: string) {
  return field
    .text(what, example, 10)
    .superRefine((s, ctx) => {
      if (isValidBudgetCode(s)) return;
      ctx.addIssue({
        code: 'custom',
        message: `${what} ${s} is not a budget line code: 1 to 10 letters or digits starting with a letter, e.g. ${example}`,
      });
    })
    .transform((s) => s.toUpperCase());
}

/** A code given to look a line up: any text, found or not found later with did-you-mean. */
export function lineRef(what: string, example: string) {
  return field.text(what, example, 60).transform((s) => s.toUpperCase());
}

export function reason(example: string) {
  return field
    .text('the reason', example, 500)
    .refine((s) => s.length >= 3, `the reason is too short: say why in a few words, e.g. ${example}`);
}

/**
 * A month of the year, `P1` (April) … `P12` (March), that has started by `now`: an actual waits in
 * the forecast until its month ends, but a month to come has no actual yet.
 */
function periodIn(fyStart: number, now: Date, text: string): FinancialPeriod | string {
  const period = parsePeriodInYear(text, fyStart);
  if (!period) {
    // `October` or `2026-10`: the month is plain, only its form is not; name its P-number.
    const meant = parsePeriodNear(text, now);
    if (meant?.frequency === 'monthly') {
      return meant.fyStart === fyStart || !/\d{4}/.test(text)
        ? `${text} is written P${meant.index} here: the months run from P1 (April) to P12 (March)`
        : `${text} is P${meant.index} of ${financialYearLabel(meant.fyStart)}, not of ${financialYearLabel(fyStart)}: give P${meant.index} with year=${financialYearLabel(meant.fyStart)}`;
    }
    return `${text} is not a month of the year: give P1 (April) to P12 (March), e.g. P7 for October`;
  }
  const current = periodOf('monthly', now);
  if (period.sortKey > current.sortKey) {
    return `${text.toUpperCase()} of ${financialYearLabel(fyStart)} is ${shortLabel(period)}, which has not started yet: the latest month you can enter is ${shortLabel(current)}`;
  }
  return period;
}

/** `council=CEC` or `council=shared` for a line every council pays for by its share. */
export function lineCouncil(partnership: Partnership | undefined) {
  return field.option('council').pipe(field.council(partnership, { shared: true }));
}

export function category() {
  return field
    .option('category', 60, `category= is missing: use ${CATEGORIES.listed}`)
    .pipe(field.choice('category', CATEGORIES, { option: true }));
}

/** The year a change is for: given, or the current financial year. */
export function changeYear({ now }: ArgScope) {
  return field
    .financialYear()
    .optional()
    .transform((y) => y ?? currentYear(now));
}

const THRESHOLD_FORM = 'a percentage of budget, an amount, or both, e.g. amber=1%,£50k red=5%,£100k';

/** `amber=1%,£50k red=5%,£100k`: both thresholds, each reached at the first of its parts, Amber at or below Red. */
export function thresholdArgs() {
  const one = (key: 'amber' | 'red') =>
    field.option(key, 60, `${key}= is missing: give ${THRESHOLD_FORM}`).transform((s, ctx) => {
      const threshold = parseThreshold(s);
      if (!threshold)
        ctx.addIssue({ code: 'custom', message: `${key}=${s} is not a threshold: give ${THRESHOLD_FORM}` });
      return threshold ?? z.NEVER;
    });
  // Words left over are a threshold typed with a space inside: `amber=1%, £50k`.
  const leftOver = z
    .string()
    .optional()
    .superRefine((more, ctx) => {
      if (more === undefined) return;
      ctx.addIssue({
        code: 'custom',
        message: `"${more}" is not part of a threshold: write each without spaces, e.g. amber=1%,£50k red=5%,£100k`,
      });
    });
  return z
    .strictObject({ amber: one('amber'), red: one('red'), more: leftOver })
    .superRefine((t, ctx) => {
      const problem = ragThresholdsProblem(t);
      if (problem) ctx.addIssue({ code: 'custom', message: `thresholds: ${problem}` });
    })
    .transform((t): RagThresholds => ({ amber: t.amber, red: t.red }));
}

/** `benefits="2024/25:£0.8m,2025/26:£2.67m"`: cashable benefits by year; the last carries on. */
export function benefits() {
  return field.readWith<YearAmount[]>(
    'benefits=',
    'benefits="2024/25:£0.8m,2025/26:£2.67m"',
    parseYearAmounts,
    (s) =>
      `benefits=${s} is not a list of benefits by year: write year:amount pairs, each year once, e.g. benefits="2024/25:£0.8m,2025/26:£2.67m"`,
  );
}

export function programmeName(example: string) {
  return field
    .text('the programme name', example, 80)
    .refine((s) => s.length >= 2, `the programme name needs 2 to 80 characters, e.g. ${example}`);
}

/** How many actuals one message may record: they go in one batch with their summary shards and audit row. */
export const MAX_ACTUAL_ROWS = 80;

export interface ActualRow {
  /** 1 for the first row given. */
  readonly row: number;
  readonly text: string;
  readonly code: string;
  readonly period: FinancialPeriod;
  readonly amount: Pence;
}

/**
 * The cells of a row as pasted: split at tabs (from a spreadsheet), else at the first two commas (the
 * amount may hold commas of its own: `STAFF,P7,£1,315,000`), else at spaces.
 */
export function cellsOf(row: string): string[] {
  if (row.includes('\t'))
    return row
      .split('\t')
      .map((cell) => cell.trim())
      .filter((cell) => cell !== '');
  const comma = /^([^,\s]+)\s*,\s*([^,\s]+)\s*,\s*(.+)$/.exec(row);
  if (comma) return [comma[1]!, comma[2]!, comma[3]!.trim().replace(/^"(.*)"$/, '$1')];
  return row.split(/\s+/).filter((cell) => cell !== '');
}

const ROW_FORM = 'give a line code, a month and an amount, e.g. STAFF P7 £1,315,000';
const isHeader = (cells: readonly string[]) =>
  /^(line|code)$/i.test(cells[0] ?? '') && /^(month|period)$/i.test(cells[1] ?? '');

/**
 * Rows of `code period amount` (one typed after `budget actual`, or a pasted block): every row
 * checked, every problem reported with its row, so that all are recorded or none. A header row
 * (`code period amount`) is passed over. Negative amounts are refunds.
 */
export function actualRows(fyStart: number, now: Date) {
  return z.array(z.string()).transform((texts, ctx): ActualRow[] => {
    const rows = texts.filter((text, i) => !(i === 0 && isHeader(cellsOf(text))));
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (rows.length === 0) problem(`the actual is missing: ${ROW_FORM}`);
    if (rows.length > MAX_ACTUAL_ROWS) {
      problem(`${rows.length} rows are more than I record at once: paste up to ${MAX_ACTUAL_ROWS} rows a message`);
      return z.NEVER;
    }
    const read: ActualRow[] = [];
    const seen = new Map<string, number>();
    rows.forEach((text, i) => {
      const at = rows.length === 1 ? '' : `row ${i + 1} (${text}): `;
      const cells = cellsOf(text);
      if (cells.length !== 3) return problem(`${at}${ROW_FORM}`);
      const [codeText = '', periodText = '', amountText = ''] = cells;
      const problems: string[] = [];
      if (!isValidBudgetCode(codeText)) {
        problems.push(
          `${codeText} is not a budget line code: 1 to 10 letters or digits starting with a letter, e.g. STAFF`,
        );
      }
      const period = periodIn(fyStart, now, periodText);
      if (typeof period === 'string') problems.push(period);
      const amount = parseMoney(amountText);
      if (amount === undefined) problems.push(`"${amountText}" is not an amount of money: ${field.MONEY_FORM}`);
      if (problems.length > 0 || typeof period === 'string' || amount === undefined) {
        return problem(`${at}${problems.join('; ')}`);
      }
      const key = `${codeText.toUpperCase()} P${period.index}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        return problem(`${at}${key} is given twice, in rows ${earlier} and ${i + 1}: give each month of a line once`);
      }
      seen.set(key, i + 1);
      read.push({ row: i + 1, text, code: codeText.toUpperCase(), period, amount });
    });
    return read;
  });
}
