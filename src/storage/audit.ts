import { randomUUID } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import type { PartnershipId } from '../domain/partnership.js';
import { orConflict } from './errors.js';
import { getOrUndefined } from './rows.js';
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

/** A table property holds 64 KB (32K UTF-16 characters); an entry is cut well below that. */
const MAX_ENTRY_CHARS = 30_000;

function stored(entry: AuditEntry): string {
  const json = JSON.stringify(entry);
  if (json.length <= MAX_ENTRY_CHARS) return json;
  const cut = (value: unknown) =>
    value === null || value === undefined ? value : `${JSON.stringify(value).slice(0, 8_000)}…`;
  return JSON.stringify({
    ...entry,
    command: entry.command.slice(0, 2_000),
    before: cut(entry.before),
    after: cut(entry.after),
  });
}

/**
 * Commits a change and its audit row in one transaction batch. The SDK retries a batch whose
 * answer was lost, and the retry then fails on rows the first attempt wrote: when the audit row is
 * there, the change was committed, and that counts as success.
 */
export async function commitWithAudit(
  tables: Tables,
  partnershipId: PartnershipId,
  actions: readonly TransactionAction[],
  entry: AuditEntry,
  what: string,
): Promise<void> {
  const audit: AuditEntity = {
    partitionKey: partnershipId,
    rowKey: keys.auditRow(new Date(entry.at), randomUUID().slice(0, 8)),
    entry: stored(entry),
  };
  try {
    await orConflict(tables.partnerships.submitTransaction([...actions, ['create', audit]]), what);
  } catch (error) {
    if (await committed(tables, audit)) return;
    throw error;
  }
}

async function committed(tables: Tables, audit: AuditEntity): Promise<boolean> {
  return (await getOrUndefined(tables.partnerships, audit.partitionKey, audit.rowKey, ['RowKey'])) !== undefined;
}

export class AuditLog {
  constructor(private readonly tables: Tables) {}

  /** The latest entries, newest first (RowKeys hold the inverted time). */
  async latest(partnershipId: PartnershipId, count: number): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const pages = this.tables.partnerships
      .listEntities<AuditEntity>({ queryOptions: { filter: rowKeyStartsWith(partnershipId, keys.auditPrefix) } })
      .byPage({ maxPageSize: count });
    for await (const page of pages) {
      for (const e of page) entries.push(JSON.parse(e.entry) as AuditEntry);
      if (entries.length >= count) break;
    }
    return entries.slice(0, count);
  }
}
