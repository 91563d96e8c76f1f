/**
 * Writes that meet (issue points 6 and 10). Readings of different KPIs or periods write different
 * rows and meet only in the KPI summary shard, under its ETag; a writer that loses retries with
 * jittered backoff until the turn's deadline. Fifty at once all succeed; a clash that outlasts the
 * deadline is answered plainly; the audit's newest entry is always the value stored.
 */
import { firstTargets } from '../../src/domain/kpi-targets.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KpiDefinition } from '../../src/domain/kpi-assessment.js';
import { parsePeriod } from '../../src/domain/periods.js';
import type { PartnershipId } from '../../src/domain/partnership.js';
import { commitWithAudit } from '../../src/storage/audit.js';
import { ConflictError } from '../../src/storage/errors.js';
import { KpiRepository } from '../../src/storage/kpis.js';
import { startTestBot, TEST_NOW, type TestBot } from '../support/bot-harness.js';
import { alex, channel, type TeamChannel } from '../support/teams.js';

const RECORDED = / is (Green|Amber|Red)$/m;

function definition(code: string, name: string): KpiDefinition {
  return {
    code,
    name,
    description: '',
    unit: '%',
    polarity: 'higher',
    targets: firstTargets(2025, 80, { kind: 'percent', value: 5 }),
    frequency: 'monthly',
    owner: undefined,
    council: 'CEC',
    createdAt: TEST_NOW.toISOString(),
    createdBy: 'Alex Morgan',
  };
}

/** The 50 monthly periods before Nov 2026, oldest first: 2022-09 … 2026-10. */
const PERIODS = Array.from({ length: 50 }, (_, i) => {
  const month = 2026 * 12 + 9 - 49 + i;
  return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
});

describe('Fifty readings at once', () => {
  let bot: TestBot;
  let kpis: KpiRepository;
  let partnershipId: PartnershipId;
  let tick = 0;
  const where: TeamChannel = channel({ teamId: '19:clashes@thread.tacv2', channelId: '19:clashes-kpi@thread.tacv2' });

  beforeAll(async () => {
    // The clock moves on a second at every reading, so turns that start later are later in time.
    bot = await startTestBot({ now: () => new Date(TEST_NOW.getTime() + 1000 * tick++) });
    await bot.say(where, alex, 'setup partnership "Clashing Writes ICT" councils=CEC:50,CWAC:50');
    partnershipId = (await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]))!
      .partnershipId;
    kpis = new KpiRepository(bot.app.storage.tables);
    const audit = {
      at: TEST_NOW.toISOString(),
      actorId: alex.id,
      actorAadObjectId: alex.aadObjectId,
      actorName: alex.name,
      command: '(test data)',
      subject: 'kpi',
      before: null,
      after: null,
      conversationId: where.teamId,
    };
    for (let i = 0; i < 50; i++) await kpis.add(partnershipId, definition(`K${i}`, `Measure ${i}`), audit);
    await kpis.add(partnershipId, definition('ONE', 'One measure'), audit);
    await kpis.add(partnershipId, definition('HOT', 'Hot measure'), audit);
  }, 60_000);
  afterAll(() => bot.close());

  const recordAll = (texts: string[]) => Promise.all(texts.map((text) => bot.ask(where, alex, text)));

  it('records all fifty when each is for a different KPI', async () => {
    const replies = await recordAll(PERIODS.map((_, i) => `kpi record K${i} ${50 + (i % 40)} period=2026-10`));
    const failed = replies.filter((r) => !RECORDED.test(r.text)).map((r) => r.text);
    expect(failed).toEqual([]);
    const listed = await kpis.list(partnershipId);
    for (let i = 0; i < 50; i++) {
      expect(listed.find((k) => k.code === `K${i}`)?.recent).toEqual([['2026-10', 50 + (i % 40)]]);
    }
  });

  it('records all fifty when each is for a different period of one KPI, and the summary agrees with the rows', async () => {
    const replies = await recordAll(PERIODS.map((period, i) => `kpi record ONE ${i + 1} period=${period}`));
    const failed = replies.filter((r) => !RECORDED.test(r.text)).map((r) => r.text);
    expect(failed).toEqual([]);
    const readings = await kpis.readings(partnershipId, 'ONE');
    expect(readings.map((r) => r.value)).toEqual(PERIODS.map((_, i) => i + 1));
    const entry = (await kpis.list(partnershipId)).find((k) => k.code === 'ONE')!;
    expect(entry.recent.map(([, value]) => value)).toEqual(readings.slice(-entry.recent.length).map((r) => r.value));
    expect(entry.recent).toHaveLength(13);
  });

  it('answers each of fifty readings of one KPI and period, and the newest audit entry is the value stored', async () => {
    const replies = await recordAll(PERIODS.map((_, i) => `kpi record HOT ${i + 1} period=2026-10`));
    for (const reply of replies) {
      expect(reply.text).not.toContain('Something went wrong');
      expect(RECORDED.test(reply.text) || reply.text.includes('Someone changed this at the same moment')).toBe(true);
    }
    expect(replies.filter((r) => RECORDED.test(r.text)).length).toBeGreaterThanOrEqual(45);
    const stored = await kpis.getReading(partnershipId, 'HOT', parsePeriod('2026-10')!);
    const [newest] = await bot.app.services.audit.latest(partnershipId, 1);
    expect(newest?.subject).toBe('kpi HOT 2026-10');
    expect(newest?.after).toMatchObject({ value: { figure: stored!.value, unit: '%' } });
    const entry = (await kpis.list(partnershipId)).find((k) => k.code === 'HOT')!;
    expect(entry.recent).toEqual([['2026-10', stored!.value]]);
  });
});

