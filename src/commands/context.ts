import type { Partnership } from '../domain/partnership.js';
import { Access } from '../domain/roles.js';
import type { ConversationKey } from '../storage/keys.js';
import type { Services } from './services.js';
import type { Actor, ConversationInfo } from './types.js';

/** The bindings that may cover a conversation, most specific first: the chat or channel, then its team. */
export function bindingCandidates(conversation: ConversationInfo): ConversationKey[] {
  const candidates: ConversationKey[] = [{ kind: 'conversation', conversationId: conversation.id }];
  if (conversation.teamId) candidates.push({ kind: 'team', teamId: conversation.teamId });
  return candidates;
}

export type Membership =
  | { kind: 'unbound' }
  | { kind: 'foreign-tenant'; partnership: Partnership }
  | { kind: 'member'; partnership: Partnership; access: Access };

export async function resolveMembership(
  services: Services,
  conversation: ConversationInfo,
  actor: Actor,
): Promise<Membership> {
  const binding = await services.partnerships.findBinding(bindingCandidates(conversation));
  if (!binding) return { kind: 'unbound' };
  const partnership = await services.partnerships.get(binding.partnershipId);
  if (!partnership) return { kind: 'unbound' };
  if (partnership.tenantId !== conversation.tenantId) return { kind: 'foreign-tenant', partnership };
  return { kind: 'member', partnership, access: await accessOf(services, partnership, actor) };
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
