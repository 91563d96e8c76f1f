import type { Partnership } from '../domain/partnership.js';
import { Access } from '../domain/roles.js';
import type { ConversationKey } from '../storage/keys.js';
import type { Services } from './services.js';
import type { Actor, ConversationInfo } from './types.js';

/**
 * The bindings that may cover a conversation, in the order to read them: a channel is linked
 * through its team (setup links the team), so the team's binding comes first and is the one read
 * in the common case; a chat has only its own.
 */
export function bindingCandidates(conversation: ConversationInfo): ConversationKey[] {
  const own: ConversationKey = { kind: 'conversation', conversationId: conversation.id };
  return conversation.teamId ? [{ kind: 'team', teamId: conversation.teamId }, own] : [own];
}

export type Membership =
  | { kind: 'unbound' }
  | { kind: 'foreign-tenant'; partnership: Partnership }
  | { kind: 'member'; partnership: Partnership; access: Access };

/**
 * Which partnership a conversation belongs to and, when `roles` is asked for, what the person may
 * do in it: the conversation's lookup row (which carries the partnership's profile; cached
 * briefly), then the roles (never cached, so a revoked role stops working at once).
 */
export async function resolveMembership(
  services: Services,
  conversation: ConversationInfo,
  actor: Actor,
  options: { roles: boolean } = { roles: true },
): Promise<Membership> {
  const binding = await services.partnerships.findBinding(bindingCandidates(conversation), { cached: true });
  if (!binding) return { kind: 'unbound' };
  const [partnership, grants] = await Promise.all([
    binding.partnership ?? services.partnerships.get(binding.partnershipId, { cached: true }),
    options.roles ? services.roles.rolesOf(binding.partnershipId, actor.id) : Promise.resolve([]),
  ]);
  if (!partnership) return { kind: 'unbound' };
  if (partnership.tenantId !== conversation.tenantId) return { kind: 'foreign-tenant', partnership };
  return { kind: 'member', partnership, access: new Access(grants, isBootstrapAdmin(services, actor)) };
}

export function isBootstrapAdmin(services: Services, actor: Actor): boolean {
  return actor.aadObjectId !== undefined && services.adminUserIds.includes(actor.aadObjectId);
}

export async function accessOf(services: Services, partnership: Partnership, actor: Actor): Promise<Access> {
  return new Access(await services.roles.rolesOf(partnership.id, actor.id), isBootstrapAdmin(services, actor));
}

/** Names of the people who can grant a role, for refusal cards. */
export async function adminNames(services: Services, partnership: Partnership): Promise<string[]> {
  const grants = await services.roles.list(partnership.id);
  return [...new Set(grants.filter((g) => g.role === 'admin').map((g) => g.userName))].sort();
}
