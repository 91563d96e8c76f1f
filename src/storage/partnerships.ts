import type { Council, Partnership, PartnershipId } from '../domain/partnership.js';
import type { RoleGrant } from '../domain/roles.js';
import { auditAction, type AuditEntry } from './audit.js';
import { ConflictError, isNotFound, orConflict, statusOf } from './errors.js';
import { conversationKey, keys, rowKeyStartsWith, type ConversationKey } from './keys.js';
import { roleEntity, type ProfileEntity } from './entities.js';
import type { Tables } from './tables.js';

export interface Binding {
  readonly partnershipId: PartnershipId;
  readonly key: ConversationKey;
  /** What people call it: the team's or chat's name, or "personal chat with Alex". */
  readonly label: string;
  readonly boundBy: string;
  readonly boundAt: string;
}

export interface CommitteeChannel {
  readonly channelId: string;
  readonly teamId: string;
  readonly label: string;
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

/** How old a lookup without its partnership must be before another set-up may take the conversation. */
const ABANDONED_AFTER_MS = 5 * 60_000;


type BindingEntity = { partitionKey: string; rowKey: string; key: string; label: string; boundBy: string; boundAt: string };

function bindingRow(binding: Binding): BindingEntity {
  return {
    partitionKey: binding.partnershipId,
    rowKey: keys.bindingRow(conversationKey(binding.key)),
    key: JSON.stringify(binding.key),
    label: binding.label,
    boundBy: binding.boundBy,
    boundAt: binding.boundAt,
  };
}

export class PartnershipRepository {
  constructor(private readonly tables: Tables) {}

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
    const claimed = await this.claimLookup(binding);
    try {
      await orConflict(
        this.tables.partnerships.submitTransaction([['create', profile], ['upsert', roleEntity(partnership.id, admin), 'Replace'], ['upsert', bindingRow(binding), 'Replace'], auditAction(partnership.id, audit)]),
        `partnership ${partnership.id} exists`,
      );
    } catch (error) {
      if (claimed) await this.releaseLookup(binding);
      throw error;
    }
  }

  async get(id: PartnershipId): Promise<Partnership | undefined> {
    try {
      const e = await this.tables.partnerships.getEntity<ProfileEntity>(id, keys.profile);
      return { id, name: e.name, tenantId: e.tenantId, councils: JSON.parse(e.councils) as Council[], createdAt: e.createdAt, createdBy: e.createdBy };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Links a conversation (or a whole team) to an existing partnership; linking it again changes nothing. */
  async link(binding: Binding, audit: AuditEntry): Promise<void> {
    const claimed = await this.claimLookup(binding);
    try {
      await this.tables.partnerships.submitTransaction([['upsert', bindingRow(binding), 'Replace'], auditAction(binding.partnershipId, audit)]);
    } catch (error) {
      if (claimed) await this.releaseLookup(binding);
      throw error;
    }
  }

  /** Unlinks a conversation; returns false when it was not linked to this partnership. */
  async unlink(partnershipId: PartnershipId, key: ConversationKey, audit: AuditEntry): Promise<boolean> {
    const released = await this.releaseLookup({ partnershipId, key });
    if (!released) return false;
    try {
      await this.tables.partnerships.submitTransaction([['delete', { partitionKey: partnershipId, rowKey: keys.bindingRow(conversationKey(key)) }], auditAction(partnershipId, audit)]);
    } catch (error) {
      await this.claimLookup({ partnershipId, key });
      throw error;
    }
    return true;
  }

  /** The partnership bound to the first of these keys that has a binding (most specific first). */
  async findBinding(candidates: readonly ConversationKey[]): Promise<{ partnershipId: PartnershipId; key: ConversationKey } | undefined> {
    for (const candidate of candidates) {
      try {
        const e = await this.tables.bindings.getEntity<{ partnershipId: string }>(conversationKey(candidate), '');
        return { partnershipId: e.partnershipId as PartnershipId, key: candidate };
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return undefined;
  }

  async listBindings(id: PartnershipId): Promise<Binding[]> {
    const bindings: Binding[] = [];
    for await (const row of this.tables.partnerships.listEntities<BindingEntity>({ queryOptions: { filter: rowKeyStartsWith(id, keys.bindingPrefix) } })) {
      bindings.push({ partnershipId: id, key: JSON.parse(row.key) as ConversationKey, label: row.label, boundBy: row.boundBy, boundAt: row.boundAt });
    }
    return bindings;
  }

  async markCommittee(id: PartnershipId, channel: CommitteeChannel, audit: AuditEntry): Promise<void> {
    const row = { partitionKey: id, rowKey: keys.committeeRow(channel.channelId), ...channel };
    await this.tables.partnerships.submitTransaction([['upsert', row, 'Replace'], auditAction(id, audit)]);
  }

  async isCommittee(id: PartnershipId, channelId: string): Promise<boolean> {
    try {
      await this.tables.partnerships.getEntity(id, keys.committeeRow(channelId));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async listCommitteeChannels(id: PartnershipId): Promise<CommitteeChannel[]> {
    const channels: CommitteeChannel[] = [];
    const rows = this.tables.partnerships.listEntities<CommitteeChannel>({ queryOptions: { filter: rowKeyStartsWith(id, keys.committeePrefix) } });
    for await (const row of rows) channels.push({ channelId: row.channelId, teamId: row.teamId, label: row.label, markedBy: row.markedBy, markedAt: row.markedAt });
    return channels;
  }

  /**
   * One conversation, one partnership: the insert decides between two links racing for it. Returns
   * true when this call took the lookup (and so must give it back if its batch fails), false when
   * it pointed to this partnership already.
   */
  private async claimLookup(binding: Pick<Binding, 'partnershipId' | 'key'>): Promise<boolean> {
    const entity = { partitionKey: conversationKey(binding.key), rowKey: '', partnershipId: binding.partnershipId, key: JSON.stringify(binding.key) };
    try {
      await this.tables.bindings.createEntity(entity);
      return true;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const existing = await this.tables.bindings.getEntity<{ partnershipId: string; timestamp?: string }>(entity.partitionKey, '');
    if (existing.partnershipId === binding.partnershipId) return false;
    // A lookup left by a set-up that failed half-way may be taken over once it is clearly abandoned;
    // a younger one may belong to a set-up still being written.
    const age = Date.now() - new Date(existing.timestamp ?? 0).getTime();
    if (age < ABANDONED_AFTER_MS || (await this.get(existing.partnershipId as PartnershipId))) throw new AlreadyLinked(existing.partnershipId as PartnershipId);
    await orConflict(this.tables.bindings.updateEntity(entity, 'Replace', { etag: existing.etag }), 'conversation linked meanwhile').catch((error: unknown) => {
      throw error instanceof ConflictError ? new AlreadyLinked(binding.partnershipId) : error;
    });
    return true;
  }

  private async releaseLookup(binding: Pick<Binding, 'partnershipId' | 'key'>): Promise<boolean> {
    const partitionKey = conversationKey(binding.key);
    try {
      const existing = await this.tables.bindings.getEntity<{ partnershipId: string }>(partitionKey, '');
      if (existing.partnershipId !== binding.partnershipId) return false;
      await this.tables.bindings.deleteEntity(partitionKey, '', { etag: existing.etag });
      return true;
    } catch (error) {
      if (isNotFound(error) || statusOf(error) === 412) return false;
      throw error;
    }
  }
}
