import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { PartnershipId } from '../domain/partnership.js';
import { retryOnConflict, orConflict } from './errors.js';
import { rowKeyStartsWith } from './keys.js';
import { getOrUndefined, readJson } from './rows.js';

/**
 * A family's list view from one query: every item's summary entry (what the list card and the
 * checks of a change need), kept in shard rows of the partnership's partition. A change to an item
 * writes its entry in the same transaction batch as the item's own rows, under the shard's ETag,
 * so the summary never disagrees with the rows. Items are spread over shards by a hash of their
 * code, so writers to different items rarely clash; a clash is retried by the caller.
 *
 * A shard row holds its entries as JSON, cut into properties of at most 30,000 characters (a
 * property holds 64 KiB), within the 1 MiB an entity may hold: about 480,000 characters a shard.
 */
export interface SummarySpec<E> {
  /** The family's name, in the shard rows' keys: `summary|<family>|<nn>`. */
  readonly family: string;
  readonly entry: z.ZodType<E>;
  /** Bump when the entry's shape or meaning changes: shards of another version are rebuilt. */
  readonly version: number;
  readonly shards?: number;
  /** RowKey prefix of the family's item rows: tells "no items yet" from "summary missing". */
  readonly itemPrefix: string;
}

export interface Shard<E> {
  readonly index: number;
  /** Undefined when the shard row does not exist yet. */
  readonly etag: string | undefined;
  readonly entries: ReadonlyMap<string, E>;
}

const PART_CHARS = 30_000;
/** Parsed shards kept in memory, oldest dropped first: about a hundred partnerships' KPI summaries. */
const MAX_SHARDS_HELD = 2_000;
/** Leaves room under the 1 MiB entity limit (strings count two bytes a character) for keys and metadata. */
const MAX_SHARD_CHARS = 450_000;

type ShardEntity = { partitionKey: string; rowKey: string; v: number; parts: number } & Record<string, unknown>;

/** FNV-1a: a stable, even spread of codes over shards. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class SummaryTooLarge extends Error {
  override readonly name = 'SummaryTooLarge';
}

/** A summary shard of another version than the family's: its entries are of an older shape. */
export class SummaryOutdated extends Error {
  override readonly name = 'SummaryOutdated';
}

export class Summary<E> {
  private readonly shards: number;
  private readonly prefix: string;
  private readonly list: z.ZodType<Array<[string, E]>>;
  /** Shards read before, by partnership and row key, with the ETag they were read at. */
  private readonly parsed = new Map<string, { etag: string; entries: ReadonlyMap<string, E> }>();
  /** Partnerships whose shards this instance has read whole once: later reads check ETags first. */
  private readonly known = new Set<string>();

  constructor(
    private readonly table: TableClient,
    private readonly spec: SummarySpec<E>,
  ) {
    this.shards = spec.shards ?? 16;
    this.prefix = `summary|${spec.family}|`;
    this.list = z.array(z.tuple([z.string(), spec.entry]));
  }

  shardOf(key: string): number {
    return hash(key) % this.shards;
  }

  private rowKey(index: number): string {
    return `${this.prefix}${String(index).padStart(2, '0')}`;
  }

