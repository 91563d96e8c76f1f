import type { Council, Partnership, PartnershipId } from '../domain/partnership.js';
import { isNotFound, orConflict } from './errors.js';
import { conversationKey, keys, rowKeyStartsWith, type ConversationKey } from './keys.js';
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

type ProfileEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  tenantId: string;
  councils: string;
  createdAt: string;
  createdBy: string;
};

export class PartnershipRepository {
  constructor(private readonly tables: Tables) {}

  /** Creates the partnership; a second create with the same name loses with a ConflictError. */
  async create(partnership: Partnership): Promise<void> {
    const entity: ProfileEntity = {
      partitionKey: partnership.id,
      rowKey: keys.partnershipProfile,
      name: partnership.name,
      tenantId: partnership.tenantId,
      councils: JSON.stringify(partnership.councils),
      createdAt: partnership.createdAt,
      createdBy: partnership.createdBy,
    };
    await orConflict(this.tables.partnerships.createEntity(entity), `partnership ${partnership.id} exists`);
  }

  async get(id: PartnershipId): Promise<Partnership | undefined> {
    try {
      const e = await this.tables.partnerships.getEntity<ProfileEntity>(id, keys.partnershipProfile);
      return {
        id,
        name: e.name,
        tenantId: e.tenantId,
        councils: JSON.parse(e.councils) as Council[],
        createdAt: e.createdAt,
        createdBy: e.createdBy,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Binds a conversation (or a whole team); binding it again to the same partnership changes nothing. */
  async bind(binding: Binding): Promise<void> {
    const convKey = conversationKey(binding.key);
    const key = JSON.stringify(binding.key);
    await this.tables.bindings.upsertEntity(
      { partitionKey: convKey, rowKey: '', partnershipId: binding.partnershipId, key },
      'Replace',
    );
    await this.tables.partnerships.upsertEntity(
      {
        partitionKey: binding.partnershipId,
        rowKey: keys.bindingRow(convKey),
        key,
        label: binding.label,
        boundBy: binding.boundBy,
        boundAt: binding.boundAt,
      },
      'Replace',
    );
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
    const rows = this.tables.partnerships.listEntities<{ key: string; label: string; boundBy: string; boundAt: string }>({
      queryOptions: { filter: rowKeyStartsWith(id, keys.bindingPrefix) },
    });
    const bindings: Binding[] = [];
    for await (const row of rows) {
      bindings.push({ partnershipId: id, key: JSON.parse(row.key) as ConversationKey, label: row.label, boundBy: row.boundBy, boundAt: row.boundAt });
    }
    return bindings;
  }

  async markCommittee(id: PartnershipId, channel: CommitteeChannel): Promise<void> {
    await this.tables.partnerships.upsertEntity({ partitionKey: id, rowKey: keys.committeeRow(channel.channelId), ...channel }, 'Replace');
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
    const rows = this.tables.partnerships.listEntities<CommitteeChannel>({
      queryOptions: { filter: rowKeyStartsWith(id, keys.committeePrefix), select: ['channelId', 'teamId', 'label', 'markedBy', 'markedAt'] },
    });
    const channels: CommitteeChannel[] = [];
    for await (const row of rows) {
      channels.push({ channelId: row.channelId, teamId: row.teamId, label: row.label, markedBy: row.markedBy, markedAt: row.markedAt });
    }
    return channels;
  }
}
