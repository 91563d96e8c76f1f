import type { KpiOwner } from '../src/domain/kpi-assessment.js';
import { partnershipIdFor, type Partnership, type PartnershipId } from '../src/domain/partnership.js';
import type { AuditEntry } from '../src/storage/audit.js';
import { PartnershipRepository } from '../src/storage/partnerships.js';
import { RoleRepository } from '../src/storage/roles.js';
import type { Tables } from '../src/storage/tables.js';

/**
 * Where a benchmark partnership lives: one team bound to it (each post in its channel is a new
 * conversation, as Teams threads are), and one officer who holds every role. Each fixture has its
 * own partnership and team, so a scenario at 10 KPIs never reads the rows of the one at 2,000.
 */
export interface Place {
  readonly partnershipId: PartnershipId;
  readonly partnershipName: string;
  readonly tenantId: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly aadGroupId: string;
  readonly channelId: string;
  readonly channelName: string;
  readonly user: KpiOwner & { readonly aadObjectId: string };
}

export const TENANT_ID = '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70';

export const OFFICER = {
  id: '29:1bench-ict-service-manager',
  name: 'Alex Morgan',
  aadObjectId: 'a1e7c3b2-0001-4a6b-9c1d-11aa22bb33cc',
} as const;

/** The audit row of a piece of benchmark data. */
export function benchAudit(place: Pick<Place, 'teamId'>, at: string, subject: string): AuditEntry {
  return {
    at,
    actorId: OFFICER.id,
    actorAadObjectId: OFFICER.aadObjectId,
    actorName: OFFICER.name,
    command: 'benchmark data',
    subject,
    before: null,
    after: null,
    conversationId: place.teamId,
  };
}

/** Creates the partnership `name` (CEC and CWAC at 50% each), binds a new team to it and gives the officer every role. */
export async function createPlace(tables: Tables, key: string, name: string, now: Date): Promise<Place> {
  const at = now.toISOString();
  const partnership: Partnership = {
    id: partnershipIdFor(name, TENANT_ID),
    name,
    tenantId: TENANT_ID,
    councils: [
      { code: 'CEC', shareBasisPoints: 5000 },
      { code: 'CWAC', shareBasisPoints: 5000 },
    ],
    createdAt: at,
    createdBy: OFFICER.name,
  };
  const place: Place = {
    partnershipId: partnership.id,
    partnershipName: name,
    tenantId: TENANT_ID,
    teamId: `19:bench-${key}-team@thread.tacv2`,
    teamName: `Shared ICT Service (${key})`,
    aadGroupId: 'e5c1a7f6-0005-4eaf-9051-55ee66ff7700',
    channelId: `19:bench-${key}-channel@thread.tacv2`,
    channelName: 'Performance',
    user: OFFICER,
  };
  const grant = (role: 'admin' | 'editor' | 'approver') => ({
    userId: OFFICER.id,
    userName: OFFICER.name,
    aadObjectId: OFFICER.aadObjectId,
    role,
    council: undefined,
    grantedBy: 'benchmark',
    grantedAt: at,
  });
  const binding = {
    partnershipId: partnership.id,
    key: { kind: 'team' as const, teamId: place.teamId },
    label: `team ${place.teamName}`,
    boundBy: OFFICER.name,
    boundAt: at,
  };
  await new PartnershipRepository(tables).create(
    partnership,
    grant('admin'),
    binding,
    benchAudit(place, at, `partnership ${name}`),
  );
  const roles = new RoleRepository(tables);
  for (const role of ['editor', 'approver'] as const)
    await roles.grant(partnership.id, grant(role), benchAudit(place, at, `role ${role}`));
  return place;
}
