import type { PartnershipId } from '../domain/partnership.js';
import type { RoleGrant } from '../domain/roles.js';
import { keys } from './keys.js';

/** Row shapes shared by more than one repository (the profile and role rows go into several batches). */

export type ProfileEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  tenantId: string;
  councils: string;
  /** User ids of the admins, kept under the profile's ETag so the last admin cannot be removed by a race. */
  admins: string;
  createdAt: string;
  createdBy: string;
};

export type RoleEntity = {
  partitionKey: string;
  rowKey: string;
  userId: string;
  userName: string;
  aadObjectId: string;
  role: string;
  council: string;
  grantedBy: string;
  grantedAt: string;
};

export function roleEntity(partnershipId: PartnershipId, grant: RoleGrant): RoleEntity {
  return {
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
}
