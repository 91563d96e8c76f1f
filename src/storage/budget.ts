import type { TransactionAction } from '@azure/data-tables';
import {
  DEFAULT_RAG_THRESHOLDS,
  noActuals,
  PERIODS_IN_YEAR,
  type BudgetLineSummary,
  type OfficerForecast,
  type RagThresholds,
} from '../domain/budget.js';
import type { Pence } from '../domain/money.js';
import type { PartnershipId } from '../domain/partnership.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import {
  actualEntity,
  actualSchema,
  entrySchema,
  forecastEntity,
  forecastRecordSchema,
  fy,
  lineEntity,
  lineRows,
  positionColumn,
  positionSchema,
  LineRowsCollector,
  settingRows,
  thresholdsSchema,
  virementEntity,
  virementRows,
  virementSchema,
  virementSequence,
  yearEntity,
  yearRows,
  type ActualRecord,
  type BudgetLineDefinition,
  type ForecastRecord,
  type JsonEntity,
  type Position,
  type Virement,
} from './budget-rows.js';
import { rowKeyStartsWith } from './keys.js';
import { getOrUndefined, readJson } from './rows.js';
import { Sequence } from './sequence.js';
import { Summary, type Shard } from './summary.js';
import type { Tables } from './tables.js';

export type { ActualRecord, BudgetLineDefinition, ForecastRecord, Position, Virement } from './budget-rows.js';

export interface BudgetYear {
  readonly fyStart: number;
  /** By months to date (1 … 12). */
  readonly positions: ReadonlyMap<number, Position>;
}

/** Who records a figure. */
export interface Recorder {
  readonly name: string;
  readonly id: string;
}

/** Lines of one year read with their summary shards, for a change guarded by the shards' ETags. */
export interface LinesRead {
  readonly fyStart: number;
  readonly shards: ReadonlyMap<number, Shard<BudgetLineSummary>>;
  get(code: string): BudgetLineSummary | undefined;
}

export interface ActualChange {
  readonly code: string;
  /** P1 … P12. */
  readonly index: number;
  readonly amount: Pence;
}

/** A batch holds 100 actions, one of them the audit row. */
export const ROWS_PER_BATCH = 99;

/**
 * The budget lines of each year, their actuals, officer forecasts and virements, the partnership's
 * RAG thresholds and the positions noted month by month. Every change writes the summary entries of
 * the lines it touches in its batch, under the shards' ETags: a lost race is a ConflictError, and the
 * caller reads again and retries.
 */
export class BudgetRepository {
  private readonly summaries = new Map<number, Summary<BudgetLineSummary>>();

  constructor(private readonly tables: Tables) {}

  /** Each year's lines have a summary of their own, so a card reads its year only. */
  summaryOf(fyStart: number): Summary<BudgetLineSummary> {
    let summary = this.summaries.get(fyStart);
    if (!summary) {
      summary = new Summary(this.tables.partnerships, {
        family: `budget-${fy(fyStart)}`,
        entry: entrySchema,
        version: 1,
        itemPrefix: lineRows.under(fy(fyStart)),
      });
      this.summaries.set(fyStart, summary);
    }
    return summary;
  }

