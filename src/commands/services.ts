import type { Logger } from 'pino';
import type { AuditLog } from '../storage/audit.js';
import type { ConversationRecord, ConversationRepository } from '../storage/conversations.js';
import type { PartnershipRepository } from '../storage/partnerships.js';
import type { RoleRepository } from '../storage/roles.js';
import type { Tables } from '../storage/tables.js';
import type { CommandFamily, Reply, UserRef } from './types.js';

/** Posts without being asked (alerts, digests): the bot's one paced, retried sender. */
export interface ProactivePort {
  /** One conversation; throws when retrying within the sender's budget did not get the reply through. */
  send(conversation: ConversationRecord, reply: Reply): Promise<'sent' | 'inactive' | 'gone'>;
  /**
   * Replaces a message the bot posted (`activityId` in `conversation`, a channel thread's id as
   * posted) with `reply`: a card updated in place. `gone` when the message is no longer there.
   */
  update(conversation: ConversationRecord, activityId: string, reply: Reply): Promise<'updated' | 'gone'>;
  /**
   * Many conversations (a digest's fan-out), paced under Teams' per-conversation and per-tenant
   * limits; never throws for one conversation: each comes back with its outcome, in order.
   */
  sendToMany(
    conversations: readonly ConversationRecord[],
    reply: Reply | ((conversation: ConversationRecord) => Reply | Promise<Reply>),
    options?: { readonly concurrency?: number; readonly signal?: AbortSignal },
  ): Promise<
    ReadonlyArray<{
      readonly conversationId: string;
      readonly result: 'sent' | 'inactive' | 'gone' | 'failed';
      readonly error?: string;
      readonly retryAfterMs?: number;
    }>
  >;
}

/** A place in Teams: a team (reached through its General channel, whose id is the team's), or a chat. */
export interface TeamsPlace {
  readonly tenantId: string;
  /** The conversation to ask through: a chat's id, or for a team its id. */
  readonly conversationId: string;
  readonly teamId: string | undefined;
}

/**
 * Names and people of places, read from Teams (activities carry ids, not names). Every answer may
 * be undefined: Teams was not reachable in time, or the bot is not in that place; callers then
 * say "this team" or "this channel", never an id.
 */
export interface TeamsDirectory {
  /** The team's name. */
  teamName(place: TeamsPlace): Promise<string | undefined>;
  /** A channel's name in the team's channel list; the team's first channel is General. */
  channelName(place: TeamsPlace, channelId: string): Promise<string | undefined>;
  /** The member of the place (for a team, the team's members) whose email or UPN this is, as a person to name in a command. */
  findMember(place: TeamsPlace, emailOrUpn: string): Promise<UserRef | undefined>;
}

/** What command families are given; built once in the composition root. A family makes its own repositories from `tables`. */
export interface Services {
  readonly tables: Tables;
  readonly partnerships: PartnershipRepository;
  readonly roles: RoleRepository;
  readonly audit: AuditLog;
  readonly conversations: ConversationRepository;
  readonly proactive: ProactivePort;
  readonly directory: TeamsDirectory;
  /** AAD object ids that are admins of every partnership (ADMIN_USER_IDS). */
  readonly adminUserIds: readonly string[];
  readonly logger: Logger;
  readonly clock: () => Date;
}

/** A family is built from the shared services; it makes its own repositories from `services.tables`. */
export type FamilyFactory = (services: Services) => CommandFamily;
