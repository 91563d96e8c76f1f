import type { PartnershipId } from '../domain/partnership.js';
import type { Role, RoleGrant } from '../domain/roles.js';
import { isNotFound } from './errors.js';
import { keys, partitionIs, rowKeyStartsWith } from './keys.js';
import type { Tables } from './tables.js';

type RoleEntity = {
  partitionKey: string;
  rowKey: string;
  userId: string;
  userName: string;
  aadObjectId?: string;
  role: string;
  council?: string;
  grantedBy: string;
  grantedAt: string;
};

function toGrant(e: RoleEntity): RoleGrant {
  return {
    userId: e.userId,
    userName: e.userName,
    aadObjectId: e.aadObjectId || undefined,
    role: e.role as RoleGrant['role'],
    council: e.council || undefined,
    grantedBy: e.grantedBy,
    grantedAt: e.grantedAt,
  };
}

export class RoleRepository {
  constructor(private readonly tables: Tables) {}

  /** One row per person and role, so granting the same role twice changes nothing but the council. */
  async grant(partnershipId: PartnershipId, grant: RoleGrant): Promise<RoleGrant | undefined> {
    const before = await this.get(partnershipId, grant.userId, grant.role);
    const entity: RoleEntity = {
      partitionKey: partnershipId,
      rowKey: keys.roleRow(grant.userId, grant.role),
      userId: grant.userId,
      userName: grant.userName,
      aadObjectId: grant.aadObjectId ?? '',
      role: grant.role,
      council: grant.council ?? '',
      grantedBy: grant.grantedBy,
      grantedAt: grant.grantedAt,
    };
    await this.tables.roles.upsertEntity(entity, 'Replace');
    return before;
  }

  /** Returns the grant that was removed, or undefined when there was none. */
  async revoke(partnershipId: PartnershipId, userId: string, role: Role): Promise<RoleGrant | undefined> {
    const before = await this.get(partnershipId, userId, role);
    if (!before) return undefined;
    try {
      await this.tables.roles.deleteEntity(partnershipId, keys.roleRow(userId, role));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return before;
  }

  async get(partnershipId: PartnershipId, userId: string, role: Role): Promise<RoleGrant | undefined> {
    try {
      return toGrant(await this.tables.roles.getEntity<RoleEntity>(partnershipId, keys.roleRow(userId, role)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async rolesOf(partnershipId: PartnershipId, userId: string): Promise<RoleGrant[]> {
    return this.query(rowKeyStartsWith(partnershipId, keys.rolePrefix(userId)));
  }

  async list(partnershipId: PartnershipId): Promise<RoleGrant[]> {
    return this.query(partitionIs(partnershipId));
  }

  private async query(filter: string): Promise<RoleGrant[]> {
    const grants: RoleGrant[] = [];
    for await (const e of this.tables.roles.listEntities<RoleEntity>({ queryOptions: { filter } })) grants.push(toGrant(e));
    return grants;
  }
}
