import type { TransactionAction } from '@azure/data-tables';
import type { Council, Partnership, PartnershipId } from '../domain/partnership.js';
import type { RoleGrant } from '../domain/roles.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { ConflictError, isNotFound, statusOf } from './errors.js';
import { conversationKey, keys, rowKeyStartsWith, type ConversationKey } from './keys.js';
import { roleEntity, type ProfileEntity } from './entities.js';
import type { Tables } from './tables.js';
import { TtlCache } from './ttl-cache.js';
import { getOrUndefined, readJson } from './rows.js';
import { z } from 'zod';

export interface Binding {
  readonly partnershipId: PartnershipId;
  readonly key: ConversationKey;
  /** What people called it when it was linked: "team Programme Board", "personal chat with Alex". */
  readonly label: string;
  /** The team's or group chat's name as Teams gives it, kept up to date as Teams renames it; absent when Teams did not say. */
  readonly name?: string | undefined;
  readonly boundBy: string;
  readonly boundAt: string;
}

export interface CommitteeChannel {
  readonly channelId: string;
  readonly teamId: string;
  readonly label: string;
  /** The names Teams gives the team and the channel, kept up to date as Teams renames them. */
  readonly teamName?: string | undefined;
  readonly channelName?: string | undefined;
  readonly markedBy: string;
  readonly markedAt: string;
}

/** The conversation is linked to another partnership already. */
export class AlreadyLinked extends Error {
  override readonly name = 'AlreadyLinked';
  constructor(readonly partnershipId: PartnershipId) {
    super(`already linked to ${partnershipId}`);
  }
}

/** How old a lookup with no binding row behind it must be before another link may take the conversation. */
const ABANDONED_AFTER_MS = 5 * 60_000;
/** The RowKey of a conversation's lookup row (a constant, not empty: Cosmos DB for Table refuses empty keys). */
const LOOKUP = 'lookup';

type BindingEntity = {
  partitionKey: string;
  rowKey: string;
  key: string;
  label: string;
  name?: string;
  boundBy: string;
  boundAt: string;
};

function bindingRow(binding: Binding): BindingEntity {
  return {
    partitionKey: binding.partnershipId,
    rowKey: keys.bindingRow(conversationKey(binding.key)),
    key: JSON.stringify(binding.key),
    label: binding.label,
    name: binding.name ?? '',
    boundBy: binding.boundBy,
    boundAt: binding.boundAt,
  };
}

const councilsSchema = z.array(z.object({ code: z.string(), shareBasisPoints: z.number().int() }));

/** The profile copied onto a conversation's lookup row, so membership costs one read (name, tenant and councils never change). */
const lookupProfileSchema = z.object({
  name: z.string(),
  tenantId: z.string(),
  councils: councilsSchema,
  createdAt: z.string(),
  createdBy: z.string(),
});

type LookupEntity = {
  partitionKey: string;
  rowKey: string;
  partnershipId: string;
  key: string;
  profile?: string;
  etag: string;
};

export interface FoundBinding {
  readonly partnershipId: PartnershipId;
  readonly key: ConversationKey;
  /** The partnership as copied onto the lookup row when it was linked; absent on rows written before the copy existed. */
  readonly partnership: Partnership | undefined;
}

function profileOf(id: PartnershipId, row: LookupEntity): Partnership {
  return { id, ...readJson(lookupProfileSchema, row, 'profile', row.profile) };
}

export interface PartnershipRepositoryOptions {
  /** How long this instance may serve a binding or profile it read before (0: never). */
  readonly cacheTtlMs?: number;
}

export class PartnershipRepository {
  /** Which partnership a conversation key is linked to (null: none), by conversation key. */
  private readonly bindingCache: TtlCache<FoundBinding | null>;
  private readonly profileCache: TtlCache<Partnership | undefined>;

  constructor(
    private readonly tables: Tables,
    options: PartnershipRepositoryOptions = {},
  ) {
    this.bindingCache = new TtlCache(options.cacheTtlMs ?? 0);
    this.profileCache = new TtlCache(options.cacheTtlMs ?? 0);
  }

  /**
   * Creates the partnership with its first admin and its first linked conversation: one batch in
   * the partnership's partition, after the conversation's lookup row is claimed. A taken name is a
   * ConflictError; a conversation linked elsewhere is AlreadyLinked; either way nothing is left behind.
   */
  async create(partnership: Partnership, admin: RoleGrant, binding: Binding, audit: AuditEntry): Promise<void> {
    const profile: ProfileEntity = {
      partitionKey: partnership.id,
      rowKey: keys.profile,
      name: partnership.name,
      tenantId: partnership.tenantId,
      councils: JSON.stringify(partnership.councils),
      admins: JSON.stringify([admin.userId]),
      createdAt: partnership.createdAt,
      createdBy: partnership.createdBy,
    };
    if (await this.get(partnership.id)) throw new ConflictError(`partnership ${partnership.id} exists`);
    this.forget(binding.key, partnership.id);
    const claim = await this.claimLookup(binding, partnership);
    try {
      await commitWithAudit(
        this.tables,
        partnership.id,
        [
          ['create', profile],
          ['upsert', roleEntity(partnership.id, admin), 'Replace'],
          ['upsert', bindingRow(binding), 'Replace'],
        ],
        audit,
        `partnership ${partnership.id} exists`,
      );
    } catch (error) {
      await this.giveBack(binding, claim);
      throw error;
    }
  }

