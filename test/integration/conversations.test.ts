import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/storage/conversations.js';
import { replyOf, startTestBot, type TestBot } from '../support/bot-harness.js';
import {
  alex,
  channel,
  groupChat,
  personalChat,
  postActivity,
  sam,
  tenantId,
  type TeamsActivity,
  type Where,
} from '../support/teams.js';

const WELCOME = 'Governance Bot is here';

describe('The conversation registry', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  async function deliver(activity: TeamsActivity): Promise<void> {
    const result = await postActivity(bot.url, activity);
    expect(result.status, `${activity.type} was not accepted`).toBe(200);
  }

  /** The conversation a registry row is kept under: the team for a channel, else the chat. */
  const idOf = (where: Where) => (where.kind === 'channel' ? where.teamId : where.conversationId);
  const recordOf = (where: Where) => bot.app.services.conversations.get(tenantId, idOf(where));
  const welcomesIn = (where: Where) => bot.stub.sentTo(idOf(where)).filter((a) => a.summary?.startsWith(WELCOME));

  async function installed(where: Where): Promise<ConversationRecord> {
    await deliver(bot.teams.installationUpdate(where, alex, 'add'));
    const record = await recordOf(where);
    if (!record) throw new Error('the conversation was not stored');
    return record;
  }

  describe('installation', () => {
    it('stores the conversation reference and welcomes once', async () => {
      const where = groupChat('19:conversations-install@thread.v2', { name: 'Board members' });
      await deliver(bot.teams.installationUpdate(where, alex, 'add'));

      expect(await recordOf(where)).toMatchObject({
        tenantId,
        conversationId: where.conversationId,
        conversationType: 'groupChat',
        serviceUrl: bot.stub.url,
        botId: bot.teams.bot.id,
        active: true,
      });
      await bot.stub.waitFor(() => welcomesIn(where).length > 0, 5000, 'a welcome card');
      const welcome = replyOf(welcomesIn(where)[0]!);
      expect(welcome.text).toContain('setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50');
      expect(welcome.text).toContain('Show all commands');
      expect(welcomesIn(where)).toHaveLength(1);
    });

    it('stores the team and channel of a channel installation', async () => {
      const where = channel({
        teamId: '19:conversations-team@thread.tacv2',
        teamName: 'Shared ICT Service',
        channelId: '19:conversations-channel@thread.tacv2',
      });
      await deliver(bot.teams.installationUpdate(where, alex, 'add'));
      expect(await recordOf(where)).toMatchObject({
        conversationType: 'channel',
        teamId: where.teamId,
        channelId: where.channelId,
        name: 'Shared ICT Service',
        active: true,
        serviceUrl: bot.stub.url,
      });
    });

    it('welcomes once when installation and bot-added events arrive together, as the Playground sends them', async () => {
      const where = personalChat(sam, { id: 'a:1personal-conversations-pair' });
      await deliver(bot.teams.installationUpdate(where, sam, 'add'));
      await deliver(bot.teams.botAdded(where, sam));
      await bot.stub.waitFor(() => welcomesIn(where).length > 0, 5000, 'a welcome card');
      expect(welcomesIn(where)).toHaveLength(1);
      expect(await recordOf(where)).toMatchObject({ active: true, conversationType: 'personal' });

      // The Playground sends the same pair again on every page load.
      await deliver(bot.teams.installationUpdate(where, sam, 'add'));
      await deliver(bot.teams.botAdded(where, sam));
      expect(welcomesIn(where)).toHaveLength(1);
    });

    it('welcomes once even when the two events arrive at the same moment', async () => {
      const where = groupChat('19:conversations-simultaneous@thread.v2');
      await Promise.all([
        deliver(bot.teams.installationUpdate(where, alex, 'add')),
        deliver(bot.teams.botAdded(where, alex)),
      ]);
      await bot.stub.waitFor(() => welcomesIn(where).length > 0, 5000, 'a welcome card');
      expect(welcomesIn(where)).toHaveLength(1);
    });

    it('does not store anything or welcome when someone else joins', async () => {
      const where = groupChat('19:conversations-member-joins@thread.v2');
      await deliver(bot.teams.conversationUpdate(where, { membersAdded: [sam] }));
      expect(await recordOf(where)).toBeUndefined();
      expect(welcomesIn(where)).toHaveLength(0);
    });
  });

  describe('removal', () => {
    it('marks the conversation inactive when the app is uninstalled', async () => {
      const where = groupChat('19:conversations-uninstall@thread.v2');
      await installed(where);
      await deliver(bot.teams.installationUpdate(where, alex, 'remove'));
      expect(await recordOf(where)).toMatchObject({ active: false, inactiveReason: 'bot uninstalled' });
    });

    it('marks the conversation inactive when the bot is removed from it', async () => {
      const where = groupChat('19:conversations-bot-removed@thread.v2');
      await installed(where);
      await deliver(bot.teams.conversationUpdate(where, { membersRemoved: [bot.teams.bot] }));
      expect(await recordOf(where)).toMatchObject({
        active: false,
        inactiveReason: 'bot removed from the conversation',
      });
    });

    it('keeps the conversation active when someone else leaves', async () => {
      const where = groupChat('19:conversations-member-leaves@thread.v2');
      await installed(where);
      await deliver(bot.teams.conversationUpdate(where, { membersRemoved: [sam] }));
      expect(await recordOf(where)).toMatchObject({ active: true });
    });

    it('welcomes again when the app is installed again after removal', async () => {
      const where = groupChat('19:conversations-reinstall@thread.v2');
      await installed(where);
      await bot.stub.waitFor(() => welcomesIn(where).length === 1, 5000, 'the first welcome');
      await deliver(bot.teams.installationUpdate(where, alex, 'remove'));
      await deliver(bot.teams.installationUpdate(where, alex, 'add'));
      await bot.stub.waitFor(() => welcomesIn(where).length === 2, 5000, 'a second welcome');
      expect(await recordOf(where)).toMatchObject({ active: true });
    });
  });

  describe('proactive messages', () => {
    it('reach the stored conversation', async () => {
      const where = groupChat('19:conversations-proactive@thread.v2');
      const record = await installed(where);
      const result = await bot.app.bot.proactive.send(record, { text: 'Digest' });
      expect(result).toBe('sent');
      const delivered = bot.stub.sentTo(where.conversationId).filter((a) => a.text === 'Digest');
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.conversation?.id).toBe(where.conversationId);
    });

    it('stop for good when the conversation has blocked the bot', async () => {
      const where = groupChat('19:conversations-blocked@thread.v2');
      const record = await installed(where);
      bot.stub.failNext(1, { status: 403, body: { error: { code: 'ConversationBlockedByUser' } } });

      expect(await bot.app.bot.proactive.send(record, { text: 'Digest' })).toBe('gone');
      expect(
        bot.stub.requests
          .filter((r) => r.activity?.text === 'Digest' && r.conversationId === where.conversationId)
          .map((r) => r.status),
      ).toEqual([403]);
      const stored = await recordOf(where);
      expect(stored).toMatchObject({ active: false, inactiveReason: 'ConversationBlockedByUser' });

      const requestsBefore = bot.stub.requests.length;
      expect(await bot.app.bot.proactive.send(stored!, { text: 'Digest again' })).toBe('inactive');
      expect(bot.stub.requests.length).toBe(requestsBefore);
      expect(bot.stub.texts()).not.toContain('Digest again');
    });

    it('are retried when the connector throttles them', async () => {
      const where = groupChat('19:conversations-throttled@thread.v2');
      const record = await installed(where);
      bot.stub.failNext(4, { status: 429, retryAfterSeconds: 0 });
      expect(await bot.app.bot.proactive.send(record, { text: 'Throttled digest' })).toBe('sent');
      const attempts = bot.stub.requests.filter(
        (r) => r.conversationId === where.conversationId && r.activity?.text === 'Throttled digest',
      );
      expect(attempts.map((r) => r.status)).toEqual([429, 429, 429, 429, 201]);
    });
  });
});
