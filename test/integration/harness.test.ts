/** The in-memory harness answers as the endpoint does: the same card, without HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex, groupChat, mentions, sam } from '../support/teams.js';

describe('the in-memory harness', () => {
  let bot: TestBot;
  const where = groupChat('19:harness@thread.v2');
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.ask(where, alex, 'setup partnership "Harness ICT" councils=CEC:50,CWAC:50');
  });
  afterAll(() => bot.close());

  it('answers a command with the card the endpoint sends for it', async () => {
    const inMemory = await bot.ask(where, alex, 'setup show');
    const overHttp = await bot.say(where, alex, 'setup show');
    expect(inMemory.text).toBe(overHttp.text);
    expect(inMemory.card).toEqual(overHttp.card);
  });

  it('reads mentions of people as the endpoint does', async () => {
    const granted = await bot.ask(where, alex, mentions`role grant ${sam} editor`);
    expect(granted.text).toContain('Sam Jones is now editor');
  });

  it('answers a button with the card that replaces the one clicked', async () => {
    const pressed = await bot.press(where, alex, 'help');
    const clicked = await bot.click(where, alex, 'help');
    expect(pressed.text).toBe(clicked.text);
  });
});
