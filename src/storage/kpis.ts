import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { KPI_UNITS, POLARITIES } from '../domain/kpi.js';
import { mergeRecent, type KpiDefinition, type KpiReading, type ReadingPoint } from '../domain/kpi-assessment.js';
import type { PartnershipId } from '../domain/partnership.js';
import { firstTargets, type YearTargets } from '../domain/kpi-targets.js';
import { FREQUENCIES, periodOf, type FinancialPeriod } from '../domain/periods.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { ConflictError, retryOnConflict } from './errors.js';
import { familyRows, rowKeyRange, rowKeyStartsWith } from './keys.js';
import { getOrUndefined, readJson } from './rows.js';
import { Summary, type Shard } from './summary.js';
import type { Tables } from './tables.js';

/**
 * The KPI family's rows in the partnership's partition:
 *   kpi|<CODE>                the definition (JSON), and when and by whom it was removed
 *   kpi|<CODE>|<period key>   one reading per period
 *   kpiname|<name>            claims the name, so two KPIs cannot share one
 *   summary|kpi|<nn>          the list view (summary.ts): each KPI's definition and its last 13 readings
 */
const kpiRows = familyRows('kpi');
const nameRows = familyRows('kpiname');

const owner = z.object({ id: z.string(), name: z.string(), aadObjectId: z.string().optional() });
const tolerance = z.object({ kind: z.enum(['percent', 'absolute']), value: z.number().nonnegative() });
const yearTargets = z
  .array(z.object({ from: z.number().int(), target: z.number(), tolerance }))
  .min(1)
  .transform((t) => t as unknown as YearTargets);
const rules = {
  unit: z.enum(KPI_UNITS.values as [string, ...string[]]).transform((u) => KPI_UNITS.read(u)!),
  polarity: z.enum(POLARITIES.values as [string, ...string[]]).transform((p) => POLARITIES.read(p)!),
  targets: yearTargets,
  frequency: z.enum(FREQUENCIES.values as [string, ...string[]]).transform((f) => FREQUENCIES.read(f)!),
};

/** A definition written before targets were kept per year had one target: it stands from the year the KPI was added. */
const oneTarget = z
  .object({ target: z.number(), tolerance, createdAt: z.string() })
  .transform(({ target, tolerance, createdAt }) =>
    firstTargets(periodOf('annual', new Date(createdAt)).fyStart, target, tolerance),
  );

const definitionSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== 'object' || raw === null || 'targets' in raw) return raw;
    const legacy = oneTarget.safeParse(raw);
    return legacy.success ? { ...raw, targets: legacy.data } : raw;
  },
  z.object({
    code: z.string(),
    name: z.string(),
    description: z.string(),
    owner: owner.optional(),
    council: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    ...rules,
  }),
);

/** One KPI in the list view: what the summary card and the checks of a reading need. */
const entrySchema = z.object({
  code: z.string(),
  name: z.string(),
  council: z.string(),
  owner: owner.pick({ id: true, name: true }).optional(),
  ...rules,
  /** Oldest first: [period label, value]. */
  recent: z.array(z.tuple([z.string(), z.number()])),
});
export type KpiEntry = z.infer<typeof entrySchema>;

export interface StoredKpi {
  readonly definition: KpiDefinition;
  readonly removed: { at: string; by: string } | undefined;
  readonly etag: string;
}

type DefinitionEntity = {
  partitionKey: string;
  rowKey: string;
  definition: string;
  removedAt: string;
  removedBy: string;
};
type ReadingEntity = { partitionKey: string; rowKey: string } & KpiReading;

export function entryOf(definition: KpiDefinition, recent: readonly ReadingPoint[]): KpiEntry {
  return {
    code: definition.code,
    name: definition.name,
    council: definition.council,
    ...(definition.owner ? { owner: { id: definition.owner.id, name: definition.owner.name } } : {}),
    unit: definition.unit,
    polarity: definition.polarity,
    targets: definition.targets,
    frequency: definition.frequency,
    recent: recent.map((r) => [r.period, r.value]),
  };
}

function sameDefinition(a: KpiEntry, b: KpiEntry): boolean {
  return JSON.stringify({ ...a, recent: [] }) === JSON.stringify({ ...b, recent: [] });
}

export function recentOf(entry: KpiEntry): ReadingPoint[] {
  return entry.recent.map(([period, value]) => ({ period, value }));
}

