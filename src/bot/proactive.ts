import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Reply } from '../commands/types.js';
import type { ConversationRecord, ConversationRepository } from '../storage/conversations.js';
import { baseConversationId } from './activity.js';
import { toActivity } from './governance-bot.js';
import { ConversationGone, DEFAULT_RETRY, Pacer, retryAfterMs, sendWithRetry, type RetryPolicy } from './sender.js';

export type ProactiveResult = 'sent' | 'inactive' | 'gone';

/** One conversation's outcome in a fan-out: 'failed' when retrying within the budget did not get it through. */
export interface FanOutResult {
  readonly conversationId: string;
  readonly result: ProactiveResult | 'failed';
  /** For 'failed': why, in one line, for the log and the digest's run record. */
  readonly error?: string;
  /** For 'failed' on a 429 or 503 with Retry-After: how long the connector asked to wait before trying again. */
  readonly retryAfterMs?: number;
}

export interface FanOutOptions {
  /** How many sends may be in flight at once; pacing decides when each starts. Default 8. */
  readonly concurrency?: number;
  /** Stops starting new sends (e.g. at shutdown); those not started come back 'failed'. */
  readonly signal?: AbortSignal;
}

/**
 * The one way to post without being asked (digests, alerts): paced under the per-conversation and
 * per-tenant limits (shared with replies), retried within one budget, and stopping for good on
 * 403/404 (the conversation is marked inactive).
 *
 *   await proactive.send(record, reply)                       // one conversation
 *   await proactive.sendToMany(records, reply)                // one reply to many, paced
 *   await proactive.sendToMany(records, (r) => digestFor(r))  // a reply made for each
 */
export class ProactiveSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationRepository,
    private readonly logger: Logger,
    private readonly pacer: Pacer,
    private readonly clock: () => Date = () => new Date(),
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** Posts one reply; throws when retrying within the budget did not get it through (the last error as it came). */
  async send(
    record: ConversationRecord,
    reply: Reply,
    options: { signal?: AbortSignal } = {},
  ): Promise<ProactiveResult> {
    if (!record.active) return 'inactive';
    const reference = referenceOf(record);
    const tenant = record.tenantId || undefined;
    await this.pacer.wait(record.conversationId, tenant, options.signal);
    // The adapter hands errors thrown in the callback to onTurnError, so the outcome is carried out by hand.
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await sendWithRetry(() => context.sendActivity(toActivity(reply)), this.logger, this.policy, {
          ...(options.signal ? { signal: options.signal } : {}),
          onThrottled: (ms) => this.pacer.holdOff(record.conversationId, tenant, ms),
        });
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
    const conversationId = baseConversationId(record.conversationId);
    const tenant = record.tenantId || undefined;
    await this.pacer.wait(conversationId, tenant);
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.botAppId, referenceOf(record), async (context) => {
      try {
        await sendWithRetry(
          () => context.updateActivity({ ...toActivity(reply), id: activityId }),
          this.logger,
          this.policy,
          {
            onThrottled: (ms) => this.pacer.holdOff(conversationId, tenant, ms),
          },
        );
      } catch (error) {
        failure = error;
      }
    });
    if (failure === undefined) return 'updated';
    if (failure instanceof ConversationGone) return 'gone';
    throw failure instanceof Error ? failure : new Error('card update failed', { cause: failure });
  }

  /**
   * Posts to many conversations, each paced under both limits (so a fan-out to every committee
   * channel of a tenant keeps under Teams' per-tenant rate), a few in flight at once. Never
   * throws for one conversation: each comes back with its outcome, in the order given.
   */
  async sendToMany(
    records: readonly ConversationRecord[],
    reply: Reply | ((record: ConversationRecord) => Reply | Promise<Reply>),
    options: FanOutOptions = {},
  ): Promise<FanOutResult[]> {
    const results = new Array<FanOutResult>(records.length);
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const index = next++;
        const record = records[index]!;
        results[index] = await this.sendOne(record, reply, options.signal);
      }
    };
    const lanes = Math.max(1, Math.min(options.concurrency ?? 8, records.length));
    await Promise.all(Array.from({ length: lanes }, worker));
    return results;
  }

  private async sendOne(
    record: ConversationRecord,
    reply: Reply | ((record: ConversationRecord) => Reply | Promise<Reply>),
    signal: AbortSignal | undefined,
  ): Promise<FanOutResult> {
    const conversationId = record.conversationId;
    if (signal?.aborted) return { conversationId, result: 'failed', error: 'stopped before it was sent' };
    try {
      const message = typeof reply === 'function' ? await reply(record) : reply;
      return { conversationId, result: await this.send(record, message, signal ? { signal } : {}) };
    } catch (error) {
      const wait = retryAfterMs(error);
      this.logger.warn({ err: error, conversation: conversationId }, 'proactive send failed');
      return {
        conversationId,
        result: 'failed',
        error: error instanceof Error ? error.message : String(error),
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      };
    }
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