  /** The partnership's profile; `cached` lets this instance serve one it read within the cache's time. */
  async get(id: PartnershipId, options: { cached?: boolean } = {}): Promise<Partnership | undefined> {
    const read = async () => {
      const e = await getOrUndefined<ProfileEntity>(this.tables.partnerships, id, keys.profile);
      if (!e) return undefined;
      const councils: Council[] = readJson(councilsSchema, e, 'councils', e.councils);
      return { id, name: e.name, tenantId: e.tenantId, councils, createdAt: e.createdAt, createdBy: e.createdBy };
    };
    return options.cached ? this.profileCache.get(id, read) : read();
  }

  /** Forgets what this instance holds of a conversation's link and a partnership's profile, after changing them. */
  private forget(key: ConversationKey, id: PartnershipId): void {
    this.bindingCache.forget(conversationKey(key));
    this.profileCache.forget(id);
  }

  /** Links a conversation (or a whole team) to an existing partnership; linking it again changes nothing. */
  async link(binding: Binding, audit: AuditEntry, partnership: Partnership): Promise<void> {
    this.forget(binding.key, binding.partnershipId);
    const claim = await this.claimLookup(binding, partnership);
    try {
      await commitWithAudit(
        this.tables,
        binding.partnershipId,
        [['upsert', bindingRow(binding), 'Replace']],
        audit,
        'link',
      );
    } catch (error) {
      await this.giveBack(binding, claim);
      throw error;
    }
  }

  /** Unlinks a conversation; returns false when it was not linked to this partnership. */
  async unlink(partnershipId: PartnershipId, key: ConversationKey, audit: AuditEntry): Promise<boolean> {
    this.forget(key, partnershipId);
    const lookup = await this.lookupOf(key);
    if (lookup?.partnershipId !== partnershipId) return false;
    await this.releaseLookup(key, lookup.etag);
    const actions: TransactionAction[] = (await this.hasBindingRow(partnershipId, key))
      ? [['delete', { partitionKey: partnershipId, rowKey: keys.bindingRow(conversationKey(key)) }]]
      : [];
    try {
      await commitWithAudit(this.tables, partnershipId, actions, audit, 'unlink');
    } catch (error) {
      const partnership = await this.get(partnershipId);
      if (partnership) await this.claimLookup({ partnershipId, key }, partnership).catch(() => undefined);
      throw error;
    }
    return true;
  }

  /**
   * The partnership bound to the first of these keys that has a binding, in the order given (one
   * point read each, stopping at the first found); `cached` lets this instance serve what it read
   * within the cache's time.
   */
  async findBinding(
    candidates: readonly ConversationKey[],
    options: { cached?: boolean } = {},
  ): Promise<FoundBinding | undefined> {
    for (const candidate of candidates) {
      const read = async (): Promise<FoundBinding | null> => {
        const row = await getOrUndefined<LookupEntity>(this.tables.bindings, conversationKey(candidate), LOOKUP);
        if (!row) return null;
        const partnershipId = row.partnershipId as PartnershipId;
        return { partnershipId, key: candidate, partnership: row.profile ? profileOf(partnershipId, row) : undefined };
      };
      const found = options.cached ? await this.bindingCache.get(conversationKey(candidate), read) : await read();
      if (found) return found;
    }
    return undefined;
  }

  async listBindings(id: PartnershipId): Promise<Binding[]> {
    const bindings: Binding[] = [];
    for await (const row of this.tables.partnerships.listEntities<BindingEntity>({
      queryOptions: { filter: rowKeyStartsWith(id, keys.bindingPrefix) },
    })) {
      bindings.push({
        partnershipId: id,
        key: JSON.parse(row.key) as ConversationKey,
        label: row.label,
        name: row.name || undefined,
        boundBy: row.boundBy,
        boundAt: row.boundAt,
      });
    }
    return bindings;
  }

  async markCommittee(id: PartnershipId, channel: CommitteeChannel, audit: AuditEntry): Promise<void> {
    const row = { ...channel, teamName: channel.teamName ?? '', channelName: channel.channelName ?? '' };
    await commitWithAudit(
      this.tables,
      id,
      [['upsert', { partitionKey: id, rowKey: keys.committeeRow(channel.channelId), ...row }, 'Replace']],
      audit,
      'committee channel',
    );
  }

  async isCommittee(id: PartnershipId, channelId: string): Promise<boolean> {
    return (await getOrUndefined(this.tables.partnerships, id, keys.committeeRow(channelId), ['RowKey'])) !== undefined;
  }

