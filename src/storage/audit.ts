import { randomUUID } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import type { PartnershipId } from '../domain/partnership.js';
import { keys, rowKeyStartsWith } from './keys.js';
import type { Tables } from './tables.js';

export interface AuditEntry {
  readonly at: string;
  readonly actorId: string;
  readonly actorAadObjectId: string | undefined;
  readonly actorName: string;
  /** The command as typed (or the card verb), so a reader sees what was asked. */
  readonly command: string;
  /** What changed, e.g. `kpi FTF` or `role approver for Sam Jones`. */
  readonly subject: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly conversationId: string;
}

type AuditEntity = { partitionKey: string; rowKey: string; entry: string };

/** The audit row of a change, to go in the same transaction batch as the change itself. */
export function auditAction(partnershipId: PartnershipId, entry: AuditEntry): TransactionAction {
  const entity: AuditEntity = { partitionKey: partnershipId, rowKey: keys.auditRow(new Date(entry.at), randomUUID().slice(0, 8)), entry: JSON.stringify(entry) };
  return ['create', entity];
}

export class AuditLog {
  constructor(private readonly tables: Tables) {}

  /** The latest entries, newest first (RowKeys hold the inverted time). */
  async latest(partnershipId: PartnershipId, count: number): Promise<AuditEntry[]> {
    const pages = this.tables.partnerships
      .listEntities<AuditEntity>({ queryOptions: { filter: rowKeyStartsWith(partnershipId, keys.auditPrefix) } })
      .byPage({ maxPageSize: count });
    const first = await pages.next();
    if (first.done) return [];
    return first.value.slice(0, count).map((e) => JSON.parse(e.entry) as AuditEntry);
  }
}
