import type { Services } from '../src/commands/services.js';
import { createLogger } from '../src/logger.js';
import { AuditLog } from '../src/storage/audit.js';
import { ConversationRepository } from '../src/storage/conversations.js';
import { PartnershipRepository } from '../src/storage/partnerships.js';
import { RoleRepository } from '../src/storage/roles.js';
import type { Tables } from '../src/storage/tables.js';

/**
 * The services the families' seeding functions are written against, over the benchmark's own
 * storage: the same repositories the bot builds, no cache, and no sender (seeding writes storage,
 * it never posts).
 */
export function benchServices(tables: Tables, clock: () => Date = () => new Date()): Services {
  const refuse = (): never => {
    throw new Error('benchmark seeding posts nothing: only the bot sends');
  };
  return {
    tables,
    partnerships: new PartnershipRepository(tables),
    roles: new RoleRepository(tables),
    audit: new AuditLog(tables),
    conversations: new ConversationRepository(tables),
    proactive: { send: refuse, sendToMany: refuse, update: refuse },
    directory: { teamName: refuse, channelName: refuse, findMember: refuse },
    adminUserIds: [],
    logger: createLogger('silent', 'bench-seed'),
    clock,
  };
}