  async listCommitteeChannels(id: PartnershipId): Promise<CommitteeChannel[]> {
    const channels: CommitteeChannel[] = [];
    const rows = this.tables.partnerships.listEntities<CommitteeChannel>({
      queryOptions: { filter: rowKeyStartsWith(id, keys.committeePrefix) },
    });
    for await (const row of rows)
      channels.push({
        channelId: row.channelId,
        teamId: row.teamId,
        label: row.label,
        teamName: row.teamName || undefined,
        channelName: row.channelName || undefined,
        markedBy: row.markedBy,
        markedAt: row.markedAt,
      });
    return channels;
  }

  /**
   * Teams renamed a team or one of its channels: the new name goes on the team's binding and its
   * committee channels that bear it, with the audit row; false when none of them does. A row
   * changed meanwhile is a ConflictError.
   */
  async rename(
    id: PartnershipId,
    place: { readonly teamId: string; readonly channelId?: string },
    name: string,
    audit: AuditEntry,
  ): Promise<boolean> {
    const actions: TransactionAction[] = [];
    if (place.channelId === undefined) {
      const rowKey = keys.bindingRow(conversationKey({ kind: 'team', teamId: place.teamId }));
      const binding = await getOrUndefined<BindingEntity>(this.tables.partnerships, id, rowKey);
      if (binding) actions.push(['update', { partitionKey: id, rowKey, name }, 'Merge', { etag: binding.etag }]);
    }
    for await (const row of this.tables.partnerships.listEntities<CommitteeChannel>({
      queryOptions: { filter: rowKeyStartsWith(id, keys.committeePrefix) },
    })) {
      if (row.teamId !== place.teamId || (place.channelId !== undefined && row.channelId !== place.channelId)) continue;
      const named = place.channelId === undefined ? { teamName: name } : { channelName: name };
      actions.push(['update', { partitionKey: id, rowKey: row.rowKey!, ...named }, 'Merge', { etag: row.etag }]);
    }
    if (actions.length === 0) return false;
    await commitWithAudit(this.tables, id, actions, audit, 'renamed meanwhile');
    return true;
  }

  /**
   * One conversation, one partnership: the insert decides between two links racing for it. Returns
   * the ETag of the claim when this call took the lookup (and must give it back if its batch fails),
   * or undefined when the lookup pointed to this partnership already.
   */
  private async claimLookup(
    binding: Pick<Binding, 'partnershipId' | 'key'>,
    partnership: Partnership,
  ): Promise<string | undefined> {
    const { id: _id, ...profile } = partnership;
    const entity: Omit<LookupEntity, 'etag'> = {
      partitionKey: conversationKey(binding.key),
      rowKey: LOOKUP,
      partnershipId: binding.partnershipId,
      key: JSON.stringify(binding.key),
      profile: JSON.stringify(profile),
    };
    try {
      return (await this.tables.bindings.createEntity(entity)).etag;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const existing = await this.lookupOf(binding.key);
    if (!existing) return this.claimLookup(binding, partnership);
    if (existing.partnershipId === binding.partnershipId) return undefined;
    // A lookup left by a link that failed half-way (no binding row behind it) may be taken over once
    // it is clearly abandoned; a younger one may belong to a link still being written.
    const abandoned =
      Date.now() - existing.at > ABANDONED_AFTER_MS && !(await this.hasBindingRow(existing.partnershipId, binding.key));
    if (!abandoned) throw new AlreadyLinked(existing.partnershipId);
    try {
      return (await this.tables.bindings.updateEntity(entity, 'Replace', { etag: existing.etag })).etag;
    } catch (error) {
      if (statusOf(error) === 412) throw new AlreadyLinked(existing.partnershipId);
      throw error;
    }
  }

  /**
   * After a failed batch: the lookup goes back only if this call claimed it, nobody changed it
   * since (its ETag), and no other request for the same partnership has written the binding row.
   */
  private async giveBack(binding: Pick<Binding, 'partnershipId' | 'key'>, claim: string | undefined): Promise<void> {
    if (claim === undefined || (await this.hasBindingRow(binding.partnershipId, binding.key))) return;
    await this.releaseLookup(binding.key, claim);
  }

  private async releaseLookup(key: ConversationKey, etag: string): Promise<void> {
    try {
      await this.tables.bindings.deleteEntity(conversationKey(key), LOOKUP, { etag });
    } catch (error) {
      if (!isNotFound(error) && statusOf(error) !== 412) throw error;
    }
  }

  private async lookupOf(
    key: ConversationKey,
  ): Promise<{ partnershipId: PartnershipId; etag: string; at: number } | undefined> {
    const e = await getOrUndefined<{ partnershipId: string }>(this.tables.bindings, conversationKey(key), LOOKUP);
    return (
      e && { partnershipId: e.partnershipId as PartnershipId, etag: e.etag, at: new Date(e.timestamp ?? 0).getTime() }
    );
  }

  private async hasBindingRow(partnershipId: PartnershipId, key: ConversationKey): Promise<boolean> {
    const row = await getOrUndefined(this.tables.partnerships, partnershipId, keys.bindingRow(conversationKey(key)), [
      'RowKey',
    ]);
    return row !== undefined;
  }
}
