import type { TransactionAction } from '@azure/data-tables';
import type { KpiDefinition, KpiReading, ReadingPoint } from '../domain/kpi-assessment.js';
import type { PartnershipId } from '../domain/partnership.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { isNotFound } from './errors.js';
import { keys, rowKeyStartsWith } from './keys.js';
import type { Tables } from './tables.js';

/** How many recent readings each definition row carries, so the summary is one query. */
export const RECENT_KEPT = 25;
/** A transaction holds at most 100 actions: the readings, the definition and the audit row. */
const BATCH_READINGS = 98;

export interface StoredKpi {
  readonly definition: KpiDefinition;
  /** Oldest first, at most RECENT_KEPT. */
  readonly recent: readonly ReadingPoint[];
  readonly removed: { at: string; by: string } | undefined;
  readonly etag: string;
}

type DefinitionEntity = {
  partitionKey: string;
  rowKey: string;
  definition: string;
  recent: string;
  removedAt?: string;
  removedBy?: string;
};

type ReadingEntity = {
  partitionKey: string;
  rowKey: string;
  code: string;
  period: string;
  value: number;
  commentary: string;
  recordedBy: string;
  recordedById: string;
  recordedAt: string;
};

function toStored(e: DefinitionEntity & { etag: string }): StoredKpi {
  return {
    definition: JSON.parse(e.definition) as KpiDefinition,
    recent: JSON.parse(e.recent) as ReadingPoint[],
    removed: e.removedAt ? { at: e.removedAt, by: e.removedBy ?? '' } : undefined,
    etag: e.etag,
  };
}

function definitionEntity(
  partnershipId: PartnershipId,
  definition: KpiDefinition,
  recent: readonly ReadingPoint[],
  removed?: { at: string; by: string },
): DefinitionEntity {
  return {
    partitionKey: partnershipId,
    rowKey: keys.kpiDefinition(definition.code),
    definition: JSON.stringify(definition),
    recent: JSON.stringify(recent),
    removedAt: removed?.at ?? '',
    removedBy: removed?.by ?? '',
  };
}

/** Keeps one value per period, ordered by the period's label (labels of one frequency sort in time). */
export function mergeRecent(
  recent: readonly ReadingPoint[],
  point: ReadingPoint,
  sortKey: (period: string) => string,
): ReadingPoint[] {
  const merged = [...recent.filter((r) => r.period !== point.period), point];
  merged.sort((a, b) => (sortKey(a.period) < sortKey(b.period) ? -1 : 1));
  return merged.slice(-RECENT_KEPT);
}

export class KpiRepository {
  constructor(private readonly tables: Tables) {}

  /** A code in use by a removed KPI counts as taken too, so the audit trail stays unambiguous. */
  async add(partnershipId: PartnershipId, definition: KpiDefinition, audit: AuditEntry): Promise<void> {
    await commitWithAudit(
      this.tables,
      partnershipId,
      [['create', definitionEntity(partnershipId, definition, [])]],
      audit,
      `KPI ${definition.code} exists`,
    );
  }

