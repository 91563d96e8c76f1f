/**
 * The digest as a stranger meets it: two bots on one storage account asked for the same schedule
 * at the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardPartnership, tickingClock, type Board } from '../support/board.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex } from '../support/teams.js';

describe('digest subscribe from two bots at once', () => {
  let board: Board;
  let other: TestBot;
  beforeAll(async () => {
    board = await boardPartnership('digest-race');
    other = await startTestBot({ tablePrefix: board.bot.tablePrefix, stub: board.bot.stub, now: tickingClock() });
  });
  afterAll(async () => {
    await other.close();
    await board.close();
  });

  it('sets up one digest for one schedule, and tells the others it is there already', async () => {
    const text = 'digest subscribe weekly day=Monday at=09:00';
    const replies = await Promise.all(
      [0, 1, 2, 3].map((i) => (i % 2 === 0 ? board.ask(alex, text) : other.ask(board.where, alex, text))),
    );
    const set = replies.filter((r) => / set up$/m.test(r.text));
    expect(set).toHaveLength(1);
    for (const reply of replies.filter((r) => !set.includes(r))) {
      expect(reply.text).toContain('This conversation already has D-1, every Monday at 09:00');
    }
    const list = await board.ask(alex, 'digest list');
    expect(list.text).toContain('posts one digest here');
    const trail = await board.bot.app.services.audit.latest(board.partnershipId, 50);
    expect(trail.filter((e) => e.command.startsWith('digest subscribe'))).toHaveLength(1);
  });
});
