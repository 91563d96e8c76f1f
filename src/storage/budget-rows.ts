import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BUDGET_CATEGORIES, noActuals, PERIODS_IN_YEAR, type BudgetLineSummary } from '../domain/budget.js';
import { pence, type Pence } from '../domain/money.js';
import type { PartnershipId } from '../domain/partnership.js';
import { familyRows } from './keys.js';
import { readJson } from './rows.js';

/**
 * The budget family's rows in the partnership's partition (a year is its start, 2023 for 2023/24):
 *   budget|<fy>|<CODE>                      the line (JSON): name, category, council, original budget
 *   budget|<fy>|<CODE>|P07                  the actual of a month; entering the month again replaces it
 *   budget|<fy>|<CODE>|forecast|<time>|<id> every officer forecast and every clearing of one: the history
 *   virement|<fy>|<nnnnn>                   each virement of the year (V-1, V-2 … by seq|virement-<fy>); a
 *                                           line's revised budget is its original budget moved by them
 *   budget-year|<fy>                        a year with lines, and the net variance noted at each month (p01 … p12)
 *   budget-settings|thresholds              the partnership's RAG thresholds
 *   summary|budget-<fy>|<nn>                the forecast card's rows: a BudgetLineSummary per line (summary.ts)
 * Money is kept in JSON columns as integer pence: a bare number column may be typed Int32 by the service.
 */
export const lineRows = familyRows('budget');
export const yearRows = familyRows('budget-year');
export const settingRows = familyRows('budget-settings');
export const virementRows = familyRows('virement');

export type JsonEntity = { partitionKey: string; rowKey: string } & Record<string, unknown>;

export const fy = (fyStart: number): string => String(fyStart);
const periodKey = (index: number): string => `P${String(index).padStart(2, '0')}`;
export const positionColumn = (periods: number): string => `p${String(periods).padStart(2, '0')}`;
/** Virements are numbered within their year. */
export const virementSequence = (fyStart: number): string => `virement-${fy(fyStart)}`;

const money = z
  .number()
  .refine(Number.isSafeInteger, 'an amount must be whole pence')
  .transform((n) => pence(n));
const category = z.enum(BUDGET_CATEGORIES);

export const definitionSchema = z.object({
  code: z.string(),
  name: z.string(),
  category,
  council: z.string(),
  fyStart: z.number().int(),
  originalBudget: money,
  createdAt: z.string(),
  createdBy: z.string(),
});
/** A line as it was added; its revised budget comes from the virements. */
export type BudgetLineDefinition = z.infer<typeof definitionSchema>;

const forecastSchema = z.object({ amount: money, reason: z.string(), recordedAt: z.string(), recordedBy: z.string() });

/** A line's summary entry: what the forecast card needs of it. */
export const entrySchema = z
  .object({
    code: z.string(),
    name: z.string(),
    category,
    council: z.string(),
    fyStart: z.number().int(),
    originalBudget: money,
    revisedBudget: money,
    actuals: z.array(money.nullable()).length(PERIODS_IN_YEAR),
    officerForecast: forecastSchema.optional(),
  })
  .transform((e): BudgetLineSummary => ({ ...e, officerForecast: e.officerForecast }));

const recorder = { recordedBy: z.string(), recordedById: z.string(), recordedAt: z.string() };

export const actualSchema = z.object({ amount: money, ...recorder });
export type ActualRecord = z.infer<typeof actualSchema> & { readonly index: number };

/** An officer forecast as recorded, or its clearing (amount null). */
export const forecastRecordSchema = z.object({ amount: money.nullable(), reason: z.string(), ...recorder });
export type ForecastRecord = z.infer<typeof forecastRecordSchema>;

export const virementSchema = z.object({
  number: z.number().int(),
  from: z.string(),
  to: z.string(),
  amount: money,
  reason: z.string(),
  by: z.string(),
  at: z.string(),
});
export type Virement = z.infer<typeof virementSchema>;

const thresholdSchema = z
  .object({ basisPoints: z.number().int().optional(), amount: money.optional() })
  .transform((t) => ({ basisPoints: t.basisPoints, amount: t.amount }));
export const thresholdsSchema = z.object({ amber: thresholdSchema, red: thresholdSchema });

export const positionSchema = z.object({ net: money, councils: z.record(z.string(), money), at: z.string() });
/** The net variance, and each council's part, as it stood when noted at a month of the year. */
export type Position = z.infer<typeof positionSchema>;

