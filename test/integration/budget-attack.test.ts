/**
 * The budget as a stranger meets it: two bots on one storage account changing the same setting at
 * once, and the mistakes a newcomer makes typing figures.
 */
import { formatMoney, type Pence } from '../../src/domain/money.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardPartnership, tickingClock, type Board } from '../support/board.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex, mentions, priya } from '../support/teams.js';

describe('budget thresholds set from two bots at once', () => {
  let board: Board;
  let other: TestBot;
  beforeAll(async () => {
    board = await boardPartnership('thresholds-race');
    other = await startTestBot({ tablePrefix: board.bot.tablePrefix, stub: board.bot.stub, now: tickingClock() });
  });
  afterAll(async () => {
    await other.close();
    await board.close();
  });

  it('records each change against the thresholds it replaced, so the audit reads as one chain', async () => {
    const settings = [1, 2, 3, 4, 5, 6].map((n) => `budget thresholds amber=${n}%,£${n}0k red=${n + 5}%,£${n}00k`);
    const replies = await Promise.all(
      settings.map((text, i) => (i % 2 === 0 ? board.ask(alex, text) : other.ask(board.where, alex, text))),
    );
    for (const reply of replies) expect(reply.text).toMatch(/Budget RAG thresholds set|at the same moment/);
    const set = replies.filter((r) => r.text.startsWith('Budget RAG thresholds set')).length;
    const trail = (await board.bot.app.services.audit.latest(board.partnershipId, 50))
      .filter((e) => e.command.startsWith('budget thresholds'))
      .reverse();
    expect(trail).toHaveLength(set);
    expect(trail[0]!.before).toBe(
      'Amber from 1% of budget or £50k adverse, Red from 5% of budget or £100k, whichever comes first',
    );
    for (let i = 1; i < trail.length; i++) expect(trail[i]!.before).toBe(trail[i - 1]!.after);
    const shown = await board.ask(alex, 'budget thresholds');
    expect(shown.text).toContain(String(trail.at(-1)!.after));
  });

  it('records each of four actuals for one month against the figure it replaced, and keeps the last', async () => {
    expect((await board.ask(alex, 'budget add NET "Network" category=contracts budget=£120k')).text).toContain(
      'Budget line added',
    );
    const amounts = ['£1,001', '£1,002', '£1,003', '£1,004'];
    const replies = await Promise.all(
      amounts.map((amount, i) => {
        const text = `budget actual NET P3 ${amount}`;
        return i % 2 === 0 ? board.ask(alex, text) : other.ask(board.where, alex, text);
      }),
    );
    for (const reply of replies) expect(reply.text).toMatch(/ for P3 \(Jun 2026\) recorded/);
    const trail = (await board.bot.app.services.audit.latest(board.partnershipId, 50))
      .filter((e) => e.command.startsWith('budget actual NET'))
      .reverse();
    expect(trail).toHaveLength(4);
    expect(trail[0]!.before).toEqual({ 'NET P3': null });
    for (let i = 1; i < trail.length; i++) {
      expect(JSON.stringify(trail[i]!.before)).toBe(JSON.stringify(trail[i - 1]!.after));
    }
    const line = await board.ask(alex, 'budget line NET');
    const last = (trail[3]!.after as Record<string, { pence: number }>)['NET P3']!.pence;
    expect(line.text).toContain(`Actual to date\n${formatMoney(last as Pence)}`);
  });
});

describe('a line name that is a person', () => {
  let board: Board;
  beforeAll(async () => {
    board = await boardPartnership('line-name-person');
  });
  afterAll(() => board.close());

  it('refuses a mention where the name of a line goes, and adds nothing', async () => {
    const reply = await board.ask(alex, mentions`budget add LIC ${priya} category=contracts budget=£1k`);
    expect(reply.text).toContain('the line name must be text');
    expect(reply.text).toContain('Nothing was changed');
    expect((await board.ask(alex, 'budget lines')).text).not.toContain('LIC');
  });
});
