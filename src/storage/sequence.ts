import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { PartnershipId } from '../domain/partnership.js';
import { getOrUndefined } from './rows.js';

type CounterEntity = { partitionKey: string; rowKey: string; last: number };

/**
 * Numbers items of a partnership in order (R-1, R-2 …) without gaps or repeats across
 * instances: `take` reads the counter and gives the next number with the batch action that claims
 * it under the counter's ETag. Put that action in the same transaction as the item it numbers; a
 * writer that took the same number loses with a ConflictError and takes the next one on retry.
 */
export class Sequence {
  constructor(
    private readonly table: TableClient,
    /** `risk`, `issue`, `approval` …: the counter row is `seq|<name>`. */
    private readonly name: string,
  ) {}

  async take(partnershipId: PartnershipId): Promise<{ n: number; action: TransactionAction }> {
    return this.takeMany(partnershipId, 1);
  }

  /** Claims `count` numbers at once (imports, seeding): `n` is the first of them. */
  async takeMany(partnershipId: PartnershipId, count: number): Promise<{ n: number; action: TransactionAction }> {
    if (!Number.isSafeInteger(count) || count < 1)
      throw new RangeError(`count must be a whole number from 1, got ${count}`);
    const rowKey = `seq|${this.name}`;
    const row = await getOrUndefined<CounterEntity>(this.table, partnershipId, rowKey);
    const n = (row?.last ?? 0) + 1;
    const entity: CounterEntity = { partitionKey: partnershipId, rowKey, last: n + count - 1 };
    return { n, action: row ? ['update', entity, 'Replace', { etag: row.etag }] : ['create', entity] };
  }
}
