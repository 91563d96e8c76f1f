/**
 * The bot's side of cards kept current: a reply that asks is told where its card was posted (the
 * activity id the connector gave it, in the conversation or channel thread it went to), and the
 * proactive port replaces a posted card in place (PUT .../activities/:id), retried like any send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeCard } from '../../src/cards/core.js';
import type { PostedCard, Reply } from '../../src/commands/types.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex, channel, groupChat, postActivity } from '../support/teams.js';

const card = (title: string): Reply => ({
  text: title,
  card: { template: noticeCard, data: { tone: 'good', title, message: 'Kept current.' } },
});

describe('cards kept current', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  /** Answers the next message with `reply`, and gives what the bot said about where it posted it. */
  async function answerWith(reply: Reply, where: Parameters<TestBot['teams']['message']>[0]): Promise<PostedCard> {
    let posted: PostedCard | undefined;
    const original = bot.app.router.handleMessage.bind(bot.app.router);
    bot.app.router.handleMessage = () =>
      Promise.resolve({
        ...reply,
        onPosted: (where: PostedCard) => {
          posted = where;
          return Promise.resolve();
        },
      });
    try {
      const result = await postActivity(bot.url, bot.teams.message(where, alex, 'anything'));
      expect(result.status).toBe(200);
    } finally {
      bot.app.router.handleMessage = original;
    }
    if (!posted) throw new Error('the bot did not say where it posted the card');
    return posted;
  }

  it('tells a reply where its card was posted: the activity id and the channel thread', async () => {
    const thread = channel({ teamId: '19:updates-team@thread.tacv2', channelId: '19:updates@thread.tacv2' });
    const posted = await answerWith(card('First'), thread);
    const sent = bot.stub.sent.at(-1)!;
    expect(posted.activityId).toBe(sent.id);
    expect(posted.conversation.conversationId).toBe(sent.delivery.conversationId);
    expect(posted.conversation.conversationId).toMatch(/^19:updates@thread\.tacv2;messageid=/);
    expect(posted.conversation.serviceUrl).toBe(bot.stub.url);
  });

  it('replaces a posted card in place', async () => {
    const posted = await answerWith(card('Before'), groupChat('19:updates-chat@thread.v2'));
    expect(await bot.app.bot.proactive.update(posted.conversation, posted.activityId, card('After'))).toBe('updated');
    const update = bot.stub.updates().at(-1)!;
    expect(update.delivery).toMatchObject({
      conversationId: '19:updates-chat@thread.v2',
      activityId: posted.activityId,
    });
    expect(JSON.stringify(update.attachments)).toContain('After');
  });

  it('retries an update the connector throttles, and says a card that is no longer there is gone', async () => {
    const where = groupChat('19:updates-throttled@thread.v2');
    await postActivity(bot.url, bot.teams.installationUpdate(where, alex, 'add'));
    const posted = await answerWith(card('Throttled'), where);
    bot.stub.failNext(2, { status: 429, retryAfterSeconds: 0, match: (r) => r.method === 'PUT' });
    expect(await bot.app.bot.proactive.update(posted.conversation, posted.activityId, card('Later'))).toBe('updated');
    bot.stub.failNext(1, { status: 404, match: (r) => r.method === 'PUT' });
    expect(await bot.app.bot.proactive.update(posted.conversation, posted.activityId, card('Gone'))).toBe('gone');
    // A deleted message is not a conversation the bot was removed from: it stays reachable.
    expect(await bot.app.services.conversations.get(posted.conversation.tenantId, where.conversationId)).toMatchObject({
      active: true,
    });
  });
});
