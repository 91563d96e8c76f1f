/**
 * A partnership for the risk and issue tests: Alex sets it up (admin), Sam is an editor, Jo is a
 * committee member who only views, Priya is an editor for CEC only. Commands run in memory
 * (`bot.ask`) in a team channel; the clock starts at TEST_NOW and moves a second per request, and
 * `advance` moves it on by days, so reviews fall due.
 */
import { expect } from 'vitest';
import type { PartnershipId } from '../../src/domain/partnership.js';
import { IssueRepository } from '../../src/storage/issues.js';
import { RiskRepository } from '../../src/storage/risks.js';
import { startTestBot, TEST_NOW, type Reply, type TestBot } from './bot-harness.js';
import { lines } from './cards.js';
import { alex, channel, mentions, priya, sam, type Person, type TeamChannel, type TeamsText } from './teams.js';

export interface Register {
  readonly bot: TestBot;
  readonly where: TeamChannel;
  readonly partnershipId: PartnershipId;
  readonly risks: RiskRepository;
  readonly issues: IssueRepository;
  ask(who: Person, text: string | TeamsText): Promise<Reply>;
  press(who: Person, verb: string, data?: Record<string, unknown>): Promise<Reply>;
  /** Adds a risk and checks it was added; gives its id. */
  added(who: Person, text: string | TeamsText): Promise<string>;
  /** Moves the clock on by whole days. */
  advance(days: number): void;
  now(): Date;
  close(): Promise<void>;
}

export async function riskRegister(team: string): Promise<Register> {
  let offsetMs = 0;
  let tick = 0;
  const now = () => new Date(TEST_NOW.getTime() + offsetMs + 1000 * tick++);
  const bot = await startTestBot({ now });
  const where = channel({
    teamId: `19:${team}@thread.tacv2`,
    channelId: `19:${team}-risks@thread.tacv2`,
    teamName: `Shared ICT Service (${team})`,
    channelName: 'Risks',
  });
  const ask = (who: Person, text: string | TeamsText) => bot.ask(where, who, text);
  expect((await ask(alex, 'setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50')).text).toContain(
    'is set up',
  );
  expect((await ask(alex, mentions`role grant ${sam} editor`)).text).toContain('Sam Jones is now editor');
  expect((await ask(alex, mentions`role grant ${priya} editor council=CEC`)).text).toContain(
    'Priya Shah is now editor',
  );
  const binding = await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]);
  if (!binding) throw new Error(`the team ${where.teamId} is not bound to the partnership`);
  return {
    bot,
    where,
    partnershipId: binding.partnershipId,
    risks: new RiskRepository(bot.app.services.tables),
    issues: new IssueRepository(bot.app.services.tables),
    ask,
    press: (who, verb, data) => bot.press(where, who, verb, data),
    async added(who, text) {
      const reply = await ask(who, text);
      const match = /^Risk added: (R-\d+) /.exec(lines(reply)[0] ?? '');
      if (!match) throw new Error(`the risk was not added:\n${reply.text}`);
      return match[1]!;
    },
    advance(days) {
      offsetMs += days * 86_400_000;
    },
    now,
    close: () => bot.close(),
  };
}