/** Names compare without case and with runs of spaces as one. */
function nameKey(name: string): string {
  return nameRows.key(name.trim().replace(/\s+/g, ' ').toLowerCase());
}

function definitionEntity(
  partnershipId: PartnershipId,
  definition: KpiDefinition,
  removed?: { at: string; by: string },
): DefinitionEntity {
  return {
    partitionKey: partnershipId,
    rowKey: kpiRows.key(definition.code),
    definition: JSON.stringify(definition),
    removedAt: removed?.at ?? '',
    removedBy: removed?.by ?? '',
  };
}

export class KpiRepository {
  readonly summary: Summary<KpiEntry>;

  constructor(private readonly tables: Tables) {
    this.summary = new Summary(tables.partnerships, {
      family: 'kpi',
      entry: entrySchema,
      // 2: targets per financial year.
      version: 2,
      itemPrefix: kpiRows.prefix,
    });
  }

  /** Every KPI of the partnership, from the summary (rebuilt from the rows when it is missing). */
  async list(partnershipId: PartnershipId): Promise<KpiEntry[]> {
    const { entries, current } = await this.summary.readAll(partnershipId);
    return current ? entries : this.rebuildSummary(partnershipId);
  }

  /** One KPI's entry, read from its summary shard (a point read), with the shard for a change. */
  async entry(partnershipId: PartnershipId, code: string) {
    const shard = await this.summary.readShard(partnershipId, code);
    return { shard, entry: shard.entries.get(code) };
  }

  async get(partnershipId: PartnershipId, code: string): Promise<StoredKpi | undefined> {
    const row = await getOrUndefined<DefinitionEntity>(this.tables.partnerships, partnershipId, kpiRows.key(code));
    return row && this.stored(row);
  }

  /** Adds a KPI: its definition, its name's claim and its summary entry, with the audit row. A taken code or name is a ConflictError. */
  async add(partnershipId: PartnershipId, definition: KpiDefinition, audit: AuditEntry): Promise<void> {
    const shard = await this.summary.readShard(partnershipId, definition.code);
    await commitWithAudit(
      this.tables,
      partnershipId,
      [
        ['create', definitionEntity(partnershipId, definition)],
        ['create', { partitionKey: partnershipId, rowKey: nameKey(definition.name), code: definition.code }],
        this.summary.write(partnershipId, shard, [[definition.code, entryOf(definition, [])]]),
      ],
      audit,
      `KPI ${definition.code} or its name exists`,
    );
  }

  /** Replaces the definition if nobody changed it since it was read (ETag); a lost race is a ConflictError. */
  async update(partnershipId: PartnershipId, stored: StoredKpi, next: KpiDefinition, audit: AuditEntry): Promise<void> {
    const { shard, entry } = await this.entry(partnershipId, stored.definition.code);
    const actions: TransactionAction[] = [
      ['update', definitionEntity(partnershipId, next), 'Replace', { etag: stored.etag }],
      this.summary.write(partnershipId, shard, [[next.code, entryOf(next, entry ? recentOf(entry) : [])]]),
    ];
    if (nameKey(next.name) !== nameKey(stored.definition.name)) {
      actions.push(['delete', { partitionKey: partnershipId, rowKey: nameKey(stored.definition.name) }]);
      actions.push(['create', { partitionKey: partnershipId, rowKey: nameKey(next.name), code: next.code }]);
    }
    await commitWithAudit(this.tables, partnershipId, actions, audit, `KPI ${next.code} changed meanwhile`);
  }

  /** A soft delete: the KPI leaves the lists and gives up its name; its readings and history stay. */
  async remove(
    partnershipId: PartnershipId,
    stored: StoredKpi,
    removed: { at: string; by: string },
    audit: AuditEntry,
  ): Promise<void> {
    const { shard } = await this.entry(partnershipId, stored.definition.code);
    await commitWithAudit(
      this.tables,
      partnershipId,
      [
        ['update', definitionEntity(partnershipId, stored.definition, removed), 'Replace', { etag: stored.etag }],
        ['delete', { partitionKey: partnershipId, rowKey: nameKey(stored.definition.name) }],
        this.summary.write(partnershipId, shard, [[stored.definition.code, undefined]]),
      ],
      audit,
      `KPI ${stored.definition.code} changed meanwhile`,
    );
  }

