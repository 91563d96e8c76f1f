import { parsePeriod } from '../../src/domain/periods.js';
import { KpiRepository } from '../../src/storage/kpis.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { partnershipIdFor } from '../../src/domain/partnership.js';
import { keys } from '../../src/storage/keys.js';
import { replyOf, startTestBot, type TestBot } from '../support/bot-harness.js';
import { alex, groupChat, mentions, postActivity, sam, tenantId, type Where } from '../support/teams.js';

/** What storage does on a bad day: answers lost after a commit, slow batches, rows written by an older version. */
describe('Storage faults', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(() => bot.close());

  const table = () => bot.app.storage.tables.partnerships;
  const auditRows = async (name: string) => {
    const rows: string[] = [];
    const filter = `PartitionKey eq '${partnershipIdFor(name, tenantId)}' and RowKey ge 'audit|' and RowKey lt 'audit}'`;
    for await (const row of table().listEntities({ queryOptions: { filter } })) rows.push(String(row.rowKey));
    return rows;
  };

  async function setUp(where: Where, name: string) {
    expect((await bot.say(where, alex, `setup partnership "${name}" councils=CEC:50,CWAC:50`)).text).toContain(
      `${name} is set up`,
    );
  }

  it('counts a change as made when its batch was committed but the answer was lost', async () => {
    const where = groupChat('19:faults-lost-answer@thread.v2');
    await setUp(where, 'Lost Answer ICT');
    await bot.say(where, alex, 'kpi add "First time fix" target=80 unit=% polarity=higher code=FTF');
    const before = (await auditRows('Lost Answer ICT')).length;
    const submit = table().submitTransaction.bind(table());
    const lost = vi.spyOn(table(), 'submitTransaction').mockImplementationOnce(async (actions) => {
      await submit(actions);
      throw Object.assign(new Error('socket hang up after the commit'), { statusCode: 503 });
    });
    try {
      const reply = await bot.say(where, alex, 'kpi record FTF 82 period=2026-10');
      expect(reply.text).toContain('First time fix: 82% for Oct 2026 is Green');
    } finally {
      lost.mockRestore();
    }
    expect((await auditRows('Lost Answer ICT')).length).toBe(before + 1);
    expect((await bot.say(where, alex, 'kpi FTF')).text).toContain('82% in Oct 2026');
  });

  it('keeps the chat linked when a re-sent set-up lands first and the original fails', async () => {
    const where = groupChat('19:faults-resent-setup@thread.v2');
    const text = 'setup partnership "Resent Setup ICT" councils=CEC:50,CWAC:50';
    const submit = table().submitTransaction.bind(table());
    let calls = 0;
    // The first request claims the chat, then its batch is slow; the re-sent copy's batch lands first.
    const slow = vi.spyOn(table(), 'submitTransaction').mockImplementation(async (actions) => {
      if (++calls === 1) await new Promise((resolve) => setTimeout(resolve, 400));
      return submit(actions);
    });
    const sent = bot.stub.sent.length;
    try {
      await Promise.all([
        postActivity(bot.url, bot.teams.message(where, alex, text)),
        new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
          postActivity(bot.url, bot.teams.message(where, alex, text)),
        ),
      ]);
    } finally {
      slow.mockRestore();
    }
    const answers = (await bot.stub.waitForSent(sent + 2)).slice(sent).map((a) => replyOf(a).text);
    expect(answers.filter((a) => a.includes('Resent Setup ICT is set up'))).toHaveLength(1);
    expect((await bot.say(where, alex, 'setup show')).text).toContain('Resent Setup ICT');
  });

  it('lets one of two admins step down on a partnership whose profile predates its admin list', async () => {
    const where = groupChat('19:faults-old-profile@thread.v2');
    await setUp(where, 'Old Profile ICT');
    await bot.say(where, alex, mentions`role grant ${sam} admin`);
    const id = partnershipIdFor('Old Profile ICT', tenantId);
    const {
      etag: _etag,
      admins: _admins,
      ...older
    } = await table().getEntity<Record<string, unknown>>(id, keys.profile);
    await table().upsertEntity({ ...older, partitionKey: id, rowKey: keys.profile }, 'Replace');

    const reply = await bot.say(where, alex, mentions`role revoke ${sam} admin`);
    expect(reply.text).toContain('Sam Jones is no longer admin');
    expect((await bot.say(where, alex, mentions`role revoke ${alex} admin`)).text).toContain('is the only admin');
  });

  it('keeps the last value when an import gives one period twice', async () => {
    const where = groupChat('19:faults-import-twice@thread.v2');
    await setUp(where, 'Import Twice ICT');
    await bot.say(where, alex, 'kpi add "Major incidents" target=2 unit=count polarity=lower code=MI');
    const id = partnershipIdFor('Import Twice ICT', tenantId);
    const reading = (value: number) => ({
      period: parsePeriod('2026-10')!,
      reading: {
        value,
        commentary: '',
        recordedBy: 'Alex Morgan',
        recordedById: alex.id,
        recordedAt: '2026-11-01T09:00:00Z',
      },
    });
    const audit = {
      at: '2026-11-01T09:00:00Z',
      actorId: alex.id,
      actorAadObjectId: alex.aadObjectId,
      actorName: 'Alex Morgan',
      command: 'import',
      subject: 'kpi MI readings',
      before: null,
      after: null,
      conversationId: where.conversationId,
    };
    const kpis = new KpiRepository(bot.app.storage.tables);
    await kpis.importReadings(id, 'MI', [reading(5), reading(1)], audit);
    expect((await kpis.readings(id, 'MI')).map((r) => r.value)).toEqual([1]);
  });
});