  async get(partnershipId: PartnershipId, code: string): Promise<StoredKpi | undefined> {
    try {
      return toStored(
        await this.tables.partnerships.getEntity<DefinitionEntity>(partnershipId, keys.kpiDefinition(code)),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Every KPI of the partnership with its recent readings, in one single-partition query. */
  async list(partnershipId: PartnershipId, options: { includeRemoved?: boolean } = {}): Promise<StoredKpi[]> {
    const kpis: StoredKpi[] = [];
    const rows = this.tables.partnerships.listEntities<DefinitionEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, keys.kpiDefinitionPrefix) },
    });
    for await (const row of rows) {
      const kpi = toStored(row);
      if (options.includeRemoved || !kpi.removed) kpis.push(kpi);
    }
    return kpis;
  }

  /** Replaces the definition if nobody changed it since it was read (ETag); a lost race is a ConflictError. */
  async update(
    partnershipId: PartnershipId,
    stored: StoredKpi,
    definition: KpiDefinition,
    audit: AuditEntry,
  ): Promise<void> {
    await this.replace(
      partnershipId,
      stored,
      definitionEntity(partnershipId, definition, stored.recent, stored.removed),
      audit,
    );
  }

  /** A soft delete: the KPI leaves the lists, its readings and history stay. */
  async remove(
    partnershipId: PartnershipId,
    stored: StoredKpi,
    removed: { at: string; by: string },
    audit: AuditEntry,
  ): Promise<void> {
    await this.replace(
      partnershipId,
      stored,
      definitionEntity(partnershipId, stored.definition, stored.recent, removed),
      audit,
    );
  }

  private async replace(
    partnershipId: PartnershipId,
    stored: StoredKpi,
    entity: DefinitionEntity,
    audit: AuditEntry,
  ): Promise<void> {
    await commitWithAudit(
      this.tables,
      partnershipId,
      [['update', entity, 'Replace', { etag: stored.etag }]],
      audit,
      `KPI ${stored.definition.code} changed meanwhile`,
    );
  }

  async getReading(partnershipId: PartnershipId, code: string, periodKey: string): Promise<KpiReading | undefined> {
    try {
      return toReading(
        await this.tables.partnerships.getEntity<ReadingEntity>(partnershipId, keys.kpiReading(code, periodKey)),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Stores a reading (replacing the period's earlier one) and the definition's recent list in one
   * transaction, guarded by the definition's ETag: two officers recording at once cannot lose a value.
   */
  async recordReading(
    partnershipId: PartnershipId,
    stored: StoredKpi,
    reading: KpiReading,
    periodKey: string,
    sortKey: (period: string) => string,
    audit: AuditEntry,
  ): Promise<void> {
    const code = stored.definition.code;
    const readingEntity: ReadingEntity = {
      partitionKey: partnershipId,
      rowKey: keys.kpiReading(code, periodKey),
      code,
      ...reading,
    };
    const recent = mergeRecent(stored.recent, { period: reading.period, value: reading.value }, sortKey);
    const actions: TransactionAction[] = [
      ['upsert', readingEntity, 'Replace'],
      [
        'update',
        definitionEntity(partnershipId, stored.definition, recent, stored.removed),
        'Replace',
        { etag: stored.etag },
      ],
    ];
    await commitWithAudit(this.tables, partnershipId, actions, audit, `KPI ${code} changed meanwhile`);
  }

  /** Loads many readings of one KPI at once (imports, demo data): one transaction, with its audit row, per 98 readings. */
  async importReadings(
    partnershipId: PartnershipId,
    code: string,
    readings: ReadonlyArray<KpiReading & { periodKey: string }>,
    sortKey: (period: string) => string,
    audit: AuditEntry,
  ): Promise<void> {
    // One row may appear once in a batch: a period given twice keeps its last value.
    const unique = [...new Map(readings.map((r) => [r.periodKey, r])).values()];
    for (let start = 0; start < unique.length; start += BATCH_READINGS) {
      const stored = await this.get(partnershipId, code);
      if (!stored) throw new Error(`KPI ${code} does not exist`);
      const batch = unique.slice(start, start + BATCH_READINGS);
      let recent = [...stored.recent];
      const actions: TransactionAction[] = batch.map(({ periodKey, ...reading }) => {
        recent = mergeRecent(recent, { period: reading.period, value: reading.value }, sortKey);
        return [
          'upsert',
          { partitionKey: partnershipId, rowKey: keys.kpiReading(code, periodKey), code, ...reading },
          'Replace',
        ];
      });
      actions.push([
        'update',
        definitionEntity(partnershipId, stored.definition, recent, stored.removed),
        'Replace',
        { etag: stored.etag },
      ]);
      await commitWithAudit(
        this.tables,
        partnershipId,
        actions,
        { ...audit, subject: `${audit.subject} (${start + 1}–${start + batch.length} of ${unique.length})` },
        `KPI ${code} changed meanwhile`,
      );
    }
  }

  /** The KPI's readings, oldest first. */
  async readings(partnershipId: PartnershipId, code: string): Promise<KpiReading[]> {
    const readings: KpiReading[] = [];
    const rows = this.tables.partnerships.listEntities<ReadingEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, keys.kpiReadingPrefix(code)) },
    });
    for await (const row of rows) readings.push(toReading(row));
    return readings;
  }
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
