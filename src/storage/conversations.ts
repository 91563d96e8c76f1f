import { z } from 'zod';
import { statusOf } from './errors.js';
import { getOrUndefined, readJson } from './rows.js';
import { conversationKey, keys } from './keys.js';
import type { Tables } from './tables.js';

/** What a proactive message needs to reach a conversation later (from installation and update events). */
export interface ConversationRecord {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly conversationType: 'personal' | 'groupChat' | 'channel';
  readonly serviceUrl: string;
  readonly botId: string;
  readonly botName: string;
  readonly teamId: string | undefined;
  readonly channelId: string | undefined;
  readonly name: string | undefined;
  readonly active: boolean;
  readonly updatedAt: string;
  /** Why it stopped being reachable (bot removed, blocked), when it did. */
  readonly inactiveReason: string | undefined;
}

type ConversationEntity = {
  partitionKey: string;
  rowKey: string;
  record: string;
  active: boolean;
};

/** A conversation record as stored in JSON: in the registry, and wherever a post remembers where it went. */
export const conversationRecordSchema = z
  .object({
    tenantId: z.string(),
    conversationId: z.string(),
    conversationType: z.enum(['personal', 'groupChat', 'channel']),
    serviceUrl: z.string(),
    botId: z.string(),
    botName: z.string(),
    teamId: z.string().optional(),
    channelId: z.string().optional(),
    name: z.string().optional(),
    active: z.boolean(),
    updatedAt: z.string(),
    inactiveReason: z.string().optional(),
  })
  .transform((r): ConversationRecord => ({
    ...r,
    teamId: r.teamId,
    channelId: r.channelId,
    name: r.name,
    inactiveReason: r.inactiveReason,
  }));

function recordOf(e: ConversationEntity): ConversationRecord {
  return readJson(conversationRecordSchema, e, 'record', e.record);
}

function toEntity(record: ConversationRecord): ConversationEntity {
  return {
    partitionKey: keys.tenantPartition(record.tenantId),
    rowKey: conversationKey({ kind: 'conversation', conversationId: record.conversationId }),
    record: JSON.stringify(record),
    active: record.active,
  };
}

export class ConversationRepository {
  constructor(private readonly tables: Tables) {}

  async save(record: ConversationRecord): Promise<void> {
    await this.tables.conversations.upsertEntity<ConversationEntity>(toEntity(record), 'Replace');
  }

  /**
   * Stores the reference and says whether this is the first sight of the conversation (or its
   * return after removal). Teams sends installation and member events together, maybe to two
   * instances: the insert and the ETag decide which one of them welcomes.
   */
  async remember(record: ConversationRecord): Promise<'new' | 'returned' | 'known'> {
    const entity = toEntity(record);
    try {
      await this.tables.conversations.createEntity(entity);
      return 'new';
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const existing = await this.tables.conversations.getEntity<ConversationEntity>(entity.partitionKey, entity.rowKey);
    try {
      await this.tables.conversations.updateEntity(entity, 'Replace', { etag: existing.etag });
    } catch (error) {
      if (statusOf(error) === 412) return 'known';
      throw error;
    }
    return existing.active ? 'known' : 'returned';
  }

  async get(tenantId: string, conversationId: string): Promise<ConversationRecord | undefined> {
    const e = await getOrUndefined<ConversationEntity>(
      this.tables.conversations,
      keys.tenantPartition(tenantId),
      conversationKey({ kind: 'conversation', conversationId }),
    );
    return e && recordOf(e);
  }

  /** Marks it unreachable (bot removed, blocked); later sends skip it. A re-install meanwhile wins (ETag). */
  async markInactive(tenantId: string, conversationId: string, reason: string, at: Date): Promise<void> {
    const partitionKey = keys.tenantPartition(tenantId);
    const rowKey = conversationKey({ kind: 'conversation', conversationId });
    const existing = await getOrUndefined<ConversationEntity>(this.tables.conversations, partitionKey, rowKey);
    if (!existing?.active) return;
    const record: ConversationRecord = {
      ...recordOf(existing),
      active: false,
      inactiveReason: reason,
      updatedAt: at.toISOString(),
    };
    try {
      await this.tables.conversations.updateEntity(toEntity(record), 'Replace', { etag: existing.etag });
    } catch (error) {
      if (statusOf(error) !== 412) throw error;
    }
  }
}