  /** The years that have lines, latest first, with the positions noted in each: one query. */
  async years(partnershipId: PartnershipId): Promise<BudgetYear[]> {
    const years: BudgetYear[] = [];
    for await (const row of this.tables.partnerships.listEntities<JsonEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, yearRows.prefix) },
    })) {
      years.push(yearOf(row));
    }
    return years.sort((a, b) => b.fyStart - a.fyStart);
  }

  async year(partnershipId: PartnershipId, fyStart: number): Promise<BudgetYear | undefined> {
    const row = await getOrUndefined<JsonEntity>(this.tables.partnerships, partnershipId, yearRows.key(fy(fyStart)));
    return row && yearOf(row);
  }

  /** Every line of the year by code, from the summary (rebuilt from the rows when it is missing). */
  async lines(partnershipId: PartnershipId, fyStart: number): Promise<BudgetLineSummary[]> {
    const { entries, current } = await this.summaryOf(fyStart).readAll(partnershipId);
    const lines = current ? entries : await this.rebuildSummary(partnershipId, fyStart);
    return [...lines].sort((a, b) => a.code.localeCompare(b.code));
  }

  /** The lines with these codes, from point reads of their summary shards (in parallel), with the shards for a change. */
  async read(partnershipId: PartnershipId, fyStart: number, codes: readonly string[]): Promise<LinesRead> {
    const summary = this.summaryOf(fyStart);
    const oneCodePerShard = new Map(codes.map((code) => [summary.shardOf(code), code]));
    const shards = await Promise.all([...oneCodePerShard.values()].map((c) => summary.readShard(partnershipId, c)));
    const byIndex = new Map(shards.map((shard) => [shard.index, shard]));
    return { fyStart, shards: byIndex, get: (code) => byIndex.get(summary.shardOf(code))?.entries.get(code) };
  }

  /** Adds a line with its summary entry and audit row; a code taken in the year is a ConflictError. */
  async addLine(partnershipId: PartnershipId, line: BudgetLineDefinition, audit: AuditEntry): Promise<void> {
    const read = await this.read(partnershipId, line.fyStart, [line.code]);
    const entry: BudgetLineSummary = {
      code: line.code,
      name: line.name,
      category: line.category,
      council: line.council,
      fyStart: line.fyStart,
      originalBudget: line.originalBudget,
      revisedBudget: line.originalBudget,
      actuals: noActuals(),
      officerForecast: undefined,
    };
    await commitWithAudit(
      this.tables,
      partnershipId,
      [
        ['create', lineEntity(partnershipId, line)],
        ['upsert', yearEntity(partnershipId, line.fyStart), 'Merge'],
        ...this.shardWrites(partnershipId, read, [entry]),
      ],
      audit,
      `budget line ${line.code} exists in ${line.fyStart}`,
    );
  }

  /** Records the actuals (each replacing its month) in one batch with the audit row: all or none. */
  async recordActuals(
    partnershipId: PartnershipId,
    read: LinesRead,
    changes: readonly ActualChange[],
    by: Recorder,
    at: string,
    audit: AuditEntry,
  ): Promise<void> {
    const updated = new Map<string, BudgetLineSummary>();
    const actions: TransactionAction[] = [];
    for (const { code, index, amount } of changes) {
      const line = updated.get(code) ?? read.get(code);
      if (!line) throw new RangeError(`budget line ${code} was not read`);
      const actuals = [...line.actuals];
      actuals[index - 1] = amount;
      updated.set(code, { ...line, actuals });
      const record = { amount, recordedBy: by.name, recordedById: by.id, recordedAt: at };
      actions.push(['upsert', actualEntity(partnershipId, read.fyStart, code, index, record), 'Replace']);
    }
    actions.push(...this.shardWrites(partnershipId, read, [...updated.values()]));
    if (actions.length > ROWS_PER_BATCH) throw new RangeError(`${changes.length} actuals are too many for one batch`);
    await commitWithAudit(this.tables, partnershipId, actions, audit, 'budget lines changed meanwhile');
  }

  /** Records an officer forecast, or clears it (undefined); either way a row of the line's history. */
  async setForecast(
    partnershipId: PartnershipId,
    read: LinesRead,
    code: string,
    forecast: { amount: Pence; reason: string } | undefined,
    by: Recorder,
    at: string,
    audit: AuditEntry,
  ): Promise<void> {
    const line = read.get(code);
    if (!line) throw new RangeError(`budget line ${code} was not read`);
    const record: ForecastRecord = {
      amount: forecast?.amount ?? null,
      reason: forecast?.reason ?? '',
      recordedBy: by.name,
      recordedById: by.id,
      recordedAt: at,
    };
    const officerForecast: OfficerForecast | undefined = forecast && {
      ...forecast,
      recordedAt: at,
      recordedBy: by.name,
    };
    await commitWithAudit(
      this.tables,
      partnershipId,
      [
        ['create', forecastEntity(partnershipId, read.fyStart, code, record)],
        ...this.shardWrites(partnershipId, read, [{ ...line, officerForecast }]),
      ],
      audit,
      `budget line ${code} changed meanwhile`,
    );
  }

  /** Moves budget between two lines read with `read`: the numbered virement and both summary entries, with the audit row. */
  async vire(
    partnershipId: PartnershipId,
    read: LinesRead,
    virement: Omit<Virement, 'number'>,
    budgets: { readonly from: Pence; readonly to: Pence },
    audit: (number: number) => AuditEntry,
  ): Promise<number> {
    const from = read.get(virement.from);
    const to = read.get(virement.to);
    if (!from || !to) throw new RangeError('both lines of a virement must be read');
    const { n, action } = await new Sequence(this.tables.partnerships, virementSequence(read.fyStart)).take(
      partnershipId,
    );
    await commitWithAudit(
      this.tables,
      partnershipId,
      [
        action,
        ['create', virementEntity(partnershipId, read.fyStart, { ...virement, number: n })],
        ...this.shardWrites(partnershipId, read, [
          { ...from, revisedBudget: budgets.from },
          { ...to, revisedBudget: budgets.to },
        ]),
      ],
      audit(n),
      `budget lines ${virement.from} and ${virement.to} changed meanwhile`,
    );
    return n;
  }

  /** A line's actuals as recorded and its forecast history, oldest first, and the year's virements that touch it. */
  async history(
    partnershipId: PartnershipId,
    fyStart: number,
    code: string,
  ): Promise<{ actuals: ActualRecord[]; forecasts: ForecastRecord[]; virements: Virement[] }> {
    const actuals: ActualRecord[] = [];
    const forecasts: ForecastRecord[] = [];
    const readRows = async () => {
      for await (const row of this.tables.partnerships.listEntities<JsonEntity>({
        queryOptions: { filter: rowKeyStartsWith(partnershipId, lineRows.under(fy(fyStart), code)) },
      })) {
        if (typeof row.actual === 'string') {
          const index = Number(row.rowKey.split('|').at(-1)?.slice(1));
          actuals.push({ ...readJson(actualSchema, row, 'actual', row.actual), index });
        } else if (typeof row.forecast === 'string') {
          forecasts.push(readJson(forecastRecordSchema, row, 'forecast', row.forecast));
        }
      }
    };
    const [virements] = await Promise.all([this.virementsOf(partnershipId, fyStart), readRows()]);
    return { actuals, forecasts, virements: virements.filter((v) => v.from === code || v.to === code) };
  }

  async virementsOf(partnershipId: PartnershipId, fyStart: number): Promise<Virement[]> {
    const found: Virement[] = [];
    for await (const row of this.tables.partnerships.listEntities<JsonEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, virementRows.under(fy(fyStart))) },
    })) {
      found.push(readJson(virementSchema, row, 'virement', row.virement));
    }
    return found.sort((a, b) => a.number - b.number);
  }

  /** The partnership's RAG thresholds, or the council rule when none are set; the ETag to change them under. */
  async thresholds(
    partnershipId: PartnershipId,
  ): Promise<{ thresholds: RagThresholds; set: boolean; etag: string | undefined }> {
    const row = await getOrUndefined<JsonEntity>(
      this.tables.partnerships,
      partnershipId,
      settingRows.key('thresholds'),
    );
    if (!row) return { thresholds: DEFAULT_RAG_THRESHOLDS, set: false, etag: undefined };
    return { thresholds: readJson(thresholdsSchema, row, 'thresholds', row.thresholds), set: true, etag: row.etag };
  }

  /** Sets the thresholds if nobody set them since they were read (`etag`, undefined when never set); a lost race is a ConflictError. */
  async setThresholds(
    partnershipId: PartnershipId,
    etag: string | undefined,
    thresholds: RagThresholds,
    by: Recorder,
    at: string,
    audit: AuditEntry,
  ): Promise<void> {
    const entity = {
      partitionKey: partnershipId,
      rowKey: settingRows.key('thresholds'),
      thresholds: JSON.stringify(thresholds),
      setBy: by.name,
      setAt: at,
    };
    const action: TransactionAction = etag ? ['update', entity, 'Replace', { etag }] : ['create', entity];
    await commitWithAudit(this.tables, partnershipId, [action], audit, 'budget thresholds changed meanwhile');
  }

  /**
   * Notes the net variance as it stands at `periods` months to date, so that next month's card can
   * say which way it has moved. Derived figures, not a change: no audit, and the latest note wins.
   */
  async notePosition(
    partnershipId: PartnershipId,
    fyStart: number,
    periods: number,
    position: Position,
  ): Promise<void> {
    if (periods < 1 || periods > PERIODS_IN_YEAR) return;
    const column = positionColumn(periods);
    await this.tables.partnerships.upsertEntity(
      { ...yearEntity(partnershipId, fyStart), [column]: JSON.stringify(position) },
      'Merge',
    );
  }

  /** The year's summary written afresh from its rows: one query of the lines and one of the virements. */
  async rebuildSummary(partnershipId: PartnershipId, fyStart: number): Promise<BudgetLineSummary[]> {
    return this.summaryOf(fyStart).rebuild(partnershipId, async () => {
      const prefix = lineRows.under(fy(fyStart));
      const collected = new LineRowsCollector(prefix);
      const readRows = async () => {
        for await (const row of this.tables.partnerships.listEntities<JsonEntity>({
          queryOptions: { filter: rowKeyStartsWith(partnershipId, prefix) },
        })) {
          collected.add(row);
        }
      };
      const [virements] = await Promise.all([this.virementsOf(partnershipId, fyStart), readRows()]);
      return collected.entries(virements).map((entry) => [entry.code, entry] as const);
    });
  }

  /** The summary writes for changed lines, one per shard touched, under the ETags read. */
  private shardWrites(
    partnershipId: PartnershipId,
    read: LinesRead,
    lines: readonly BudgetLineSummary[],
  ): TransactionAction[] {
    const summary = this.summaryOf(read.fyStart);
    const byShard = new Map<number, Array<readonly [string, BudgetLineSummary]>>();
    for (const line of lines) {
      const index = summary.shardOf(line.code);
      byShard.set(index, [...(byShard.get(index) ?? []), [line.code, line]]);
    }
    return [...byShard].map(([index, changes]) => {
      const shard = read.shards.get(index);
      if (!shard) throw new RangeError(`summary shard ${index} was not read`);
      return summary.write(partnershipId, shard, changes);
    });
  }
}

function yearOf(row: JsonEntity): BudgetYear {
  const positions = new Map<number, Position>();
  for (let periods = 1; periods <= PERIODS_IN_YEAR; periods++) {
    const column = positionColumn(periods);
    const raw = row[column];
    if (typeof raw === 'string') positions.set(periods, readJson(positionSchema, row, column, raw));
  }
  return { fyStart: Number(row.rowKey.slice(yearRows.prefix.length)), positions };
}
