/**
 * Reminders to the people who owe something, through the connector stub. KPI owners whose figure
 * for the last complete period is missing five working days after it ended get one message a week
 * listing all of it; approvers get one reminder of a decision due within a day, in their personal
 * chat or, without one, as a mention where the approval was posted; `reminders off` is respected.
 * Approvals come from a stand-in family here: the approvals family gives its own reminders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandFamily, ReminderItem } from '../../src/commands/types.js';
import { Scheduler } from '../../src/scheduler/index.js';
import { replyOf, type Reply } from '../support/bot-harness.js';
import { committee, HOUR, type Committee } from '../support/digest-fixture.js';
import { alex, jo, mentions, personalChat, priya, sam, type Person } from '../support/teams.js';

const MONDAY_NINE = '2026-11-30T09:00:00Z';

function remindersTo(c: Committee, person: Person): Reply[] {
  return c.bot.stub
    .sentTo(personalChat(person).conversationId)
    .filter((a) => a.summary?.startsWith('A reminder from'))
    .map(replyOf);
}

describe('weekly reminders to KPI owners', () => {
  let c: Committee;
  beforeAll(async () => {
    c = await committee('remind-kpi', '2026-11-25T12:00:00Z');
    for (const line of [
      mentions`kpi edit MI owner=${priya}`,
      mentions`kpi add "Laptops rebuilt" code=LR target=40 unit=count polarity=higher owner=${jo}`,
      'kpi record FTF 62 period=2026-10',
    ]) {
      expect((await c.ask(sam, line)).text).not.toMatch(/^(Not found|I could not)/);
    }
    for (const person of [jo, priya]) await c.install(personalChat(person), person);
    expect((await c.ask(jo, 'reminders on', personalChat(jo))).text).toContain('Reminders on');
    expect((await c.ask(priya, 'reminders off', personalChat(priya))).text).toContain('Reminders off');
  });
  afterAll(() => c.close());

  it('sends each owner one message listing every figure they owe', async () => {
    c.clock.set(MONDAY_NINE);
    const [second, third] = await Promise.all([c.another(), c.another()]);
    await Promise.all([c.tick(), c.tick(second), c.tick(third)]);
    const toJo = remindersTo(c, jo);
    expect(toJo).toHaveLength(1);
    expect(toJo[0]!.text).toContain('Jo Williams, here is what you owe Cheshire ICT Shared Service.');
    expect(toJo[0]!.text).toContain('KPI figures to record');
    expect(toJo[0]!.text).toContain('Customer satisfaction (CSAT): the Q2 2026/27 figure, due by 7 Oct 2026.');
    expect(toJo[0]!.text).toContain('Laptops rebuilt (LR): the Oct 2026 figure, due by 6 Nov 2026.');
    expect(toJo[0]!.text).toContain('kpi record LR ‹value› period=2026-10');
  });

  it('respects reminders off', () => {
    expect(remindersTo(c, priya)).toHaveLength(0);
  });

  it('does not send the week’s reminder again in later hours of the week', async () => {
    c.clock.set('2026-11-30T10:00:00Z');
    await c.tick();
    c.clock.set('2026-12-03T15:00:00Z');
    await c.tick();
    expect(remindersTo(c, jo)).toHaveLength(1);
  });

  it('sends the next one the next Monday, and none once the figures are in', async () => {
    c.clock.set('2026-12-07T09:00:00Z');
    await c.tick();
    expect(remindersTo(c, jo)).toHaveLength(2);
    expect((await c.ask(sam, 'kpi record CSAT 4.6 period="2026/27 Q2"')).text).toContain('Green');
    expect((await c.ask(sam, 'kpi record LR 41 period=2026-10')).text).toContain('Green');
    expect((await c.ask(sam, 'kpi record LR 44 period=2026-11')).text).toContain('Green');
    c.clock.set('2026-12-14T09:00:00Z');
    await c.tick();
    expect(remindersTo(c, jo)).toHaveLength(2);
  });
});

describe('reminders of decisions due within a day', () => {
  let c: Committee;
  let scheduler: Scheduler;
  const approvals: ReminderItem[] = [];
  const stand: CommandFamily = {
    words: ['approval'],
    area: 'Decisions',
    summary: 'a stand-in for the approvals family',
    commands: [],
    reminders: async () => approvals,
  };
  beforeAll(async () => {
    c = await committee('remind-approvals', '2026-11-25T12:00:00Z');
    await c.install(personalChat(jo), jo);
    expect((await c.ask(jo, 'reminders', personalChat(jo))).text).toContain('Your reminders are on');
    const postedIn = { conversationId: c.where.channelId, teamId: c.where.teamId };
    approvals.push(
      {
        kind: 'approval',
        person: jo,
        ref: 'A-1',
        text: 'A-1 Gateway 2: Cloud migration',
        due: '2026-12-01T17:00:00Z',
        postedIn,
      },
      {
        kind: 'approval',
        person: sam,
        ref: 'A-1',
        text: 'A-1 Gateway 2: Cloud migration',
        due: '2026-12-01T17:00:00Z',
        postedIn,
      },
      { kind: 'approval', person: alex, ref: 'A-2', text: 'A-2 Budget change', due: '2026-12-04T17:00:00Z', postedIn },
    );
    scheduler = new Scheduler({ services: c.bot.app.services, families: () => [stand] });
  });
  afterAll(() => c.close());

  it('reminds nobody of a decision due more than a day ahead', async () => {
    c.clock.set('2026-11-30T16:00:00Z');
    await scheduler.tick();
    expect(remindersTo(c, jo)).toHaveLength(0);
  });

  it('reminds an approver with a personal chat there, once', async () => {
    c.clock.set('2026-11-30T17:00:00Z');
    await scheduler.tick();
    c.clock.set('2026-11-30T18:00:00Z');
    await scheduler.tick();
    const toJo = remindersTo(c, jo);
    expect(toJo).toHaveLength(1);
    expect(toJo[0]!.text).toContain('Decisions due within a day');
    expect(toJo[0]!.text).toContain('A-1 Gateway 2: Cloud migration (due Tue 1 Dec 2026, 17:00)');
  });

  it('mentions an approver without a personal chat where the approval was posted, once', () => {
    const inChannel = c.bot.stub
      .sentTo(c.where.channelId)
      .filter((a) => a.summary?.startsWith('Sam Jones, a reminder from'));
    expect(inChannel).toHaveLength(1);
    const card = replyOf(inChannel[0]!).card as { msteams?: { entities?: Array<Record<string, unknown>> } };
    expect(card.msteams?.entities).toEqual([
      { type: 'mention', text: '<at>Sam Jones</at>', mentioned: { id: sam.id, name: 'Sam Jones' } },
    ]);
    expect(replyOf(inChannel[0]!).text).toContain('<at>Sam Jones</at>, a reminder from Cheshire ICT Shared Service');
    expect(c.bot.stub.sentTo(c.where.channelId).filter((a) => a.summary?.includes('Alex Morgan'))).toHaveLength(0);
  });

  it('says the later decision a day before it is due', async () => {
    c.clock.set(new Date(Date.parse('2026-12-04T17:00:00Z') - 23 * HOUR).toISOString());
    await scheduler.tick();
    expect(c.bot.stub.sentTo(c.where.channelId).filter((a) => a.summary?.startsWith('Alex Morgan'))).toHaveLength(1);
  });
});
