/** A person's personal chat with the bot is known from the moment the app is added there: reminders find it without `reminders on`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyOf } from '../support/bot-harness.js';
import { committee, type Committee } from '../support/digest-fixture.js';
import { jo, mentions, personalChat, sam } from '../support/teams.js';

describe('the personal chat where the app was added', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await committee('personal-chat', '2026-11-25T12:00:00Z');
    await c.ask(sam, mentions`kpi add "Laptops rebuilt" code=LR target=40 unit=count polarity=higher owner=${jo}`);
    await c.install(personalChat(jo), jo);
  });
  afterAll(() => c.close());

  it('receives the weekly reminder of the figures its person owes', async () => {
    c.clock.set('2026-11-30T09:00:00Z');
    await c.tick();
    const reminders = c.bot.stub
      .sentTo(personalChat(jo).conversationId)
      .map(replyOf)
      .filter((r) => r.text.includes('here is what you owe'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.text).toContain('Laptops rebuilt (LR)');
  });
});
