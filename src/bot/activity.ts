import type { Activity } from 'botbuilder';
import type { MentionEntity } from '../commands/parse.js';
import type { Actor, ConversationInfo } from '../commands/types.js';
import { withoutFormatCharacters } from '../domain/text.js';

/**
 * Reads what the router needs from a Teams activity, so no SDK type goes past src/bot. Names lose
 * their invisible format characters (bidi overrides, zero-width marks) here, before anything
 * shows or stores them; ids with such characters never get this far (activity-schema.ts).
 */

/** A display name as it will be shown: no invisible format characters, no surrounding spaces. */
export function shownName(name: string | undefined): string | undefined {
  const shown = name === undefined ? undefined : withoutFormatCharacters(name).trim();
  return shown === '' ? undefined : shown;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
}

export function channelDataOf(activity: Partial<Activity>): TeamsChannelData {
  return (activity.channelData ?? {}) as TeamsChannelData;
}

export function actorOf(activity: Partial<Activity>): Actor {
  return {
    id: activity.from?.id ?? 'unknown',
    aadObjectId: activity.from?.aadObjectId || undefined,
    name: shownName(activity.from?.name) ?? 'Someone',
  };
}

/** Teams adds `;messageid=<n>` to a channel thread's id; the conversation is the channel. */
export function baseConversationId(id: string): string {
  return id.split(';messageid=')[0]!;
}

export function conversationOf(activity: Partial<Activity>): ConversationInfo {
  const data = channelDataOf(activity);
  const type = activity.conversation?.conversationType;
  return {
    id: baseConversationId(activity.conversation?.id ?? ''),
    type: type === 'channel' || type === 'groupChat' ? type : 'personal',
    tenantId: activity.conversation?.tenantId ?? data.tenant?.id ?? '',
    teamId: data.team?.id || undefined,
    teamName: shownName(data.team?.name),
    channelId: data.channel?.id || undefined,
    name: shownName(data.channel?.name) ?? shownName(activity.conversation?.name),
  };
}

interface MentionEntityShape {
  type: string;
  text?: string;
  mentioned?: { id?: string; name?: string; aadObjectId?: string };
}

export function mentionsOf(activity: Partial<Activity>): { botMentions: string[]; people: MentionEntity[] } {
  const botId = activity.recipient?.id;
  const botMentions: string[] = [];
  const people: MentionEntity[] = [];
  for (const entity of (activity.entities ?? []) as MentionEntityShape[]) {
    if (entity.type !== 'mention' || !entity.text || !entity.mentioned?.id) continue;
    if (entity.mentioned.id === botId) botMentions.push(entity.text);
    else
      people.push({
        text: entity.text,
        user: {
          kind: 'user',
          id: entity.mentioned.id,
          name: shownName(entity.mentioned.name) ?? 'someone',
          aadObjectId: entity.mentioned.aadObjectId || undefined,
        },
      });
  }
  return { botMentions, people };
}
