/**
 * A committee with a digest to schedule: a bot whose clock the test moves, a team channel where
 * the app is installed (so the bot may post there on its own), the partnership set up by Alex
 * (admin) with Sam as editor, and three KPIs: First time fix Red, Major incidents Green, and
 * Customer satisfaction with no figure for its last quarter (owned by Jo).
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { PartnershipId } from '../../src/domain/partnership.js';
import type { Scheduler, TickReport } from '../../src/scheduler/index.js';
import { replyOf, startTestBot, type Reply, type TestBot } from './bot-harness.js';
import type { SentActivity } from './connector-stub.js';
import {
  alex,
  channel,
  jo,
  mentions,
  personalChat,
  postActivity,
  sam,
  type Person,
  type TeamChannel,
  type TeamsText,
  type Where,
} from './teams.js';

export class TestClock {
  constructor(private at: Date) {}
  readonly now = (): Date => this.at;
  set(iso: string): void {
    this.at = new Date(iso);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface Committee {
  readonly bot: TestBot;
  readonly where: TeamChannel;
  readonly partnershipId: PartnershipId;
  readonly clock: TestClock;
  readonly tablePrefix: string;
  say(who: Person, text: string | TeamsText): Promise<Reply>;
  /** In memory, through the router: for the rules of a command. */
  ask(who: Person, text: string | TeamsText, where?: Where): Promise<Reply>;
  scheduler(bot?: TestBot): Scheduler;
  tick(bot?: TestBot): Promise<TickReport>;
  /** The digests the connector received for a conversation (the committee channel by default). */
  digests(conversationId?: string): Reply[];
  /** Another bot process on the same tables (its own connector stub; posts go where the references point). */
  another(): Promise<TestBot>;
  install(where: Where, who?: Person): Promise<void>;
  close(): Promise<void>;
}

export async function committee(name: string, startAt: string, env: Record<string, string> = {}): Promise<Committee> {
  const clock = new TestClock(new Date(startAt));
  const tablePrefix = `t${randomBytes(5).toString('hex')}`;
  const bot = await startTestBot({ now: clock.now, tablePrefix, env });
  const others: TestBot[] = [];
  const where = channel({
    teamId: `19:${name}@thread.tacv2`,
    channelId: `19:${name}-committee@thread.tacv2`,
    teamName: `Shared ICT Service (${name})`,
    channelName: 'Joint Committee',
  });
  const install = async (at: Where, who: Person = alex) => {
    const result = await postActivity(bot.url, bot.teams.installationUpdate(at, who, 'add'));
    expect(result.status).toBe(200);
  };
  await install(where);
  const setup = await bot.say(where, alex, 'setup partnership "Cheshire ICT Shared Service" councils=CEC:50,CWAC:50');
  expect(setup.text).toContain('is set up');
  expect((await bot.say(where, alex, mentions`role grant ${sam} editor`)).text).toContain('Sam Jones is now editor');
  const binding = await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]);
  if (!binding) throw new Error('the team is not linked');
  const ask = (who: Person, text: string | TeamsText, at: Where = where) => bot.ask(at, who, text);
  for (const line of [
    'kpi add "First time fix" code=FTF target=80 unit=% polarity=higher',
    'kpi add "Major incidents" code=MI target=2 unit=count polarity=lower tolerance=1',
  ]) {
    expect((await ask(sam, line)).text).toContain('KPI added');
  }
  expect(
    (
      await ask(
        sam,
        mentions`kpi add "Customer satisfaction" code=CSAT target=4.5 unit=score polarity=higher frequency=quarterly owner=${jo}`,
      )
    ).text,
  ).toContain('KPI added');

  const schedulerOf = (b: TestBot): Scheduler => {
    if (!b.app.scheduler) throw new Error('this bot runs no scheduler');
    return b.app.scheduler;
  };
  return {
    bot,
    where,
    partnershipId: binding.partnershipId,
    clock,
    tablePrefix,
    say: (who, text) => bot.say(where, who, text),
    ask,
    scheduler: (b = bot) => schedulerOf(b),
    tick: (b = bot) => schedulerOf(b).tick(),
    digests: (conversationId = where.channelId) =>
      bot.stub
        .sentTo(conversationId)
        .filter((a: SentActivity) => a.summary?.startsWith('Digest —'))
        .map(replyOf),
    async another() {
      const other = await startTestBot({ now: clock.now, tablePrefix, env });
      others.push(other);
      return other;
    },
    install,
    async close() {
      await Promise.all([bot, ...others].map((b) => b.close()));
    },
  };
}

/** Records this month's KPI figures so the digest has a Red and a Green (October 2026 is the last complete month in the tests). */
export async function recordFigures(c: Committee): Promise<void> {
  for (const line of ['kpi record FTF 62 period=2026-10', 'kpi record MI 1 period=2026-10']) {
    expect((await c.ask(sam, line)).text).toMatch(/is (Red|Green|Amber)/);
  }
}

export { alex, jo, personalChat, sam };
