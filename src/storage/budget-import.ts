import type { TransactionAction } from '@azure/data-tables';
import { BUDGET_CATEGORIES, PERIODS_IN_YEAR, type BudgetLineSummary } from '../domain/budget.js';
import { pence, prorate, type Pence } from '../domain/money.js';
import { SHARED, type PartnershipId } from '../domain/partnership.js';
import { financialYearLabel } from '../domain/periods.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { BudgetRepository, ROWS_PER_BATCH, type Recorder } from './budget.js';
import {
  actualEntity,
  forecastEntity,
  lineEntity,
  revisedBudgetOf,
  virementEntity,
  virementSequence,
  yearEntity,
  type Virement,
} from './budget-rows.js';
import type { Tables } from './tables.js';

const PARALLEL_BATCHES = 4;

/**
 * Lays a year's lines with their actuals, officer forecasts and virements straight into the rows
 * (demo data, benchmarks, imports), a batch with its audit row per 99 rows, then builds the year's
 * summary. A year is laid whole, before any virement of its own: each line's revised budget must be
 * its original budget moved by the virements given, which are numbered V-1 onwards.
 */
export async function importBudgetYear(
  tables: Tables,
  partnershipId: PartnershipId,
  fyStart: number,
  lines: readonly BudgetLineSummary[],
  virements: ReadonlyArray<Omit<Virement, 'number'>>,
  by: Recorder & { readonly at: string },
  audit: AuditEntry,
): Promise<BudgetRepository> {
  const budget = new BudgetRepository(tables);
  if ((await budget.virementsOf(partnershipId, fyStart)).length > 0) {
    throw new RangeError(`${financialYearLabel(fyStart)} has virements already: a year is imported whole, before any`);
  }
  const numbered = virements.map((v, i) => ({ ...v, number: i + 1 }));
  const actions: TransactionAction[] = [];
  for (const line of lines) {
    if (line.fyStart !== fyStart) throw new RangeError(`${line.code} is a line of ${line.fyStart}, not ${fyStart}`);
    if (revisedBudgetOf(line.code, line.originalBudget, virements) !== line.revisedBudget) {
      throw new RangeError(`the revised budget of ${line.code} is not its original budget moved by the virements`);
    }
    actions.push(['upsert', lineEntity(partnershipId, { ...line, createdAt: by.at, createdBy: by.name }), 'Replace']);
    line.actuals.forEach((amount, i) => {
      if (amount === null) return;
      const record = { amount, recordedBy: by.name, recordedById: by.id, recordedAt: by.at };
      actions.push(['upsert', actualEntity(partnershipId, fyStart, line.code, i + 1, record), 'Replace']);
    });
    const forecast = line.officerForecast;
    if (forecast) {
      const record = { ...forecast, recordedById: by.id };
      actions.push(['upsert', forecastEntity(partnershipId, fyStart, line.code, record, 'import'), 'Replace']);
    }
  }
  for (const v of numbered) actions.push(['upsert', virementEntity(partnershipId, fyStart, v), 'Replace']);
  actions.push(['upsert', yearEntity(partnershipId, fyStart), 'Merge']);
  if (numbered.length > 0) {
    const counter = { partitionKey: partnershipId, rowKey: `seq|${virementSequence(fyStart)}`, last: numbered.length };
    actions.push(['upsert', counter, 'Merge']);
  }
  const batches: Array<() => Promise<void>> = [];
  for (let start = 0; start < actions.length; start += ROWS_PER_BATCH) {
    const batch = actions.slice(start, start + ROWS_PER_BATCH);
    const subject = `${audit.subject} (rows ${start + 1}–${start + batch.length} of ${actions.length})`;
    batches.push(() =>
      commitWithAudit(tables, partnershipId, batch, { ...audit, subject }, 'budget rows changed meanwhile'),
    );
  }
  // The batches write rows of their own (upserts), so a few go at once.
  for (let next = 0; next < batches.length; next += PARALLEL_BATCHES) {
    await Promise.all(batches.slice(next, next + PARALLEL_BATCHES).map((commit) => commit()));
  }
  await budget.rebuildSummary(partnershipId, fyStart);
  return budget;
}

export interface BenchmarkBudget {
  /** How many lines; 500 by default. */
  readonly lines?: number;
  /** Months of actuals entered, P1 onwards; 12 by default. */
  readonly periods?: number;
  readonly fyStart: number;
  /** The partnership's council codes: every fifth line belongs to one of them, the rest are shared. */
  readonly councils: readonly string[];
  readonly at: string;
}

/**
 * Seeds a year of `lines` budget lines with `periods` months of actuals each, for the benchmark of
 * `budget forecast`: deterministic figures (the same every run), every fourth line income, every
 * tenth with an officer forecast. Written straight into the rows, then the summary is built.
 */
export async function seedBudgetForBenchmark(
  tables: Tables,
  partnershipId: PartnershipId,
  options: BenchmarkBudget,
): Promise<{ lines: number; actuals: number }> {
  const count = options.lines ?? 500;
  const periods = options.periods ?? PERIODS_IN_YEAR;
  const lines = Array.from({ length: count }, (_, i) => benchmarkLine(i, periods, options));
  await importBudgetYear(
    tables,
    partnershipId,
    options.fyStart,
    lines,
    [],
    { name: 'benchmark', id: 'benchmark', at: options.at },
    {
      at: options.at,
      actorId: 'benchmark',
      actorAadObjectId: undefined,
      actorName: 'benchmark',
      command: 'benchmark data',
      subject: `budget ${financialYearLabel(options.fyStart)}: ${count} lines`,
      before: null,
      after: { lines: count, periods },
      conversationId: 'benchmark',
    },
  );
  return { lines: count, actuals: lines.reduce((n, l) => n + l.actuals.filter((a) => a !== null).length, 0) };
}

function benchmarkLine(i: number, periods: number, options: BenchmarkBudget): BudgetLineSummary {
  const category = BUDGET_CATEGORIES[i % BUDGET_CATEGORIES.length]!;
  const budget = pence(((i % 17) + 1) * 12_000_00 + (i % 5) * 37_13);
  // Within ±5% of the monthly budget, so variances fall either way.
  const month = (p: number): Pence => prorate(budget, 95 + ((i * 7 + p * 3) % 11), 100 * PERIODS_IN_YEAR);
  const council = i % 5 === 4 && options.councils.length > 0 ? options.councils[i % options.councils.length]! : SHARED;
  return {
    code: `L${String(i + 1).padStart(4, '0')}`,
    name: `Budget line ${i + 1}`,
    category,
    council,
    fyStart: options.fyStart,
    originalBudget: budget,
    revisedBudget: budget,
    actuals: Array.from({ length: PERIODS_IN_YEAR }, (_, p) => (p < periods ? month(p) : null)),
    officerForecast:
      i % 10 === 9
        ? {
            amount: prorate(budget, 103, 100),
            reason: 'Contract uplift',
            recordedAt: options.at,
            recordedBy: 'benchmark',
          }
        : undefined,
  };
}
