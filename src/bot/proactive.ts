import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Reply } from '../commands/types.js';
import type { ConversationRecord, ConversationRepository } from '../storage/conversations.js';
import { baseConversationId } from './activity.js';
import { toActivity } from './governance-bot.js';
import { ConversationGone, Pacer, sendWithRetry } from './sender.js';

export type ProactiveResult = 'sent' | 'inactive' | 'gone';

/** The one way to post without being asked (digests, alerts): paced, retried, and stopping for good on 403/404. */
export class ProactiveSender {
  private readonly pacer: Pacer;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationRepository,
    private readonly logger: Logger,
    perSecond: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.pacer = new Pacer(perSecond);
  }

  async send(record: ConversationRecord, reply: Reply): Promise<ProactiveResult> {
    if (!record.active) return 'inactive';
    const reference = referenceOf(record);
    await this.pacer.wait(record.conversationId);
    // The adapter hands errors thrown in the callback to onTurnError, so the outcome is carried out by hand.
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await sendWithRetry(() => context.sendActivity(toActivity(reply)), this.logger);
      } catch (error) {
        failure = error;
      }
    });
    if (failure === undefined) return 'sent';
    if (!(failure instanceof ConversationGone))
      throw failure instanceof Error ? failure : new Error('proactive send failed', { cause: failure });
    this.logger.warn(
      { conversation: record.conversationId, status: failure.status, reason: failure.reason },
      'conversation unreachable; marked inactive',
    );
    await this.conversations.markInactive(record.tenantId, record.conversationId, failure.reason, this.clock());
    return 'gone';
  }

  /**
   * Replaces a message the bot posted (a card updated in place), paced and retried as every send.
   * A message that is no longer there (404, 403) is `gone`; the conversation itself is not marked.
   */
  async update(record: ConversationRecord, activityId: string, reply: Reply): Promise<'updated' | 'gone'> {
    await this.pacer.wait(baseConversationId(record.conversationId));
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.botAppId, referenceOf(record), async (context) => {
      try {
        await sendWithRetry(() => context.updateActivity({ ...toActivity(reply), id: activityId }), this.logger);
      } catch (error) {
        failure = error;
      }
    });
    if (failure === undefined) return 'updated';
    if (failure instanceof ConversationGone) return 'gone';
    throw failure instanceof Error ? failure : new Error('card update failed', { cause: failure });
  }
}

function referenceOf(record: ConversationRecord): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: record.serviceUrl,
    bot: { id: record.botId, name: record.botName },
    conversation: {
      id: record.conversationId,
      conversationType: record.conversationType,
      tenantId: record.tenantId,
      isGroup: record.conversationType !== 'personal',
      name: record.name ?? '',
    },
  };
}