  async getReading(
    partnershipId: PartnershipId,
    code: string,
    period: FinancialPeriod,
  ): Promise<KpiReading | undefined> {
    const row = await getOrUndefined<ReadingEntity>(
      this.tables.partnerships,
      partnershipId,
      kpiRows.key(code, period.sortKey),
    );
    return row && toReading(row);
  }

  /**
   * Stores a reading (replacing the period's earlier one) and the KPI's summary entry in one
   * transaction under the shard's ETag. Readings of different periods never clash on a row; the
   * shard is the one place they meet, so losing there is retried here, re-reading only the shard,
   * until `deadline`. When the caller says which reading it saw for the period (`before`, null for
   * none), the reading row is written under its own ETag: a reading of the same period recorded
   * meanwhile is a ReadingChanged, for the caller to decide again (its audit's "before" is stale).
   */
  async recordReading(
    partnershipId: PartnershipId,
    checked: KpiEntry,
    period: FinancialPeriod,
    reading: Omit<KpiReading, 'period'>,
    audit: AuditEntry,
    options: { readonly before?: KpiReading | null; readonly deadline?: number } = {},
  ): Promise<void> {
    const code = checked.code;
    const rowKey = kpiRows.key(code, period.sortKey);
    const row = { partitionKey: partnershipId, rowKey, ...reading, period: period.label };
    const beforeKnown = options.before !== undefined;
    await retryOnConflict(
      async () => {
        const [{ shard, entry }, stored] = await Promise.all([
          this.entry(partnershipId, code),
          beforeKnown ? getOrUndefined<ReadingEntity>(this.tables.partnerships, partnershipId, rowKey) : undefined,
        ]);
        // The value was checked against the KPI as it was read: if it changed since, the command decides again.
        if (!entry || !sameDefinition(entry, checked)) throw new ReadingChanged(`KPI ${code} changed meanwhile`);
        if (beforeKnown && !sameReading(stored && toReading(stored), options.before ?? undefined)) {
          throw new ReadingChanged(`KPI ${code} ${period.label} was recorded meanwhile`);
        }
        const recent = mergeRecent(recentOf(entry), { period: period.label, value: reading.value });
        const write: TransactionAction = !beforeKnown
          ? ['upsert', row, 'Replace']
          : stored
            ? ['update', row, 'Replace', { etag: stored.etag }]
            : ['create', row];
        await commitWithAudit(
          this.tables,
          partnershipId,
          [
            write,
            this.summary.write(partnershipId, shard, [
              [code, { ...entry, recent: recent.map((r) => [r.period, r.value]) }],
            ]),
          ],
          audit,
          `KPI ${code} changed meanwhile`,
        );
      },
      {
        ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
        retries: (e) => !(e instanceof ReadingChanged),
      },
    );
  }

  /**
   * Stores readings of several KPIs together (a pasted table): every reading, the summary shards
   * they touch and one audit row in one transaction, so all of them are stored or none is. A shard
   * changed meanwhile is a ConflictError, for the caller to retry.
   */
  async recordReadings(
    partnershipId: PartnershipId,
    readings: ReadonlyArray<{ code: string; period: FinancialPeriod; reading: Omit<KpiReading, 'period'> }>,
    audit: AuditEntry,
  ): Promise<void> {
    const shards = new Map<number, Shard<KpiEntry>>();
    for (const { code } of readings) {
      const index = this.summary.shardOf(code);
      if (!shards.has(index)) shards.set(index, await this.summary.readShard(partnershipId, code));
    }
    const changed = new Map<string, KpiEntry>();
    const actions: TransactionAction[] = readings.map(({ code, period, reading }) => {
      const entry = changed.get(code) ?? shards.get(this.summary.shardOf(code))!.entries.get(code);
      if (!entry) throw new Error(`KPI ${code} has no summary entry`);
      const recent = mergeRecent(recentOf(entry), { period: period.label, value: reading.value });
      changed.set(code, { ...entry, recent: recent.map((r) => [r.period, r.value]) });
      return [
        'upsert',
        { partitionKey: partnershipId, rowKey: kpiRows.key(code, period.sortKey), ...reading, period: period.label },
        'Replace',
      ];
    });
    for (const shard of shards.values()) {
      const entries = [...changed].filter(([code]) => this.summary.shardOf(code) === shard.index);
      actions.push(this.summary.write(partnershipId, shard, entries));
    }
    await commitWithAudit(this.tables, partnershipId, actions, audit, 'KPI readings changed meanwhile');
  }