describe('The audit, newest first', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  it('lists first the change committed last, even when its turn began earlier', async () => {
    const partnershipId = 'audit-order' as PartnershipId;
    const entry = (at: string, value: string) => ({
      at,
      actorId: alex.id,
      actorAadObjectId: alex.aadObjectId,
      actorName: alex.name,
      command: `kpi record FTF ${value}`,
      subject: 'kpi FTF 2026-10',
      before: null,
      after: { value },
      conversationId: '19:audit-order@thread.v2',
    });
    const tables = bot.app.storage.tables;
    // The turn that began later commits first; the one that began earlier lost a clash, retried and committed last.
    await commitWithAudit(tables, partnershipId, [], entry('2026-11-25T12:00:05.000Z', '81%'), 'x');
    await commitWithAudit(tables, partnershipId, [], entry('2026-11-25T12:00:01.000Z', '79%'), 'x');
    const latest = await bot.app.services.audit.latest(partnershipId, 2);
    expect(latest.map((e) => e.after)).toEqual([{ value: '79%' }, { value: '81%' }]);
  });

  it('lists changes of different days newest first', async () => {
    const partnershipId = 'audit-window' as PartnershipId;
    const tables = bot.app.storage.tables;
    const entry = (at: string, n: number) => ({
      at,
      actorId: alex.id,
      actorAadObjectId: alex.aadObjectId,
      actorName: alex.name,
      command: `change ${n}`,
      subject: `change ${n}`,
      before: null,
      after: n,
      conversationId: '19:audit-window@thread.v2',
    });
    for (let n = 0; n < 5; n++)
      await commitWithAudit(tables, partnershipId, [], entry(`2026-11-${20 + n}T12:00:00.000Z`, n), 'x');
    expect((await bot.app.services.audit.latest(partnershipId, 2)).map((e) => e.after)).toEqual([4, 3]);
    expect((await bot.app.services.audit.latest(partnershipId, 10)).map((e) => e.after)).toEqual([4, 3, 2, 1, 0]);
  });
});

describe('A clash that outlasts the turn', () => {
  let bot: TestBot;
  const where: TeamChannel = channel({
    teamId: '19:clash-lasts@thread.tacv2',
    channelId: '19:clash-lasts-kpi@thread.tacv2',
  });
  beforeAll(async () => {
    // A 3 s turn leaves the command 1 s to retry before the reply must go.
    bot = await startTestBot({ config: { turnDeadlineMs: 3_000 } });
    await bot.say(where, alex, 'setup partnership "Lasting Clash ICT" councils=CEC:50,CWAC:50');
    await bot.say(where, alex, 'kpi add "First time fix" code=FTF target=80 unit=% polarity=higher');
  });
  afterAll(() => bot.close());

  it('is answered plainly within the turn, retried until then, and records nothing', async () => {
    const lost = vi
      .spyOn(KpiRepository.prototype, 'recordReading')
      .mockRejectedValue(new ConflictError('the KPI summary changed meanwhile'));
    try {
      const reply = await bot.say(where, alex, 'kpi record FTF 99 period=2026-09');
      expect(reply.text).toContain('Someone changed this at the same moment. Nothing was changed; try again.');
      expect(reply.text).not.toContain('Something went wrong');
      expect(lost.mock.calls.length).toBeGreaterThan(1);
    } finally {
      lost.mockRestore();
    }
    const partnershipId = (await bot.app.services.partnerships.findBinding([{ kind: 'team', teamId: where.teamId }]))!
      .partnershipId;
    expect(
      await new KpiRepository(bot.app.storage.tables).getReading(partnershipId, 'FTF', parsePeriod('2026-09')!),
    ).toBeUndefined();
  });
});