  /**
   * Every entry; `current` is false when the summary is missing or of another version while items
   * exist (the caller rebuilds it). Shards this instance has read before are checked by their
   * ETags alone (a query of keys and ETags), and only shards that changed are read again: a list
   * view read twice costs a few hundred bytes, never a stale entry.
   */
  async readAll(partnershipId: PartnershipId): Promise<{ entries: E[]; current: boolean }> {
    if (!this.known.has(partnershipId)) return this.readWhole(partnershipId);
    const heads: Array<{ rowKey: string; etag: string; v: number }> = [];
    for await (const row of this.table.listEntities<ShardEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, this.prefix), select: ['RowKey', 'v'] },
    })) {
      heads.push({ rowKey: row.rowKey, etag: row.etag, v: row.v });
    }
    if (heads.some((head) => head.v !== this.spec.version)) return { entries: [], current: false };
    if (heads.length === 0) return this.readWhole(partnershipId);
    const shards = await Promise.all(
      heads.map(async (head) => {
        const held = this.parsed.get(`${partnershipId}|${head.rowKey}`);
        if (held?.etag === head.etag) return held.entries;
        const row = await getOrUndefined<ShardEntity>(this.table, partnershipId, head.rowKey);
        return row && row.v === this.spec.version ? this.entriesOf(partnershipId, row) : new Map<string, E>();
      }),
    );
    return { entries: shards.flatMap((entries) => [...entries.values()]), current: true };
  }

  /** Every shard in one query, as a first read of a partnership does. */
  private async readWhole(partnershipId: PartnershipId): Promise<{ entries: E[]; current: boolean }> {
    const rows: ShardEntity[] = [];
    for await (const row of this.table.listEntities<ShardEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, this.prefix) },
    })) {
      rows.push(row);
    }
    if (rows.some((row) => row.v !== this.spec.version)) return { entries: [], current: false };
    if (rows.length === 0) return { entries: [], current: !(await this.hasItems(partnershipId)) };
    this.known.add(partnershipId);
    return { entries: rows.flatMap((row) => [...this.entriesOf(partnershipId, row).values()]), current: true };
  }

  /**
   * The shard that holds `key`, with its ETag, for a change to that item. A shard of another
   * version (written before the entry's shape changed) is a SummaryOutdated; given `rebuild`, the
   * summary is written afresh from the rows with it first, so a change need not wait for a list.
   */
  async readShard(partnershipId: PartnershipId, key: string, rebuild?: () => Promise<unknown>): Promise<Shard<E>> {
    try {
      return await this.readShardOnce(partnershipId, key);
    } catch (error) {
      if (!(error instanceof SummaryOutdated) || rebuild === undefined) throw error;
      await rebuild();
      return this.readShardOnce(partnershipId, key);
    }
  }

  private async readShardOnce(partnershipId: PartnershipId, key: string): Promise<Shard<E>> {
    const index = this.shardOf(key);
    try {
      const row = await this.table.getEntity<ShardEntity>(partnershipId, this.rowKey(index));
      if (row.v !== this.spec.version) throw new SummaryOutdated(`summary shard ${row.rowKey} is of version ${row.v}`);
      return { index, etag: row.etag, entries: this.entriesOf(partnershipId, row) };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return { index, etag: undefined, entries: new Map() };
      throw error;
    }
  }

  /** The batch action that writes the shard with these entries set (or removed, for undefined). */
  write(
    partnershipId: PartnershipId,
    shard: Shard<E>,
    changes: ReadonlyArray<readonly [string, E | undefined]>,
  ): TransactionAction {
    const entries = new Map(shard.entries);
    for (const [key, entry] of changes) {
      if (this.shardOf(key) !== shard.index) throw new RangeError(`${key} is not in summary shard ${shard.index}`);
      if (entry === undefined) entries.delete(key);
      else entries.set(key, entry);
    }
    const entity = this.entity(partnershipId, shard.index, entries);
    return shard.etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: shard.etag }];
  }

  /**
   * Writes the summary afresh from `load` (the item rows), under the ETags the shards had before
   * the load, so a change committed meanwhile makes it start again rather than be lost.
   */
  async rebuild(partnershipId: PartnershipId, load: () => Promise<ReadonlyArray<readonly [string, E]>>): Promise<E[]> {
    return retryOnConflict(async () => {
      const etags = new Map<string, string>();
      for await (const row of this.table.listEntities<ShardEntity>({
        queryOptions: { filter: rowKeyStartsWith(partnershipId, this.prefix), select: ['RowKey'] },
      })) {
        etags.set(row.rowKey, row.etag);
      }
      const items = await load();
      const byShard = Array.from({ length: this.shards }, () => new Map<string, E>());
      for (const [key, entry] of items) byShard[this.shardOf(key)]!.set(key, entry);
      const actions: TransactionAction[] = byShard.map((entries, index) => {
        const entity = this.entity(partnershipId, index, entries);
        const etag = etags.get(entity.rowKey);
        return etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag }];
      });
      await orConflict(this.table.submitTransaction(actions), `the ${this.spec.family} summary changed meanwhile`);
      return items.map(([, entry]) => entry);
    });
  }

  private async hasItems(partnershipId: PartnershipId): Promise<boolean> {
    const pages = this.table
      .listEntities({
        queryOptions: { filter: rowKeyStartsWith(partnershipId, this.spec.itemPrefix), select: ['RowKey'] },
      })
      .byPage({ maxPageSize: 1 });
    const first = await pages.next();
    return !first.done && first.value.length > 0;
  }

  /** A shard's entries, parsed and checked once per ETag: the same ETag is the same content. */
  private entriesOf(partnershipId: PartnershipId, row: ShardEntity & { etag?: string }): ReadonlyMap<string, E> {
    const key = `${partnershipId}|${row.rowKey}`;
    const held = this.parsed.get(key);
    if (held && row.etag !== undefined && held.etag === row.etag) return held.entries;
    const entries = this.parse(row);
    if (row.etag !== undefined) {
      if (this.parsed.size >= MAX_SHARDS_HELD) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(key, { etag: row.etag, entries });
    }
    return entries;
  }

  private parse(row: ShardEntity): Map<string, E> {
    let json = '';
    for (let i = 0; i < row.parts; i++) {
      const part = row[`p${i}`];
      json += typeof part === 'string' ? part : '';
    }
    return new Map(readJson(this.list, row, 'p0…', json));
  }

  private entity(partnershipId: PartnershipId, index: number, entries: ReadonlyMap<string, E>): ShardEntity {
    const json = JSON.stringify([...entries]);
    if (json.length > MAX_SHARD_CHARS) {
      throw new SummaryTooLarge(`the ${this.spec.family} summary shard ${index} is full (${entries.size} items)`);
    }
    const entity: ShardEntity = {
      partitionKey: partnershipId,
      rowKey: this.rowKey(index),
      v: this.spec.version,
      parts: 0,
    };
    for (let at = 0; at < json.length || entity.parts === 0;) {
      let end = Math.min(json.length, at + PART_CHARS);
      // A character outside the BMP is two UTF-16 units: never cut between them.
      if (end < json.length && /[\ud800-\udbff]/.test(json.charAt(end - 1))) end--;
      entity[`p${entity.parts}`] = json.slice(at, end);
      entity.parts++;
      at = end;
    }
    return entity;
  }
}
