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

  /** Granting the same role for the same council again changes nothing; returns the grant it replaced. */
  async grant(partnershipId: PartnershipId, grant: RoleGrant): Promise<RoleGrant | undefined> {
    const before = await this.get(partnershipId, grant.userId, grant.role, grant.council);
    const entity: RoleEntity = {
      partitionKey: partnershipId,
      rowKey: keys.roleRow(grant.userId, grant.role, grant.council),
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

  /** Removes the role for one council, or for every council when none is named; returns what was removed. */
  async revoke(partnershipId: PartnershipId, userId: string, role: Role, council?: string): Promise<RoleGrant[]> {
    const held = (await this.query(rowKeyStartsWith(partnershipId, keys.roleOfPrefix(userId, role)))).filter((g) => council === undefined || g.council === council);
    for (const grant of held) {
      try {
        await this.tables.roles.deleteEntity(partnershipId, keys.roleRow(userId, role, grant.council));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return held;
  }

  async get(partnershipId: PartnershipId, userId: string, role: Role, council: string | undefined): Promise<RoleGrant | undefined> {
    try {
      return toGrant(await this.tables.roles.getEntity<RoleEntity>(partnershipId, keys.roleRow(userId, role, council)));
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
