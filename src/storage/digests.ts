import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { PartnershipId } from '../domain/partnership.js';
import { WEEKDAYS, type ScheduleSpec } from '../domain/schedule.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { orConflict, retryOnConflict } from './errors.js';
import { familyRows, rowKeyStartsWith } from './keys.js';
import { getOrUndefined, readJson } from './rows.js';
import { Sequence } from './sequence.js';
import type { Tables } from './tables.js';

/**
 * Digest subscriptions, in the partnership's partition:
 *   digest|D-<n>              a subscription: the conversation, the schedule, the sections, a pause
 *   digest-to|<conversation>  what the conversation was last sent: the run, when, and runs missed
 *   seq|digest                numbers D-1, D-2 … (sequence.ts)
 * A partnership has a handful of subscriptions, so the list is one range query of each family.
 */
const subscriptionRows = familyRows('digest');
const deliveryRows = familyRows('digest-to');

const conversationSchema = z.object({
  conversationId: z.string(),
  tenantId: z.string(),
  teamId: z.string().optional(),
  type: z.enum(['personal', 'groupChat', 'channel']),
  label: z.string(),
});
export type DigestConversation = z.infer<typeof conversationSchema>;

const specSchema: z.ZodType<ScheduleSpec> = z.union([
  z.object({ kind: z.literal('weekly'), day: z.enum(WEEKDAYS), at: z.string() }),
  z.object({ kind: z.literal('monthly'), day: z.union([z.number().int(), z.literal('last')]), at: z.string() }),
  z.object({ kind: z.literal('cron'), expression: z.string() }),
]) as z.ZodType<ScheduleSpec>;