export function lineEntity(partnershipId: PartnershipId, line: BudgetLineDefinition): JsonEntity {
  const definition: BudgetLineDefinition = {
    code: line.code,
    name: line.name,
    category: line.category,
    council: line.council,
    fyStart: line.fyStart,
    originalBudget: line.originalBudget,
    createdAt: line.createdAt,
    createdBy: line.createdBy,
  };
  const rowKey = lineRows.key(fy(line.fyStart), line.code);
  return { partitionKey: partnershipId, rowKey, line: JSON.stringify(definition) };
}

export function actualEntity(
  partnershipId: PartnershipId,
  fyStart: number,
  code: string,
  index: number,
  record: Omit<ActualRecord, 'index'>,
): JsonEntity {
  const rowKey = lineRows.key(fy(fyStart), code, periodKey(index));
  return { partitionKey: partnershipId, rowKey, actual: JSON.stringify(record) };
}

/** Keyed by the time recorded, so the history reads in order and the last row is the latest. */
export function forecastEntity(
  partnershipId: PartnershipId,
  fyStart: number,
  code: string,
  record: ForecastRecord,
  id = randomUUID().slice(0, 8),
): JsonEntity {
  const rowKey = lineRows.key(fy(fyStart), code, 'forecast', record.recordedAt, id);
  return { partitionKey: partnershipId, rowKey, forecast: JSON.stringify(record) };
}

export function virementEntity(partnershipId: PartnershipId, fyStart: number, virement: Virement): JsonEntity {
  const rowKey = virementRows.key(fy(fyStart), String(virement.number).padStart(5, '0'));
  return { partitionKey: partnershipId, rowKey, virement: JSON.stringify(virement) };
}

export function yearEntity(partnershipId: PartnershipId, fyStart: number): JsonEntity {
  return { partitionKey: partnershipId, rowKey: yearRows.key(fy(fyStart)), fyStart };
}

/** A line's original budget with the virements into it added and those out of it taken away. */
export function revisedBudgetOf(
  code: string,
  original: Pence,
  virements: ReadonlyArray<Pick<Virement, 'from' | 'to' | 'amount'>>,
): Pence {
  let budget: number = original;
  for (const v of virements) {
    if (v.to === code) budget += v.amount;
    if (v.from === code) budget -= v.amount;
  }
  return pence(budget);
}

/** A year's line rows read in key order, gathered into each line's summary entry. */
export class LineRowsCollector {
  private readonly definitions = new Map<string, BudgetLineDefinition>();
  private readonly actuals = new Map<string, (Pence | null)[]>();
  private readonly latest = new Map<string, ForecastRecord>();

  /** `prefix` is the year's: `budget|2023|`. */
  constructor(private readonly prefix: string) {}

  add(row: JsonEntity): void {
    // Codes are letters and digits, so the parts of a key need no unescaping.
    const [code = '', part = ''] = row.rowKey.slice(this.prefix.length).split('|');
    if (typeof row.line === 'string') {
      this.definitions.set(code, readJson(definitionSchema, row, 'line', row.line));
    } else if (typeof row.actual === 'string') {
      const months = this.actuals.get(code) ?? [...noActuals()];
      months[Number(part.slice(1)) - 1] = readJson(actualSchema, row, 'actual', row.actual).amount;
      this.actuals.set(code, months);
    } else if (typeof row.forecast === 'string') {
      // Rows come in key order, which is the order recorded: the last one read is the latest.
      this.latest.set(code, readJson(forecastRecordSchema, row, 'forecast', row.forecast));
    }
  }

  entries(virements: ReadonlyArray<Pick<Virement, 'from' | 'to' | 'amount'>>): BudgetLineSummary[] {
    return [...this.definitions.values()].map((line) => {
      const forecast = this.latest.get(line.code);
      return {
        code: line.code,
        name: line.name,
        category: line.category,
        council: line.council,
        fyStart: line.fyStart,
        originalBudget: line.originalBudget,
        revisedBudget: revisedBudgetOf(line.code, line.originalBudget, virements),
        actuals: this.actuals.get(line.code) ?? noActuals(),
        officerForecast:
          forecast && forecast.amount !== null
            ? {
                amount: forecast.amount,
                reason: forecast.reason,
                recordedAt: forecast.recordedAt,
                recordedBy: forecast.recordedBy,
              }
            : undefined,
      };
    });
  }
}
