import type { TransactionAction } from '@azure/data-tables';
import type { PartnershipId } from '../domain/partnership.js';
import type { Role, RoleGrant } from '../domain/roles.js';
import { commitWithAudit, type AuditEntry } from './audit.js';
import { isNotFound } from './errors.js';
import { keys, rowKeyStartsWith } from './keys.js';
import { roleEntity, type ProfileEntity, type RoleEntity } from './entities.js';
import type { Tables } from './tables.js';
import { getOrUndefined } from './rows.js';

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

/** Removing these admins would leave the partnership with none. */
export class LastAdmin extends Error {
  override readonly name = 'LastAdmin';
}

export class RoleRepository {
  constructor(private readonly tables: Tables) {}

  /** Grants a role (for one council, or all); an admin grant also joins the profile's admin list. */
  async grant(partnershipId: PartnershipId, grant: RoleGrant, audit: AuditEntry): Promise<void> {
    const actions: TransactionAction[] = [['upsert', roleEntity(partnershipId, grant), 'Replace']];
    if (grant.role === 'admin')
      actions.push(await this.adminsChange(partnershipId, (admins) => new Set([...admins, grant.userId])));
    await commitWithAudit(this.tables, partnershipId, actions, audit, 'the admins changed meanwhile');
  }

  /**
   * Removes the role for one council, or for every council when none is named; returns what was
   * removed. Taking away the last admin is refused with LastAdmin, checked under the profile's ETag.
   */
  async revoke(
    partnershipId: PartnershipId,
    userId: string,
    role: Role,
    council: string | undefined,
    audit: AuditEntry,
  ): Promise<RoleGrant[]> {
    const held = (await this.query(rowKeyStartsWith(partnershipId, keys.roleOfPrefix(userId, role)))).filter(
      (g) => g.userId === userId && (council === undefined || g.council === council),
    );
    if (held.length === 0) return [];
    const actions: TransactionAction[] = held.map((g) => [
      'delete',
      { partitionKey: partnershipId, rowKey: keys.roleRow(userId, role, g.council) },
    ]);
    if (role === 'admin') {
      actions.push(
        await this.adminsChange(partnershipId, (admins) => {
          const left = new Set([...admins].filter((id) => id !== userId));
          if (left.size === 0) throw new LastAdmin('the last admin cannot be removed');
          return left;
        }),
      );
    }
    try {
      await commitWithAudit(this.tables, partnershipId, actions, audit, 'the roles changed meanwhile');
    } catch (error) {
      // Another admin removed it a moment ago: nothing is left to take away.
      if (isNotFound(error)) return [];
      throw error;
    }
    return held;
  }

  async get(
    partnershipId: PartnershipId,
    userId: string,
    role: Role,
    council: string | undefined,
  ): Promise<RoleGrant | undefined> {
    const row = await getOrUndefined<RoleEntity>(
      this.tables.partnerships,
      partnershipId,
      keys.roleRow(userId, role, council),
    );
    return row && row.userId === userId ? toGrant(row) : undefined;
  }

  /** The person's grants; the id is compared as read back, so no other id can share a key prefix with theirs. */
  async rolesOf(partnershipId: PartnershipId, userId: string): Promise<RoleGrant[]> {
    return (await this.query(rowKeyStartsWith(partnershipId, keys.rolesOfPrefix(userId)))).filter(
      (g) => g.userId === userId,
    );
  }

  async list(partnershipId: PartnershipId): Promise<RoleGrant[]> {
    return this.query(rowKeyStartsWith(partnershipId, keys.rolePrefix));
  }

  private async query(filter: string): Promise<RoleGrant[]> {
    const grants: RoleGrant[] = [];
    for await (const e of this.tables.partnerships.listEntities<RoleEntity>({ queryOptions: { filter } }))
      grants.push(toGrant(e));
    return grants;
  }

  /** The profile's admin list, changed under its ETag: two admins removing each other cannot both win. */
  private async adminsChange(
    partnershipId: PartnershipId,
    change: (admins: ReadonlySet<string>) => Set<string>,
  ): Promise<TransactionAction> {
    const profile = await this.tables.partnerships.getEntity<ProfileEntity>(partnershipId, keys.profile);
    // A profile written before the list existed: the admin rows of its own partition say who they are.
    const current = profile.admins
      ? (JSON.parse(profile.admins) as string[])
      : (await this.list(partnershipId)).filter((g) => g.role === 'admin').map((g) => g.userId);
    const entity: ProfileEntity = {
      partitionKey: profile.partitionKey,
      rowKey: profile.rowKey,
      name: profile.name,
      tenantId: profile.tenantId,
      councils: profile.councils,
      admins: JSON.stringify([...change(new Set(current))]),
      createdAt: profile.createdAt,
      createdBy: profile.createdBy,
    };
    return ['update', entity, 'Replace', { etag: profile.etag }];
  }
}
