import { z } from 'zod';
import { parsePeriodNear, type FinancialPeriod } from '../../domain/periods.js';
import * as field from '../kit/fields.js';
import type { ArgScope } from '../types.js';

/**
 * What `kpi record` reads: one reading (`kpi record FTF 72.5 period=2026-10 "commentary"`), or a
 * table pasted under `kpi record` (a KPI and a value a row, tab or comma separated, as copied
 * from Excel). A period typed where the commentary goes is read as the period, or refused when
 * more words follow it, so that a reading never lands on last month by mistake.
 */

export type RecordRequest =
  | {
      readonly kind: 'one';
      readonly code: string;
      readonly value: string;
      readonly period: FinancialPeriod | undefined;
      readonly commentary: string;
      /** The words of the commentary that were read as the period, to say so. */
      readonly periodRead?: string;
    }
  | { readonly kind: 'table'; readonly rows: readonly string[]; readonly period: FinancialPeriod | undefined };

const EXAMPLE = 'kpi record FTF 72.5';
const TABLE_EXAMPLE = 'kpi record\nFTF\t72.5\nMI\t1';

/** A period written with a year, a quarter or a number in it (`2026-09`, `Sep 2026`, `2026/27 Q2`): never mere words. */
const looksDated = (words: string) => /\d/.test(words);

/** The first one or two words of the commentary when they read as a period, with the words after them. */
function leadingPeriod(commentary: string, now: Date) {
  const words = commentary.trim().split(/\s+/);
  for (const n of [2, 1]) {
    if (words.length < n) continue;
    const head = words.slice(0, n).join(' ');
    const period = parsePeriodNear(head, now);
    if (period) return { period, head, rest: words.slice(n).join(' ') };
  }
  return undefined;
}

function periodProblem(text: string): string {
  return `period=${text} is not a period: write a month as period=2026-10, a quarter as period="2026/27 Q2", a year as period=2026/27`;
}

/** Quotes a commentary for a command shown back to the officer. */
const quoted = (text: string) => (text === '' ? '' : ` "${text}"`);

export function recordArgs({ now }: ArgScope) {
  return z
    .strictObject({
      code: field.text('the KPI code', EXAMPLE).optional(),
      value: field.text('the value', EXAMPLE).optional(),
      commentary: z.string().max(1000, 'the commentary is too long: keep it under 1,000 characters').optional(),
      period: field.option('period').trim().optional(),
      rows: field.rows(TABLE_EXAMPLE).optional(),
    })
    .transform((args, ctx): RecordRequest => {
      const issue = (message: string) => {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      const commentary = (args.commentary ?? '').trim();
      // `period=Oct 2026` unquoted: the year was read as the first word of the commentary.
      const year = /^(\d{4})\b/.exec(commentary)?.[1];
      if (args.period !== undefined && year && parsePeriodNear(`${args.period} ${year}`, now)) {
        return issue(
          `period=${args.period} ${year} needs quotes, as it has a space: period="${args.period} ${year}" (or period=${parsePeriodNear(`${args.period} ${year}`, now)!.label})`,
        );
      }
      let period: FinancialPeriod | undefined;
      if (args.period !== undefined) {
        period = parsePeriodNear(args.period, now);
        if (!period) return issue(periodProblem(args.period));
      }
      if (args.rows) return { kind: 'table', rows: args.rows, period };
      if (args.code === undefined) return issue(`the KPI code is missing: e.g. ${EXAMPLE}`);
      if (args.value === undefined) return issue(`the value is missing: e.g. ${EXAMPLE}`);
      const typed = `kpi record ${args.code} ${args.value}`;
      const found = commentary === '' ? undefined : leadingPeriod(commentary, now);
      if (!found) return { kind: 'one', code: args.code, value: args.value, period, commentary };
      if (found.rest === '') {
        // The whole commentary is a period: the officer meant it as one.
        if (period && period.sortKey !== found.period.sortKey) {
          return issue(
            `"${commentary}" reads as a period, and period=${args.period} is given too: give the period once, e.g. ${typed} period=${found.period.label}`,
          );
        }
        return {
          kind: 'one',
          code: args.code,
          value: args.value,
          period: found.period,
          commentary: '',
          periodRead: commentary,
        };
      }
      if (!period && looksDated(found.head)) {
        return issue(
          `"${found.head}" reads as a period. Did you mean period=${found.period.label}? Type: ${typed} period=${found.period.label}${quoted(found.rest)}`,
        );
      }
      return { kind: 'one', code: args.code, value: args.value, period, commentary };
    });
}

const HEADING_KPI = /^(code|kpi|kpi code|measure|indicator|name)$/i;
const HEADING_VALUE = /^(value|values|figure|actual|actuals|result|reading|outturn)$/i;

/** One row of a pasted table: the KPI (code or exact name), the value, and any commentary after them. */
export interface TableRow {
  readonly line: number;
  readonly kpi: string;
  readonly value: string;
  readonly commentary: string;
}

/**
 * The cells of a pasted row: tab separated as Excel copies them; else a code and a value split at
 * the first comma (so `£1,200` stays whole); else words, a code then a value.
 */
export function tableRows(rows: readonly string[]): TableRow[] {
  const read = rows.map((text, i) => {
    let cells: string[];
    if (text.includes('\t')) cells = text.split('\t');
    else if (text.includes(',')) cells = [text.slice(0, text.indexOf(',')), text.slice(text.indexOf(',') + 1)];
    else cells = text.split(/\s+/);
    const [kpi = '', value = '', ...rest] = cells.map((c) => c.trim());
    return { line: i + 1, kpi, value, commentary: rest.join(' ').trim() };
  });
  // A heading copied with the table (`Code  Value`) is left out; any other row is read, and refused if wrong.
  const [first] = read;
  const heading = first && (HEADING_KPI.test(first.kpi) || HEADING_VALUE.test(first.value));
  return heading ? read.slice(1) : read;
}
