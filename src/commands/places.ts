import type { Binding, CommitteeChannel } from '../storage/partnerships.js';
import type { AuditEntry } from '../storage/audit.js';
import { retryOnConflict } from '../storage/errors.js';
import type { Services, TeamsPlace } from './services.js';
import type { Actor, ConversationInfo } from './types.js';

/**
 * The names of places: teams, channels and chats are shown by the names Teams gives them, asked
 * of Teams (activities carry ids only), kept with the link and renewed when Teams renames them;
 * when a name is not known they are "this team" or "this channel", never an id.
 */

/** Where to ask Teams about a conversation: its team, for a channel; else the chat itself. */
export function placeOf(conversation: ConversationInfo): TeamsPlace {
  return conversation.teamId
    ? { tenantId: conversation.tenantId, conversationId: conversation.teamId, teamId: conversation.teamId }
    : { tenantId: conversation.tenantId, conversationId: conversation.id, teamId: undefined };
}

/** Ids as Teams writes them (`19:…@thread.tacv2`, `a:…`, `29:…`): never shown as a name. */
function isId(text: string): boolean {
  return /@thread\.|^\d+:|^[a-z]:/i.test(text.trim());
}

/** A name worth showing: not empty and not an id. */
function shown(name: string | undefined): string | undefined {
  return name && name.trim() !== '' && !isId(name) ? name.trim() : undefined;
}

/** The names of where a command was typed: from Teams when it answers, else from the activity. */
export async function namesHere(
  services: Services,
  conversation: ConversationInfo,
): Promise<{ team: string | undefined; channel: string | undefined }> {
  if (!conversation.teamId) return { team: undefined, channel: undefined };
  const place = placeOf(conversation);
  const [team, channel] = await Promise.all([
    services.directory.teamName(place),
    conversation.channelId ? services.directory.channelName(place, conversation.channelId) : undefined,
  ]);
  return {
    team: shown(team) ?? shown(conversation.teamName),
    channel: shown(channel) ?? shown(conversation.name),
  };
}

/** How a linked conversation reads in setup show, unlink and the audit. */
export function bindingLabel(binding: Binding, here: ConversationInfo): string {
  if (binding.key.kind === 'team') {
    const name = shown(binding.name) ?? (binding.label.startsWith('team ') ? shown(binding.label.slice(5)) : undefined);
    if (name) return `team ${name}`;
    return here.teamId === binding.key.teamId ? 'this team' : 'a team (Teams has not said its name)';
  }
  if (!isId(binding.label.replace(/^(group chat|personal chat with) /, ''))) return binding.label;
  return here.id === binding.key.conversationId ? 'this chat' : 'a chat';
}

/** A committee channel as `Shared ICT Service › Programme Board`, or `this channel` when its names are not known. */
export function committeeLabel(channel: CommitteeChannel, here: ConversationInfo): string {
  const [oldTeam, oldChannel] = channel.label.split(' › ');
  const team = shown(channel.teamName) ?? shown(oldTeam === 'team' ? undefined : oldTeam);
  const name = shown(channel.channelName) ?? (channel.channelName === undefined ? shown(oldChannel) : undefined);
  if (team && name) return `${team} › ${name}`;
  if (here.channelId === channel.channelId) return 'this channel';
  return name ? `${team ?? 'a team'} › ${name}` : `a channel of ${team ? `team ${team}` : 'a linked team'}`;
}

/** A team's or channel's new name, from Teams' teamRenamed or channelRenamed event. */
export interface PlaceRenamed {
  readonly tenantId: string;
  readonly teamId: string;
  /** Set when a channel was renamed; absent for the team. */
  readonly channelId?: string;
  readonly name: string;
  readonly actor: Actor;
  readonly at: Date;
}

/** Keeps the new name with the team's link and its committee channels; a team linked to no partnership is left alone. */
export async function placeRenamed(services: Services, event: PlaceRenamed): Promise<void> {
  const name = shown(event.name);
  if (!name) return;
  const found = await services.partnerships.findBinding([{ kind: 'team', teamId: event.teamId }]);
  if (!found) return;
  const partnership = await services.partnerships.get(found.partnershipId);
  if (!partnership || partnership.tenantId !== event.tenantId) return;
  const what = event.channelId === undefined ? 'team' : 'channel';
  const before =
    event.channelId === undefined
      ? (await services.partnerships.listBindings(partnership.id)).find(
          (b) => b.key.kind === 'team' && b.key.teamId === event.teamId,
        )?.name
      : (await services.partnerships.listCommitteeChannels(partnership.id)).find((c) => c.channelId === event.channelId)
          ?.channelName;
  const audit: AuditEntry = {
    at: event.at.toISOString(),
    actorId: event.actor.id,
    actorAadObjectId: event.actor.aadObjectId,
    actorName: event.actor.name,
    command: `(renamed in Teams)`,
    subject: `${what} ${name}`,
    before: { name: before ?? null },
    after: { name },
    conversationId: event.channelId ?? event.teamId,
  };
  const place =
    event.channelId === undefined ? { teamId: event.teamId } : { teamId: event.teamId, channelId: event.channelId };
  await retryOnConflict(() => services.partnerships.rename(partnership.id, place, name, audit));
  services.logger.info(
    { partnership: partnership.id, team: event.teamId, channel: event.channelId },
    `${what} renamed`,
  );
}
