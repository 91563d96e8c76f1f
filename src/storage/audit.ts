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

/**
 * How much later than its turn began a change may be committed: the turn's deadline, retries of
 * a clash within it, and the clocks of several instances. Rows whose turn began this much before
 * the oldest one shown may still have been committed after it, so they are read too.
 */
const COMMIT_WINDOW_MS = 60_000;

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

  /**
   * The latest entries, newest committed first. RowKeys hold the inverted time the turn began,
   * which is not the order of commits when writers clashed and retried: the rows are read in
   * RowKey order as far as the commit window past the `count`th, and sorted by the time storage
   * committed each (its Timestamp, the same for every row of one batch), so the newest entry is
   * always the change whose value is stored.
   */
  async latest(partnershipId: PartnershipId, count: number): Promise<AuditEntry[]> {
    const rows: Array<{ entry: AuditEntry; committed: string; rowKey: string }> = [];
    let cutOff: string | undefined;
    const pages = this.tables.partnerships
      .listEntities<AuditEntity>({ queryOptions: { filter: rowKeyStartsWith(partnershipId, keys.auditPrefix) } })
      .byPage({ maxPageSize: Math.max(count, 20) });
    read: for await (const page of pages) {
      for (const e of page) {
        const entry = JSON.parse(e.entry) as AuditEntry;
        if (cutOff !== undefined && entry.at < cutOff) break read;
        rows.push({ entry, committed: e.timestamp ?? '', rowKey: e.rowKey });
        if (rows.length === count) cutOff = new Date(Date.parse(entry.at) - COMMIT_WINDOW_MS).toISOString();
      }
    }
    rows.sort((a, b) =>
      a.committed === b.committed ? a.rowKey.localeCompare(b.rowKey) : a.committed < b.committed ? 1 : -1,
    );
    return rows.slice(0, count).map((r) => r.entry);
  }
}
