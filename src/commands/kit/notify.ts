import type { Partnership } from '../../domain/partnership.js';
import type { ConversationRecord } from '../../storage/conversations.js';
import type { Services } from '../services.js';
import type { Reply } from '../types.js';

/**
 * Posts a reply to every committee channel of the partnership (`setup channel committee`) through
 * the bot's one proactive sender. A channel's own reference is used when the bot has one; else the
 * team's, addressed to the channel. It runs after the command has answered: a failure is logged,
 * never shown to the person whose change set it off.
 */
export function postToCommittees(services: Services, partnership: Partnership, reply: Reply, what: string): void {
  void (async () => {
    const channels = await services.partnerships.listCommitteeChannels(partnership.id);
    for (const channel of channels) {
      const record = await conversationRecordFor(services, partnership.tenantId, channel.channelId, channel.teamId);
      if (!record) {
        services.logger.warn(
          { partnership: partnership.id, channel: channel.channelId },
          `${what}: no reference for the committee channel`,
        );
        continue;
      }
      const outcome = await services.proactive.send(record, reply);
      services.logger.info({ partnership: partnership.id, channel: channel.channelId, outcome }, what);
    }
  })().catch((error: unknown) => services.logger.error({ err: error, partnership: partnership.id }, `${what} failed`));
}

/**
 * The reference to post to a conversation with: its own when the bot has one, else (for a channel)
 * its team's, addressed to the channel. Undefined when the bot has never been installed there.
 */
export async function conversationRecordFor(
  services: Pick<Services, 'conversations'>,
  tenantId: string,
  conversationId: string,
  teamId: string | undefined,
): Promise<ConversationRecord | undefined> {
  const own = await services.conversations.get(tenantId, conversationId);
  if (own || !teamId || teamId === conversationId) return own;
  const team = await services.conversations.get(tenantId, teamId);
  return team && { ...team, conversationId, channelId: conversationId, conversationType: 'channel' };
}
