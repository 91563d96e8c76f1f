/** Items of one family shown where another family's item is read: an approval about a risk, on `risk show`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { lines } from '../support/cards.js';
import { alex, channel, mentions, priya } from '../support/teams.js';

const board = channel({ teamId: '19:linked-team@thread.tacv2', channelId: '19:linked-board@thread.tacv2' });

describe('an approval about a risk', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.ask(board, alex, 'setup partnership "Linked Items ICT" councils=CEC:50,CWAC:50');
    await bot.ask(board, alex, mentions`role grant ${priya} approver`);
    await bot.ask(board, alex, 'risk add "Cyber security" likelihood=4 impact=5 category=cyber');
  });
  afterAll(() => bot?.close());

  it('shows on the risk it concerns, with its status and due date', async () => {
    const requested = await bot.ask(
      board,
      alex,
      mentions`approval request "Accept the cyber risk until the SOC partner starts" type=risk-acceptance approvers=${priya} policy=any due=2026-12-18 item=R-1`,
    );
    expect(requested.text).toContain('A-1');
    const shown = lines(await bot.ask(board, alex, 'risk show R-1'));
    expect(shown).toContain('A-1 · Accept the cyber risk until the SOC partner starts');
    expect(shown.join('\n')).toMatch(/risk-acceptance · pending · due 18 Dec 2026/);
  });
});
