import type { Activity } from 'botbuilder';
import type { MentionEntity } from '../commands/parse.js';
import type { Actor, ConversationInfo } from '../commands/types.js';

/** Reads what the router needs from a Teams activity, so no SDK type goes past src/bot. */

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
    name: activity.from?.name || 'Someone',
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
    teamName: data.team?.name || undefined,
    channelId: data.channel?.id || undefined,
    name: data.channel?.name || activity.conversation?.name || undefined,
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
          name: entity.mentioned.name ?? 'someone',
          aadObjectId: entity.mentioned.aadObjectId || undefined,
        },
      });
  }
  return { botMentions, people };
}