const subscriptionSchema = z.object({
  id: z.string(),
  conversation: conversationSchema,
  spec: specSchema,
  sections: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
  /** Set when the conversation could not be reached (bot removed or blocked): runs skip it. */
  paused: z.object({ at: z.string(), reason: z.string() }).optional(),
  /** Unsubscribed: kept (a batch cannot delete under an ETag) but never listed or run. */
  removed: z.object({ at: z.string(), by: z.string() }).optional(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export interface StoredSubscription {
  readonly subscription: Subscription;
  readonly etag: string;
}

const deliverySchema = z.object({
  /** The due instant (ISO) of the last scheduled run delivered here: a run is never sent twice. */
  lastDue: z.string().optional(),
  /** When the last digest went here (a scheduled run or `digest now`): "since the last digest". */
  lastSentAt: z.string().optional(),
  /** Runs found too late to send, to be mentioned in the next digest (most recent few). */
  missed: z.array(z.string()).default([]),
  /** The first run missed, when more were missed than `missed` lists. */
  missedSince: z.string().optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

type SubscriptionEntity = { partitionKey: string; rowKey: string; subscription: string };
type DeliveryEntity = {
  partitionKey: string;
  rowKey: string;
  lastDue?: string;
  lastSentAt?: string;
  missed?: string;
  missedSince?: string;
};

/** At most this many missed runs are kept to mention; the rest are summed up by `missedSince`. */
const MISSED_KEPT = 12;

function subscriptionEntity(partnershipId: PartnershipId, subscription: Subscription): SubscriptionEntity {
  return {
    partitionKey: partnershipId,
    rowKey: subscriptionRows.key(subscription.id),
    subscription: JSON.stringify(subscription),
  };
}

function deliveryOf(row: DeliveryEntity): Delivery {
  return readJson(deliverySchema, row, 'delivery', {
    lastDue: row.lastDue || undefined,
    lastSentAt: row.lastSentAt || undefined,
    missed: row.missed ? (JSON.parse(row.missed) as unknown) : [],
    missedSince: row.missedSince || undefined,
  });
}

export class DigestRepository {
  private readonly numbers: Sequence;

  constructor(private readonly tables: Tables) {
    this.numbers = new Sequence(tables.partnerships, 'digest');
  }

  /** Every subscription of the partnership (not those unsubscribed), in number order. */
  async list(partnershipId: PartnershipId): Promise<StoredSubscription[]> {
    const found: StoredSubscription[] = [];
    for await (const row of this.tables.partnerships.listEntities<SubscriptionEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, subscriptionRows.prefix) },
    })) {
      const subscription = readJson(subscriptionSchema, row, 'subscription', row.subscription);
      if (!subscription.removed) found.push({ subscription, etag: row.etag });
    }
    return found.sort((a, b) => numberOf(a.subscription.id) - numberOf(b.subscription.id));
  }

  /** What each conversation of the partnership was last sent, by conversation id. */
  async deliveries(partnershipId: PartnershipId): Promise<Map<string, Delivery>> {
    const found = new Map<string, Delivery>();
    for await (const row of this.tables.partnerships.listEntities<DeliveryEntity>({
      queryOptions: { filter: rowKeyStartsWith(partnershipId, deliveryRows.prefix) },
    })) {
      found.set(unescapeKey(row.rowKey.slice(deliveryRows.prefix.length)), deliveryOf(row));
    }
    return found;
  }

  async delivery(partnershipId: PartnershipId, conversationId: string): Promise<Delivery | undefined> {
    const row = await getOrUndefined<DeliveryEntity>(
      this.tables.partnerships,
      partnershipId,
      deliveryRows.key(conversationId),
    );
    return row && deliveryOf(row);
  }

  /**
   * Numbers the subscription (D-n) and stores it with its audit row; a number taken meanwhile is
   * retried. `check` sees the subscriptions as they stand once the number is taken (and may refuse
   * by throwing): one added meanwhile took a number too, so the batch fails and the check runs again.
   */
  async add(
    partnershipId: PartnershipId,
    subscription: Omit<Subscription, 'id'>,
    audit: (id: string) => AuditEntry,
    check: (existing: readonly StoredSubscription[]) => void = () => undefined,
  ): Promise<Subscription> {
    return retryOnConflict(async () => {
      const { n, action } = await this.numbers.take(partnershipId);
      check(await this.list(partnershipId));
      const stored: Subscription = { id: `D-${n}`, ...subscription };
      await commitWithAudit(
        this.tables,
        partnershipId,
        [action, ['create', subscriptionEntity(partnershipId, stored)]],
        audit(stored.id),
        `digest number D-${n} was taken meanwhile`,
      );
      return stored;
    });
  }

  /** Unsubscribes if nobody changed it since it was read; a lost race is a ConflictError. */
  async remove(
    partnershipId: PartnershipId,
    stored: StoredSubscription,
    removed: { at: string; by: string },
    audit: AuditEntry,
  ): Promise<void> {
    const entity = subscriptionEntity(partnershipId, { ...stored.subscription, removed });
    await commitWithAudit(
      this.tables,
      partnershipId,
      [['update', entity, 'Replace', { etag: stored.etag }]],
      audit,
      `digest ${stored.subscription.id} changed meanwhile`,
    );
  }

  /**
   * Pauses (or, with `paused` undefined, resumes) these subscriptions in one batch with its audit
   * row, each under the ETag it was read with; a change meanwhile is a ConflictError.
   */
  async setPaused(
    partnershipId: PartnershipId,
    stored: readonly StoredSubscription[],
    paused: Subscription['paused'],
    audit: AuditEntry,
  ): Promise<void> {
    if (stored.length === 0) return;
    const actions: TransactionAction[] = stored.map(({ subscription, etag }) => {
      const { paused: _was, ...rest } = subscription;
      const next: Subscription = paused ? { ...rest, paused } : rest;
      return ['update', subscriptionEntity(partnershipId, next), 'Replace', { etag }];
    });
    await commitWithAudit(this.tables, partnershipId, actions, audit, 'a digest subscription changed meanwhile');
  }

  /**
   * Records a digest sent to the conversation: the run it was (for a scheduled one), when, and that
   * the runs missed before it have now been mentioned.
   */
  async recordSent(
    partnershipId: PartnershipId,
    conversationId: string,
    sent: { at: Date; due?: Date },
  ): Promise<void> {
    const entity: DeliveryEntity = {
      partitionKey: partnershipId,
      rowKey: deliveryRows.key(conversationId),
      lastSentAt: sent.at.toISOString(),
      missed: '[]',
      missedSince: '',
      ...(sent.due ? { lastDue: sent.due.toISOString() } : {}),
    };
    await this.tables.partnerships.upsertEntity(entity, 'Merge');
  }

  /** Adds runs found too late to send, to be mentioned in the conversation's next digest. */
  async recordMissed(
    partnershipId: PartnershipId,
    conversationId: string,
    missed: readonly Date[],
    since: Date | undefined,
  ): Promise<void> {
    if (missed.length === 0) return;
    const rowKey = deliveryRows.key(conversationId);
    await retryOnConflict(async () => {
      const row = await getOrUndefined<DeliveryEntity>(this.tables.partnerships, partnershipId, rowKey);
      const before: Delivery = row ? deliveryOf(row) : { missed: [] };
      const all = [...new Set([...before.missed, ...missed.map((d) => d.toISOString())])].sort();
      const kept = all.slice(-MISSED_KEPT);
      // The first run missed, when the list no longer starts with it.
      const first = [before.missedSince, since?.toISOString(), all[0]].filter((d): d is string => !!d).sort()[0];
      const entity: DeliveryEntity = {
        partitionKey: partnershipId,
        rowKey,
        missed: JSON.stringify(kept),
        missedSince: first !== undefined && first < kept[0]! ? first : '',
      };
      const write = row
        ? this.tables.partnerships.updateEntity(entity, 'Merge', { etag: row.etag })
        : this.tables.partnerships.createEntity(entity);
      await orConflict(write, 'the digest delivery row changed meanwhile');
    });
  }

  /** Lays many subscriptions at once (a benchmark's fan-out): one transaction per 99 rows, no audit. */
  async seed(partnershipId: PartnershipId, subscriptions: ReadonlyArray<Omit<Subscription, 'id'>>): Promise<string[]> {
    const ids: string[] = [];
    const BATCH = 99;
    for (let start = 0; start < subscriptions.length; start += BATCH) {
      const { n } = await this.numbers.take(partnershipId);
      const batch = subscriptions.slice(start, start + BATCH).map((s, i) => ({ id: `D-${n + i}`, ...s }));
      const last = n + batch.length - 1;
      const counter = { partitionKey: partnershipId, rowKey: 'seq|digest', last };
      await this.tables.partnerships.submitTransaction([
        ['upsert', counter, 'Replace'],
        ...batch.map((s): TransactionAction => ['create', subscriptionEntity(partnershipId, s)]),
      ]);
      ids.push(...batch.map((s) => s.id));
    }
    return ids;
  }
}

function numberOf(id: string): number {
  return Number(id.replace(/^D-/, '')) || 0;
}

/** Reads back a key part written by `escapeKey` (`~XX` is the character XX in hex). */
function unescapeKey(part: string): string {
  return part.replace(/~([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
