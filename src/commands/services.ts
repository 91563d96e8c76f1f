import type { Logger } from 'pino';
import type { AuditLog } from '../storage/audit.js';
import type { ConversationRepository } from '../storage/conversations.js';
import type { KpiRepository } from '../storage/kpis.js';
import type { PartnershipRepository } from '../storage/partnerships.js';
import type { RoleRepository } from '../storage/roles.js';

/** What command handlers are given; built once in the composition root. */
export interface Services {
  readonly partnerships: PartnershipRepository;
  readonly roles: RoleRepository;
  readonly audit: AuditLog;
  readonly conversations: ConversationRepository;
  readonly kpis: KpiRepository;
  /** AAD object ids that are admins of every partnership (ADMIN_USER_IDS). */
  readonly adminUserIds: readonly string[];
  readonly logger: Logger;
  readonly clock: () => Date;
}