  /** Loads many readings of one KPI at once (imports, demo data): one transaction, with its audit row, per 97 readings. */
  async importReadings(
    partnershipId: PartnershipId,
    code: string,
    readings: ReadonlyArray<{ period: FinancialPeriod; reading: Omit<KpiReading, 'period'> }>,
    audit: AuditEntry,
  ): Promise<void> {
    // One row may appear once in a batch: a period given twice keeps its last value.
    const unique = [...new Map(readings.map((r) => [r.period.sortKey, r])).values()];
    const BATCH = 97;
    for (let start = 0; start < unique.length; start += BATCH) {
      const batch = unique.slice(start, start + BATCH);
      const { shard, entry } = await this.entry(partnershipId, code);
      if (!entry) throw new Error(`KPI ${code} does not exist`);
      let recent = recentOf(entry);
      const actions: TransactionAction[] = batch.map(({ period, reading }) => {
        recent = mergeRecent(recent, { period: period.label, value: reading.value });
        return [
          'upsert',
          { partitionKey: partnershipId, rowKey: kpiRows.key(code, period.sortKey), ...reading, period: period.label },
          'Replace',
        ];
      });
      actions.push(
        this.summary.write(partnershipId, shard, [
          [code, { ...entry, recent: recent.map((r) => [r.period, r.value]) }],
        ]),
      );
      await commitWithAudit(
        this.tables,
        partnershipId,
        actions,
        { ...audit, subject: `${audit.subject} (${start + 1}–${start + batch.length} of ${unique.length})` },
        `KPI ${code} changed meanwhile`,
      );
    }
  }

  /** The KPI's readings from `from` on (all when absent), oldest first. */
  async readings(partnershipId: PartnershipId, code: string, from?: FinancialPeriod): Promise<KpiReading[]> {
    const readings: KpiReading[] = [];
    const filter = from
      ? rowKeyRange(partnershipId, kpiRows.key(code, from.sortKey), kpiRows.under(code))
      : rowKeyStartsWith(partnershipId, kpiRows.under(code));
    for await (const row of this.tables.partnerships.listEntities<ReadingEntity>({ queryOptions: { filter } })) {
      readings.push(toReading(row));
    }
    return readings;
  }

  /** The summary written afresh from the definitions and readings: one query of the family's rows. */
  async rebuildSummary(partnershipId: PartnershipId): Promise<KpiEntry[]> {
    return this.summary.rebuild(partnershipId, async () => {
      const definitions = new Map<string, StoredKpi>();
      const recent = new Map<string, ReadingPoint[]>();
      for await (const row of this.tables.partnerships.listEntities<DefinitionEntity & ReadingEntity>({
        queryOptions: { filter: rowKeyStartsWith(partnershipId, kpiRows.prefix) },
      })) {
        if ('definition' in row && typeof row.definition === 'string') {
          definitions.set(row.rowKey, this.stored(row));
        } else {
          const code = row.rowKey.slice(kpiRows.prefix.length).split('|')[0]!;
          recent.set(code, mergeRecent(recent.get(code) ?? [], { period: row.period, value: row.value }));
        }
      }
      // KPI codes are letters and digits, so a key part is the code itself.
      return [...definitions.values()]
        .filter((k) => !k.removed)
        .map((k) => [k.definition.code, entryOf(k.definition, recent.get(k.definition.code) ?? [])] as const);
    });
  }

  private stored(row: DefinitionEntity & { etag: string }): StoredKpi {
    return {
      definition: readJson(definitionSchema, row, 'definition', row.definition) as unknown as KpiDefinition,
      removed: row.removedAt ? { at: row.removedAt, by: row.removedBy } : undefined,
      etag: row.etag,
    };
  }
}

/** The period's reading changed since the caller read it: its decision (and audit) must be made again. */
export class ReadingChanged extends ConflictError {}

function sameReading(a: KpiReading | undefined, b: KpiReading | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.value === b.value && a.recordedAt === b.recordedAt && a.recordedById === b.recordedById;
}

function toReading(e: ReadingEntity): KpiReading {
  return {
    period: e.period,
    value: e.value,
    commentary: e.commentary,
    recordedBy: e.recordedBy,
    recordedById: e.recordedById,
    recordedAt: e.recordedAt,
  };
}
